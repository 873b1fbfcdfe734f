// Times on screen: "4 Dec 2026, 18:30 UTC". One formatter for the whole app:
// building an Intl.DateTimeFormat per call (what toLocaleString does) costs
// about a millisecond, which a page with hundreds of times cannot afford.
const UTC_FORMAT = new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", dateStyle: "medium", timeStyle: "short" });

export function formatUtc(value: string | Date | null | undefined): string {
  return value ? `${UTC_FORMAT.format(new Date(value))} UTC` : "—";
}
