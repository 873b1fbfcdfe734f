import { describe, expect, it } from "vitest";
import { presenceNeedsWrite } from "./presence";

const PRESENCE_REFRESH_MS = 20_000;

const now = new Date("2026-12-05T10:00:00Z");
const ago = (ms: number) => new Date(now.getTime() - ms);

describe("presenceNeedsWrite", () => {
  it("writes the first presence and every change", () => {
    expect(presenceNeedsWrite(null, true, now, PRESENCE_REFRESH_MS)).toBe(true);
    expect(presenceNeedsWrite(null, false, now, PRESENCE_REFRESH_MS)).toBe(true);
    expect(presenceNeedsWrite({ online: false, lastSeenAt: ago(1000) }, true, now, PRESENCE_REFRESH_MS)).toBe(true);
    expect(presenceNeedsWrite({ online: true, lastSeenAt: ago(1000) }, false, now, PRESENCE_REFRESH_MS)).toBe(true);
  });

  it("skips an unchanged presence until lastSeenAt is a refresh period old", () => {
    expect(presenceNeedsWrite({ online: true, lastSeenAt: ago(1000) }, true, now, PRESENCE_REFRESH_MS)).toBe(false);
    expect(presenceNeedsWrite({ online: true, lastSeenAt: ago(PRESENCE_REFRESH_MS - 1) }, true, now, PRESENCE_REFRESH_MS)).toBe(false);
    expect(presenceNeedsWrite({ online: true, lastSeenAt: ago(PRESENCE_REFRESH_MS) }, true, now, PRESENCE_REFRESH_MS)).toBe(true);
  });

  it("never refreshes an agent who stays offline", () => {
    expect(presenceNeedsWrite({ online: false, lastSeenAt: ago(10 * PRESENCE_REFRESH_MS) }, false, now, PRESENCE_REFRESH_MS)).toBe(false);
  });
});
