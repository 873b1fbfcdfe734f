// Training content is data, not code: a component property written as
// `{...}` may hold only literal data. The compiler (mdx-content-checks.server)
// refuses anything else, and the page (mdx-components) reads the value with
// the same function instead of evaluating JavaScript, so the browser never
// needs eval and the Content-Security-Policy can forbid it.

/** The bits of an ESTree node (MDX parses `{...}` into one) that literal data is made of. */
export interface EsNode {
  type: string;
  body?: EsNode[];
  expression?: EsNode;
  elements?: (EsNode | null)[];
  properties?: EsNode[];
  key?: EsNode;
  name?: string;
  value?: EsNode | unknown;
  computed?: boolean;
  method?: boolean;
  shorthand?: boolean;
  kind?: string;
  operator?: string;
  argument?: EsNode;
  expressions?: EsNode[];
  quasis?: { value: { cooked?: string | null; raw: string } }[];
}

export type LiteralData = string | number | boolean | null | LiteralData[] | { [key: string]: LiteralData };

/** The value of a `{...}` that is plain data (text, numbers, booleans, null, lists and objects of those); undefined for anything else. */
export function literalData(node: EsNode | null | undefined): { value: LiteralData } | undefined {
  if (!node) return undefined;
  switch (node.type) {
    case "Literal": {
      const value = node.value;
      if (value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean") return { value };
      return undefined; // regular expressions, bigints
    }
    case "TemplateLiteral":
      if ((node.expressions ?? []).length > 0) return undefined;
      return { value: (node.quasis ?? []).map((quasi) => quasi.value.cooked ?? quasi.value.raw).join("") };
    case "UnaryExpression":
      return node.operator === "-" && node.argument?.type === "Literal" && typeof node.argument.value === "number"
        ? { value: -node.argument.value }
        : undefined;
    case "ArrayExpression": {
      const values: LiteralData[] = [];
      for (const element of node.elements ?? []) {
        const item = literalData(element);
        if (!item) return undefined;
        values.push(item.value);
      }
      return { value: values };
    }
    case "ObjectExpression": {
      const value: { [key: string]: LiteralData } = {};
      for (const property of node.properties ?? []) {
        if (property.type !== "Property" || property.kind !== "init" || property.computed || property.method || property.shorthand) return undefined;
        const key = property.key?.type === "Identifier" ? property.key.name : property.key?.type === "Literal" ? property.key.value : undefined;
        const item = literalData(property.value as EsNode);
        if ((typeof key !== "string" && typeof key !== "number") || !item) return undefined;
        value[String(key)] = item.value;
      }
      return { value };
    }
    default:
      return undefined;
  }
}
