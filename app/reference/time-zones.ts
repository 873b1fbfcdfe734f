// IANA time zones, as the runtime knows them (Intl.supportedValuesOf), so
// the list stays current with the ICU data instead of a copy in the repo.
// Node 20 leaves "UTC" out of that list; planners use it, so it is added.

let canonicalByLowerCase: Map<string, string> | undefined;

function zoneIndex(): Map<string, string> {
  if (!canonicalByLowerCase) {
    canonicalByLowerCase = new Map();
    for (const zone of [...Intl.supportedValuesOf("timeZone"), "UTC"]) {
      canonicalByLowerCase.set(zone.toLowerCase(), zone);
    }
  }
  return canonicalByLowerCase;
}

/** Every time zone a volunteer may have, for a select list. */
export function timeZoneNames(): string[] {
  return [...zoneIndex().values()].sort();
}

/**
 * The canonical spelling of a time zone ("europe/amsterdam" ->
 * "Europe/Amsterdam"), or undefined when it is not a region-based IANA zone.
 * Zones the ICU list only knows under an older name ("Europe/Kyiv", which
 * ICU lists as "Europe/Kiev") are accepted as written when Intl can use
 * them. Abbreviations such as "CET" are refused on purpose:
 * they hide daylight-saving rules, and "CET" would land on Brussels time.
 */
export function canonicalTimeZone(value: string): string | undefined {
  const wanted = value.trim();
  const known = zoneIndex().get(wanted.toLowerCase());
  if (known) return known;
  if (!wanted.includes("/")) return undefined;
  try {
    const resolved = new Intl.DateTimeFormat("en", { timeZone: wanted }).resolvedOptions().timeZone;
    return zoneIndex().has(resolved.toLowerCase()) ? wanted : undefined;
  } catch {
    return undefined;
  }
}

export function isTimeZone(value: string): boolean {
  return canonicalTimeZone(value) !== undefined;
}
