import { describe, expect, it } from "vitest";
import { rosterQueryFrom, rosterSearch } from "./roster-query";

describe("roster query", () => {
  it("reads known filters and sort, normalising case", () => {
    const query = rosterQueryFrom(new URLSearchParams("status=paused&language=NL&channel=whatsapp&origin=pilot&base=ams&training=3&sort=training&q=%20Sanne%20"));
    expect(query).toEqual({
      filters: { status: "paused", language: "nl", channel: "whatsapp", origin: "pilot", base: "AMS", training: "3", q: "Sanne" },
      sort: "training",
    });
  });

  it("ignores unknown values instead of failing, so stale bookmarks still work", () => {
    const query = rosterQueryFrom(new URLSearchParams("status=retired&language=xx&channel=fax&origin=captain&base=QQQ&training=7&sort=shoe"));
    expect(query).toEqual({ filters: {}, sort: "name" });
  });

  it("writes the query back as a search string for links and the export", () => {
    expect(rosterSearch({ filters: { status: "active", base: "AMS" }, sort: "name" })).toBe("status=active&base=AMS");
    expect(rosterSearch({ filters: {}, sort: "newest" })).toBe("sort=newest");
  });
});
