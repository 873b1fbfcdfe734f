import { describe, expect, it } from "vitest";
import { AIRPORTS, findAirport, isAirportCode } from "./airports";

describe("airports", () => {
  it("holds at least 300 distinct, well-formed entries", () => {
    expect(AIRPORTS.length).toBeGreaterThanOrEqual(300);
    expect(new Set(AIRPORTS.map((airport) => airport.code)).size).toBe(AIRPORTS.length);
    for (const airport of AIRPORTS) {
      expect(airport.code).toMatch(/^[A-Z]{3}$/);
      expect(airport.country).toMatch(/^[A-Z]{2}$/);
      expect(airport.city.trim()).toBe(airport.city);
      expect(airport.city.length).toBeGreaterThan(1);
    }
  });

  it("knows the home bases of the fixtures and the main hubs", () => {
    for (const code of ["AMS", "RTM", "EIN", "FCO", "CDG", "FRA", "MAD", "NRT", "ICN", "LIS", "JFK", "SIN"]) {
      expect(isAirportCode(code)).toBe(true);
    }
    expect(findAirport("ams")).toEqual({ code: "AMS", city: "Amsterdam", country: "NL" });
    expect(findAirport("LHR")?.country).toBe("GB");
  });

  it("refuses unknown and lower-case codes", () => {
    expect(isAirportCode("XYZ")).toBe(false);
    expect(isAirportCode("ams")).toBe(false);
    expect(isAirportCode("AMST")).toBe(false);
    expect(findAirport("XYZ")).toBeUndefined();
  });
});
