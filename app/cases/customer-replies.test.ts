import { describe, expect, it } from "vitest";
import { SUPPORTED_LANGUAGES } from "~/reference/channels";
import { DUPLICATE_MESSAGES, FLIGHT_DEPARTED_MESSAGES, HOLDING_REPLIES, holdingReplyFor } from "./customer-replies";

describe("holdingReplyFor", () => {
  it("answers in the case language", () => {
    expect(holdingReplyFor("nl")).toMatch(/^Bedankt voor uw bericht\./);
    expect(holdingReplyFor("ja")).toMatch(/^お問い合わせありがとうございます。/);
    expect(holdingReplyFor("ko")).toContain("최대한 빨리");
  });

  it("falls back to English for other languages", () => {
    expect(holdingReplyFor("sv")).toBe(HOLDING_REPLIES.en);
    expect(holdingReplyFor("")).toBe(HOLDING_REPLIES.en);
  });

  it("has a distinct translation for every supported language of every automatic message", () => {
    for (const texts of [HOLDING_REPLIES, FLIGHT_DEPARTED_MESSAGES, DUPLICATE_MESSAGES]) {
      const translations = SUPPORTED_LANGUAGES.map((language) => texts[language]);
      expect(translations.every((text) => text.trim().length > 20)).toBe(true);
      expect(new Set(translations).size).toBe(SUPPORTED_LANGUAGES.length);
    }
  });
});
