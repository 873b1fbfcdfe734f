// Display names for the board's channel ids and language codes.
import { CHANNELS } from "~/reference/channels";
import { isLanguageCode, LANGUAGES } from "~/reference/languages";

export const channelName = (id: string) => CHANNELS.find((c) => c.id === id)?.name ?? id;
export const languageName = (code: string) => (isLanguageCode(code) ? LANGUAGES[code] : code);

export const percent = (share: number | null) => (share === null ? "–" : `${Math.round(share * 100)}%`);

/** "95 min", "3 h 5 min", "2 d 4 h". */
export function waitLabel(minutes: number | null): string {
  if (minutes === null) return "–";
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h${minutes % 60 ? ` ${minutes % 60} min` : ""}`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}
