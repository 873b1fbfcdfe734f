import { describe, expect, it } from "vitest";
import { findTextProblem, textProblem, urlTextProblem } from "./text-rule";

describe("text rule", () => {
  it("accepts ordinary text in any script, with line breaks and tabs in free text", () => {
    expect(textProblem("Zoë Ølstad — 東京 🛫\n\tNext line")).toBeNull();
    expect(textProblem("Zoë Ølstad 🛫", "name")).toBeNull();
  });

  it("refuses NUL, lone surrogates and control characters everywhere", () => {
    expect(textProblem("a\u0000b")).toContain("NUL");
    expect(textProblem("a\ud800b")).toContain("surrogate");
    expect(textProblem("a\udc00")).toContain("surrogate");
    expect(textProblem("a\u0007b")).toContain("control");
    expect(textProblem("a\u0085b")).toContain("control");
  });

  it("refuses invisible and direction-changing characters and line breaks in names only", () => {
    for (const c of ["\u202E", "\u2066", "\u200B", "\u200D", "\uFEFF", "\u00AD", "\n"]) {
      expect(textProblem(`Ev${c}e`, "name"), JSON.stringify(c)).toContain("invisible");
      expect(textProblem(`Ev${c}e`, "text")).toBeNull();
    }
  });

  it("finds the first bad string in parsed JSON with its path, keys included", () => {
    expect(findTextProblem({ cases: [{ body: "ok" }, { body: "x\u0000" }] })).toMatchObject({ path: "cases.1.body" });
    expect(findTextProblem({ ["k\u0000"]: 1 })).toMatchObject({ path: "k\u0000" });
    expect(findTextProblem({ a: ["fine", 1, null] })).toBeNull();
  });

  it("checks decoded path segments and query parameters", () => {
    expect(urlTextProblem("/cases/ab%00cd", "")).toContain("NUL");
    expect(urlTextProblem("/cases/%ED%A0%80", "")).toContain("not valid");
    expect(urlTextProblem("/volunteers", "q=%00")).toContain('"q"');
    expect(urlTextProblem("/volunteers", "q=Zo%C3%AB")).toBeNull();
  });
});
