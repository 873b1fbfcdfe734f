import { describe, expect, it } from "vitest";
import { canonicalTimeZone, isTimeZone, timeZoneNames } from "./time-zones";

describe("time zones", () => {
  it("accepts IANA zones in any case and returns their canonical spelling", () => {
    expect(canonicalTimeZone("Europe/Amsterdam")).toBe("Europe/Amsterdam");
    expect(canonicalTimeZone(" europe/amsterdam ")).toBe("Europe/Amsterdam");
    expect(canonicalTimeZone("Asia/Tokyo")).toBe("Asia/Tokyo");
  });

  it("accepts UTC even though Intl does not list it", () => {
    expect(isTimeZone("UTC")).toBe(true);
    expect(timeZoneNames()).toContain("UTC");
  });

  it("accepts renamed zones that Intl can use", () => {
    expect(isTimeZone("Europe/Kyiv")).toBe(true);
    expect(isTimeZone("Asia/Kolkata")).toBe(true);
  });

  it("refuses abbreviations and invented zones", () => {
    expect(isTimeZone("CET")).toBe(false);
    expect(isTimeZone("Mars/Olympus_Mons")).toBe(false);
    expect(isTimeZone("")).toBe(false);
  });
});
