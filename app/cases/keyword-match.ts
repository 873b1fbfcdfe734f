// Keyword matching for the rule engines (priority, classification, deflection).
// Customers type with or without accents, in any case, in ten languages, three
// of which (zh, ja, ko) do not separate words the way Latin scripts do.
import { z } from "zod";
import { SUPPORTED_LANGUAGES, type SupportedLanguage } from "~/reference/channels";

/** Keywords per ISO 639-1 language code, as a supervisor writes them. */
export type KeywordsByLanguage = Partial<Record<SupportedLanguage, string[]>>;

/**
 * Folds text so that "Mañana", "MANANA" and "manana" compare equal: compatibility
 * forms (full-width Latin) become plain, Latin accents are dropped, case is
 * lowered and typographic apostrophes become "'". Only the combining marks of
 * Latin accents are removed, so Japanese voiced kana and Hangul survive intact.
 */
export function normalizeForMatching(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .normalize("NFC")
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc\u2032]/g, "'");
}

// Scripts written without spaces between words (Chinese, Japanese) or where
// particles attach to the word (Korean "내일은"): there a keyword matches anywhere.
const UNSEGMENTED_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

// A "word character" for whole-word matching in alphabetic scripts. CJK
// characters count as a boundary so that "asap" still matches in "请asap处理".
const WORD_CHAR = String.raw`[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{N}\p{M}_]`;

const patternCache = new Map<string, RegExp>();

function keywordPattern(keyword: string, flags: "u" | "gu"): RegExp {
  const cacheKey = `${flags}\u0000${keyword}`;
  const cached = patternCache.get(cacheKey);
  if (cached) return cached;
  const normalized = normalizeForMatching(keyword.trim());
  const escaped = normalized.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\s+/g, String.raw`\s+`);
  const source = UNSEGMENTED_SCRIPT.test(normalized)
    ? escaped
    : `(?<!${WORD_CHAR})${escaped}(?!${WORD_CHAR})`;
  const pattern = new RegExp(source, flags);
  patternCache.set(cacheKey, pattern);
  return pattern;
}

/**
 * The first keyword (as written in the rule) found in the text, or null.
 * Latin, Greek and Cyrillic keywords match whole words or whole phrases only
 * ("urgent" does not match "urgently"); Chinese, Japanese and Korean keywords
 * match as a substring. Phrases listed in `except` are blanked out first, so
 * that the German greeting "Guten Morgen" does not count as "morgen" (tomorrow).
 */
export function findKeyword(
  text: string,
  keywords: readonly string[],
  except: readonly string[] = [],
): string | null {
  let haystack = normalizeForMatching(text);
  for (const phrase of except) {
    if (phrase.trim()) haystack = haystack.replace(keywordPattern(phrase, "gu"), " ");
  }
  for (const keyword of keywords) {
    if (keyword.trim() && keywordPattern(keyword, "u").test(haystack)) return keyword;
  }
  return null;
}

/**
 * The keywords that apply to a case written in `language`: that language's
 * list plus English, because customers in every market write "urgent" or
 * "ASAP". Other languages are left out to avoid false friends (Dutch "nu" is
 * "now", French "nu" is "naked").
 */
export function keywordsForLanguage(byLanguage: KeywordsByLanguage, language: string): string[] {
  const own = byLanguage[language as SupportedLanguage] ?? [];
  return language === "en" ? [...own] : [...own, ...(byLanguage.en ?? [])];
}

const keywordSchema = z
  .string()
  .trim()
  .min(1, { error: "A keyword cannot be empty" })
  .max(100, { error: "A keyword is at most 100 characters" });

const languageKeySchema = z.enum(SUPPORTED_LANGUAGES);

/** Error option for records keyed by language: names the unknown keys and the allowed ones. */
export const unknownLanguageError = {
  error: (issue: z.core.$ZodRawIssue) =>
    issue.code === "unrecognized_keys"
      ? `Unknown language ${issue.keys.map((key) => `"${key}"`).join(", ")}; use ${SUPPORTED_LANGUAGES.join(", ")}`
      : undefined,
};

/** Keywords per language; every listed language needs at least one keyword. */
export const keywordsByLanguageSchema = z
  .partialRecord(languageKeySchema, z.array(keywordSchema).min(1, { error: "List at least one keyword for this language" }), unknownLanguageError)
  .refine((byLanguage) => Object.values(byLanguage).some((list) => (list?.length ?? 0) > 0), {
    error: "List at least one keyword in at least one language",
  });

/** Phrases to ignore per language (optional, may be empty). */
export const exceptPhrasesSchema = z.partialRecord(languageKeySchema, z.array(keywordSchema), unknownLanguageError);

/** Keywords as the rule editor's text box shows them, one "nl: dringend, morgen" line per language. */
export function keywordLines(keywords: KeywordsByLanguage | undefined): string {
  return Object.entries(keywords ?? {})
    .map(([language, words]) => `${language}: ${(words ?? []).join(", ")}`)
    .join("\n");
}
