// Languages written as one line of text, as spreadsheets and the
// no-JavaScript form post them. Accepted, per entry:
//   nl:native   nl=native   nl (native)   Dutch fluent   Nederlands: moedertaal
// Entries are separated by commas, semicolons, pipes or new lines. Codes
// and names (English or Dutch) are accepted; validation of what is left
// (unknown codes, missing proficiency) is the schema's job.
import { findLanguageCode } from "~/reference/languages";
import { isProficiencyWord, proficiencyFromWord } from "./enrolment-vocabulary";

export interface LanguageEntryText {
  code: string;
  proficiency: string;
}

const ENTRY_SEPARATOR = /[,;|\n]+/;
const BRACKETED = /^(.*?)\s*\(\s*(.*?)\s*\)$/;

export function parseLanguageEntry(entry: string): LanguageEntryText {
  const text = entry.trim();
  let language = text;
  let proficiency = "";
  const bracketed = BRACKETED.exec(text);
  const separator = text.search(/[:=]/);
  if (bracketed) {
    language = bracketed[1] ?? "";
    proficiency = bracketed[2] ?? "";
  } else if (separator >= 0) {
    language = text.slice(0, separator);
    proficiency = text.slice(separator + 1);
  } else {
    // "Dutch fluent": only split off the last word when it is a proficiency,
    // so "Norwegian Bokmål" stays one language.
    const lastSpace = text.lastIndexOf(" ");
    if (lastSpace > 0 && isProficiencyWord(text.slice(lastSpace + 1))) {
      language = text.slice(0, lastSpace);
      proficiency = text.slice(lastSpace + 1);
    }
  }
  language = language.trim();
  return {
    code: findLanguageCode(language) ?? language,
    proficiency: proficiencyFromWord(proficiency),
  };
}

export function parseLanguageList(text: string): LanguageEntryText[] {
  return text
    .split(ENTRY_SEPARATOR)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "")
    .map(parseLanguageEntry);
}

/** The canonical text form, used in exports so a roster file can be re-imported. */
export function formatLanguageList(languages: readonly LanguageEntryText[]): string {
  return languages.map((language) => `${language.code}:${language.proficiency}`).join(", ");
}
