import { describe, expect, it } from "vitest";
import { formatLanguageList, parseLanguageList } from "./language-list";

describe("parseLanguageList", () => {
  it.each([
    { name: "reads code:proficiency tokens", text: "nl:native, en:fluent, de:basic", third: "de" },
    { name: "reads bracketed proficiencies separated by semicolons, in Dutch", text: "nl (moedertaal); en (vloeiend); es (basis)", third: "es" },
    { name: "reads language names in English and Dutch", text: "Nederlands: moedertaal | English fluent | Norwegian Bokmål=basic", third: "nb" },
  ])("$name", ({ text, third }) => {
    expect(parseLanguageList(text)).toEqual([
      { code: "nl", proficiency: "native" },
      { code: "en", proficiency: "fluent" },
      { code: third, proficiency: "basic" },
    ]);
  });

  it("leaves unknown languages and missing proficiencies for the schema to report", () => {
    expect(parseLanguageList("Klingon:fluent, nl")).toEqual([
      { code: "Klingon", proficiency: "fluent" },
      { code: "nl", proficiency: "" },
    ]);
    expect(parseLanguageList(" ,, ")).toEqual([]);
  });

  it("formats back to the canonical tokens", () => {
    expect(formatLanguageList(parseLanguageList("nl (native); en (fluent)"))).toBe("nl:native, en:fluent");
  });
});
