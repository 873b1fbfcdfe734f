import { describe, expect, it } from "vitest";
import { SUPPORTED_LANGUAGES } from "./channels";
import { findLanguageCode, isLanguageCode, LANGUAGE_CODES, languageName } from "./languages";

describe("ISO 639-1 languages", () => {
  it("lists all 184 two-letter codes once, with a name each", () => {
    expect(LANGUAGE_CODES).toHaveLength(184);
    expect(new Set(LANGUAGE_CODES).size).toBe(184);
    for (const code of LANGUAGE_CODES) {
      expect(code).toMatch(/^[a-z]{2}$/);
      expect(languageName(code).length).toBeGreaterThan(1);
    }
  });

  it("covers the ten languages the service team works in", () => {
    for (const code of SUPPORTED_LANGUAGES) expect(isLanguageCode(code)).toBe(true);
  });

  it("refuses codes that are not ISO 639-1, and upper case (callers normalise)", () => {
    expect(isLanguageCode("xx")).toBe(false);
    expect(isLanguageCode("nld")).toBe(false);
    expect(isLanguageCode("NL")).toBe(false);
    expect(isLanguageCode("toString")).toBe(false);
  });

  it("finds a code from a code, an English name or a Dutch name", () => {
    expect(findLanguageCode(" NL ")).toBe("nl");
    expect(findLanguageCode("Dutch")).toBe("nl");
    expect(findLanguageCode("nederlands")).toBe("nl");
    expect(findLanguageCode("Engels")).toBe("en");
    expect(findLanguageCode("Duits")).toBe("de");
    expect(findLanguageCode("Klingon")).toBeUndefined();
  });
});
