import { describe, expect, it } from "vitest";
import { literalData, type EsNode } from "./mdx-literal";

const literal = (value: unknown): EsNode => ({ type: "Literal", value });

describe("literalData", () => {
  it("reads text, numbers, booleans, null, negative numbers, plain template text, lists and objects", () => {
    const rows: EsNode = {
      type: "ArrayExpression",
      elements: [
        {
          type: "ObjectExpression",
          properties: [
            { type: "Property", kind: "init", key: { type: "Identifier", name: "situation" }, value: literal("Legal threat") },
            { type: "Property", kind: "init", key: { type: "Literal", value: "action" }, value: { type: "TemplateLiteral", expressions: [], quasis: [{ value: { cooked: "Escalate", raw: "Escalate" } }] } },
            { type: "Property", kind: "init", key: { type: "Identifier", name: "minutes" }, value: { type: "UnaryExpression", operator: "-", argument: literal(5) } },
          ],
        },
        literal(true),
        literal(null),
      ],
    };
    expect(literalData(rows)).toEqual({ value: [{ situation: "Legal threat", action: "Escalate", minutes: -5 }, true, null] });
  });

  it("refuses anything that would have to run: names, calls, member access, spreads, computed keys, template holes, regular expressions", () => {
    const refused: EsNode[] = [
      { type: "Identifier", name: "process" },
      { type: "CallExpression" },
      { type: "MemberExpression" },
      { type: "ArrayExpression", elements: [{ type: "SpreadElement" }] },
      { type: "ObjectExpression", properties: [{ type: "Property", kind: "init", computed: true, key: { type: "Identifier", name: "x" }, value: literal(1) }] },
      { type: "ObjectExpression", properties: [{ type: "Property", kind: "init", shorthand: true, key: { type: "Identifier", name: "x" }, value: { type: "Identifier", name: "x" } }] },
      { type: "TemplateLiteral", expressions: [{ type: "Identifier", name: "x" }], quasis: [] },
      literal(/a/),
      { type: "UnaryExpression", operator: "!", argument: literal(0) },
    ];
    for (const node of refused) expect(literalData(node), node.type).toBeUndefined();
  });
});
