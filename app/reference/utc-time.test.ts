import { describe, expect, it } from "vitest";
import { formatUtc } from "./utc-time";

describe("formatUtc", () => {
  it("formats in UTC whatever the server's zone, and shows a dash for no time", () => {
    expect(formatUtc("2026-12-04T18:30:00.000Z")).toBe("4 Dec 2026, 18:30 UTC");
    expect(formatUtc(new Date(Date.UTC(2026, 0, 1, 0, 5)))).toBe("1 Jan 2026, 00:05 UTC");
    expect(formatUtc(null)).toBe("—");
  });
});
