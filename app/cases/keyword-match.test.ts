import { describe, expect, it } from "vitest";
import { findKeyword, keywordsByLanguageSchema, keywordsForLanguage, normalizeForMatching } from "./keyword-match";

describe("normalizeForMatching", () => {
  it("drops Latin accents and case, keeps kana voicing and Hangul", () => {
    expect(normalizeForMatching("Mañana DÈS QUE Möglich")).toBe("manana des que moglich");
    expect(normalizeForMatching("ＵＲＧＥＮＴ")).toBe("urgent");
    expect(normalizeForMatching("ぜひ 내일")).toBe("ぜひ 내일");
    expect(normalizeForMatching("aujourd’hui")).toBe("aujourd'hui");
  });
});

describe("findKeyword", () => {
  it("matches whole words case- and accent-insensitively, returning the keyword as written", () => {
    expect(findKeyword("Necesito ayuda MANANA por favor", ["mañana"])).toBe("mañana");
    expect(findKeyword("c'est très urgent!", ["URGENT"])).toBe("URGENT");
    expect(findKeyword("Ich brauche das so schnell wie moeglich", ["so schnell wie möglich"])).toBeNull();
    expect(findKeyword("Ich brauche das so   schnell wie Möglich", ["so schnell wie möglich"])).toBe(
      "so schnell wie möglich",
    );
  });

  it("does not match a Latin keyword inside a longer word", () => {
    // Decision: whole words only; a supervisor adds "urgently" as its own keyword.
    expect(findKeyword("Please handle this urgently", ["urgent"])).toBeNull();
    expect(findKeyword("Snowboard bag", ["now"])).toBeNull();
    expect(findKeyword("Goedemorgen, ik heb een vraag", ["morgen"])).toBeNull();
    expect(findKeyword("Reembolso: o meu voo de manhã", ["amanhã"])).toBeNull();
  });

  it("treats punctuation and French elision as word boundaries", () => {
    expect(findKeyword("C'est l'urgence.", ["urgence"])).toBe("urgence");
    expect(findKeyword("(asap)", ["asap"])).toBe("asap");
  });

  it("matches Chinese, Japanese and Korean keywords without word boundaries", () => {
    expect(findKeyword("我的航班明天起飞，请帮忙", ["明天"])).toBe("明天");
    expect(findKeyword("至急ご対応お願いします", ["至急"])).toBe("至急");
    expect(findKeyword("내일은 출발합니다", ["내일"])).toBe("내일");
    expect(findKeyword("请asap处理", ["asap"])).toBe("asap");
  });

  it("ignores exception phrases but still finds the keyword elsewhere", () => {
    expect(findKeyword("Guten Morgen, ich habe eine Frage", ["morgen"], ["guten Morgen"])).toBeNull();
    expect(findKeyword("Guten Morgen, mein Flug geht morgen", ["morgen"], ["guten Morgen"])).toBe("morgen");
  });

  it("does not treat regular-expression characters in a keyword specially", () => {
    expect(findKeyword("need it a.s.a.p.", ["a.s.a.p."])).toBe("a.s.a.p.");
    expect(findKeyword("need it axsxaxpx", ["a.s.a.p."])).toBeNull();
  });
});

describe("keywordsForLanguage", () => {
  it("uses the case language plus English, not other languages", () => {
    const keywords = { en: ["urgent"], nl: ["nu"], fr: ["maintenant"] };
    expect(keywordsForLanguage(keywords, "nl")).toEqual(["nu", "urgent"]);
    expect(keywordsForLanguage(keywords, "en")).toEqual(["urgent"]);
    expect(keywordsForLanguage(keywords, "ko")).toEqual(["urgent"]);
  });
});

describe("keywordsByLanguageSchema", () => {
  it("lists empty keywords, empty lists and unknown languages with their paths", () => {
    const result = keywordsByLanguageSchema.safeParse({ xx: ["a"], nl: [], en: ["  "] });
    expect(result.success).toBe(false);
    const issues = result.error?.issues.map((issue) => [issue.path.join("."), issue.message]);
    expect(issues).toEqual(
      expect.arrayContaining([
        ["nl", "List at least one keyword for this language"],
        ["en.0", "A keyword cannot be empty"],
        ["", expect.stringContaining('Unknown language "xx"')],
      ]),
    );
  });

  it("rejects a keyword set without any keyword", () => {
    expect(keywordsByLanguageSchema.safeParse({}).error?.issues[0]?.message).toBe(
      "List at least one keyword in at least one language",
    );
  });
});
