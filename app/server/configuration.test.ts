import { describe, expect, it } from "vitest";
import { configurationError, configurationProblems, wholeNumberSetting } from "./configuration";

const production = { DATABASE_URL: "postgresql://surge:secret@db.internal:5432/surge", SESSION_SECRET: "0123456789abcdef0123" };

describe("configurationProblems", () => {
  it("accepts the embedded default (nothing set) and a complete production environment", () => {
    expect(configurationProblems({})).toEqual([]);
    expect(configurationProblems({ ...production, PORT: "8080", SURGE_COOKIE_SECURE: "1", DATABASE_POOL_MAX: "20" })).toEqual([]);
  });

  it("names a malformed DATABASE_URL", () => {
    expect(configurationProblems({ ...production, DATABASE_URL: "mysql://db/surge" })).toEqual([
      "DATABASE_URL must be a postgresql://user:password@host:5432/database URL",
    ]);
    expect(configurationProblems({ ...production, DATABASE_URL: "db.internal:5432" })).toHaveLength(1);
    expect(configurationProblems({ ...production, DATABASE_URL: "postgresql://db.internal:5432" })).toHaveLength(1);
  });

  it("requires a session secret with a database server, and a long enough one", () => {
    expect(configurationProblems({ DATABASE_URL: production.DATABASE_URL })).toEqual([
      "SESSION_SECRET must be set when DATABASE_URL is set (the same value on every instance; e.g. openssl rand -base64 32)",
    ]);
    expect(configurationProblems({ ...production, SESSION_SECRET: "short" })[0]).toMatch(/^SESSION_SECRET must be at least 16/);
    expect(configurationProblems({ ...production, SESSION_SECRET: "0123456789abcdef0123,tiny" })).toHaveLength(1);
  });

  it("refuses numbers, flags and addresses that are not what they should be", () => {
    expect(
      configurationProblems({
        PORT: "80a",
        SURGE_COOKIE_SECURE: "yes",
        DATABASE_POOL_MAX: "0",
        SURGE_PUBLIC_ORIGIN: "https://surge.example.org/app",
        SURGE_DELIVERY_LEASE_MS: "-5",
        SURGE_LOG_LEVEL: "loud",
      }),
    ).toEqual([
      "PORT must be a whole number",
      "SURGE_PUBLIC_ORIGIN must be an origin such as https://surge.example.org (no path)",
      'SURGE_COOKIE_SECURE must be "0" or "1"',
      "DATABASE_POOL_MAX must be between 1 and 1000",
      "SURGE_DELIVERY_LEASE_MS must be a positive number",
      "SURGE_LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent",
    ]);
  });

  it("joins the problems into one line for the operator", () => {
    const line = configurationError(["PORT must be a whole number", "SURGE_UPKEEP must be \"0\" or \"1\""]);
    expect(line).toBe('Surge cannot start: PORT must be a whole number; SURGE_UPKEEP must be "0" or "1". See the settings table in README.md.');
    expect(line).not.toContain("\n");
  });
});

describe("wholeNumberSetting", () => {
  it("reads a whole number, falls back when unset, and refuses anything else", () => {
    expect(wholeNumberSetting("SURGE_REOPEN_DAYS", 7, {})).toBe(7);
    expect(wholeNumberSetting("SURGE_REOPEN_DAYS", 7, { SURGE_REOPEN_DAYS: "3" })).toBe(3);
    expect(() => wholeNumberSetting("SURGE_REOPEN_DAYS", 7, { SURGE_REOPEN_DAYS: "2.5" })).toThrow('SURGE_REOPEN_DAYS must be a whole number, not "2.5".');
  });
});
