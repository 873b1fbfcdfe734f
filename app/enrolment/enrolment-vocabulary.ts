// The words planners and HR spreadsheets use for origins, proficiencies and
// channels, in English and Dutch, mapped to the values the schema accepts.
// Anything not listed is passed through unchanged so the schema can name it
// in its error ("Unknown origin 'Steward'") instead of it vanishing.
import type { Proficiency, VolunteerOrigin } from "@prisma/client";
import { CHANNELS, type ChannelId } from "~/reference/channels";

/** Lower case without accents: "Één" -> "een". */
export function plainLowerCase(text: string): string {
  return text.normalize("NFD").replace(/\p{Diacritic}/gu, "").toLowerCase();
}

/** Lower-case, no accents, underscores/dashes as spaces, single spaces. */
export function normaliseWord(text: string): string {
  return plainLowerCase(text)
    .replace(/[_-]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

function index<T extends string>(groups: Record<T, readonly string[]>): Map<string, T> {
  const words = new Map<string, T>();
  for (const [value, synonyms] of Object.entries(groups) as [T, readonly string[]][]) {
    words.set(normaliseWord(value), value);
    for (const synonym of synonyms) words.set(normaliseWord(synonym), value);
  }
  return words;
}

const ORIGIN_WORDS = index<VolunteerOrigin>({
  cabin_crew: [
    "cabin crew",
    "cabincrew",
    "cabinepersoneel",
    "cabine personeel",
    "cabine",
    "flight attendant",
    "cabin attendant",
    "steward",
    "stewardess",
    "purser",
    "senior purser",
  ],
  pilot: [
    "pilots",
    "piloot",
    "piloten",
    "cockpit",
    "cockpitpersoneel",
    "captain",
    "gezagvoerder",
    "first officer",
    "eerste officier",
    "second officer",
    "tweede officier",
  ],
  ground: ["ground staff", "ground handling", "grond", "grondpersoneel", "grondstewardess", "luchthaven", "airport"],
  office: ["office staff", "head office", "kantoor", "kantoorpersoneel", "hoofdkantoor", "staf"],
  other: ["anders", "overig", "overige"],
});

const PROFICIENCY_WORDS = index<Proficiency>({
  native: ["moedertaal", "mother tongue", "native speaker", "first language"],
  fluent: ["vloeiend", "good", "goed", "professional"],
  basic: ["basis", "elementary", "beginner", "some", "matig"],
});

const CHANNEL_WORDS = (() => {
  const words = new Map<string, ChannelId>();
  for (const channel of CHANNELS) {
    words.set(normaliseWord(channel.id), channel.id);
    words.set(normaliseWord(channel.name), channel.id);
  }
  const synonyms: Record<string, ChannelId> = {
    "whats app": "whatsapp",
    "facebook messenger": "messenger",
    "fb messenger": "messenger",
    weixin: "wechat",
    kakao: "kakaotalk",
    "kakao talk": "kakaotalk",
    "apple messages": "apple_messages",
    "apple business chat": "apple_messages",
    imessage: "apple_messages",
    twitter: "x",
    "x twitter": "x",
    "e mail": "email",
    mail: "email",
  };
  for (const [word, id] of Object.entries(synonyms)) words.set(normaliseWord(word), id);
  return words;
})();

/** Tries the cheap lower-case match first: a 10,000-row file repeats the same few words. */
function lookUp<T>(words: Map<string, T>, text: string): T | undefined {
  return words.get(text.trim().toLowerCase()) ?? words.get(normaliseWord(text));
}

/** "Cabinepersoneel" -> "cabin_crew"; unknown words come back trimmed, as written. */
export function originFromWord(text: string): string {
  return lookUp(ORIGIN_WORDS, text) ?? text.trim();
}

export function proficiencyFromWord(text: string): string {
  return lookUp(PROFICIENCY_WORDS, text) ?? text.trim();
}

export function isProficiencyWord(text: string): boolean {
  return lookUp(PROFICIENCY_WORDS, text) !== undefined;
}

/** "X (Twitter)" -> "x", "E-mail" -> "email"; unknown names come back trimmed. */
export function channelFromWord(text: string): string {
  // Strip brackets so "X (Twitter)" and "X Twitter" both match.
  return lookUp(CHANNEL_WORDS, text) ?? CHANNEL_WORDS.get(normaliseWord(text.replace(/[()]/g, " "))) ?? text.trim();
}
