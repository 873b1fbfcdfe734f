import { describe, expect, it } from "vitest";
import { formatLanguageList, parseLanguageList } from "./language-list";

describe("parseLanguageList", () => {
  it("reads code:proficiency tokens", () => {
    expect(parseLanguageList("nl:native, en:fluent, de:basic")).toEqual([
      { code: "nl", proficiency: "native" },
      { code: "en", proficiency: "fluent" },
      { code: "de", proficiency: "basic" },
    ]);
  });

  it("reads bracketed proficiencies separated by semicolons, in Dutch", () => {
    expect(parseLanguageList("nl (moedertaal); en (vloeiend); es (basis)")).toEqual([
      { code: "nl", proficiency: "native" },
      { code: "en", proficiency: "fluent" },
      { code: "es", proficiency: "basic" },
    ]);
  });

  it("reads language names in English and Dutch", () => {
    expect(parseLanguageList("Nederlands: moedertaal | English fluent | Norwegian Bokmål=basic")).toEqual([
      { code: "nl", proficiency: "native" },
      { code: "en", proficiency: "fluent" },
      { code: "nb", proficiency: "basic" },
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
