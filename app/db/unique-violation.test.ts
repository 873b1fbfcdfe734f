import { describe, expect, it } from "vitest";
import { isUniqueViolation } from "./unique-violation";

describe("unique violations", () => {
  it("recognises Prisma's P2002 and a raw query's 23505, and nothing else", () => {
    expect(isUniqueViolation({ code: "P2002", meta: { target: ["email"] } })).toBe(true);
    expect(
      isUniqueViolation({
        code: "P2010",
        meta: { driverAdapterError: { cause: { originalCode: "23505", kind: "UniqueConstraintViolation" } } },
      })
    ).toBe(true);
    expect(isUniqueViolation({ code: "P2010", meta: { driverAdapterError: { cause: { originalCode: "23503" } } } })).toBe(false);
    expect(isUniqueViolation({ code: "P2025" })).toBe(false);
    expect(isUniqueViolation(new Error("boom"))).toBe(false);
    expect(isUniqueViolation(null)).toBe(false);
  });
});
