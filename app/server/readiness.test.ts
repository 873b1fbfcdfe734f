import { describe, expect, it } from "vitest";
import { readinessFrom } from "./readiness";

describe("readinessFrom", () => {
  it("is ready when the database answers, nothing is pending and the instance runs", () => {
    expect(readinessFrom({ databaseError: null, pendingMigrations: [], stopping: false })).toEqual({
      ready: true,
      checks: { database: "ok", migrations: "ok", shutdown: "ok" },
    });
  });

  it("is not ready while migrations are pending, and names them", () => {
    const readiness = readinessFrom({ databaseError: null, pendingMigrations: ["a", "b", "c", "d"], stopping: false });
    expect(readiness.ready).toBe(false);
    expect(readiness.checks.migrations).toBe("4 pending (a, b, c, ...)");
  });

  it("is not ready when the database does not answer", () => {
    const readiness = readinessFrom({ databaseError: "timeout after 2000 ms", pendingMigrations: null, stopping: false });
    expect(readiness).toEqual({
      ready: false,
      checks: { database: "unreachable: timeout after 2000 ms", migrations: "unknown", shutdown: "ok" },
    });
  });

  it("is not ready while shutting down, even with a healthy database", () => {
    expect(readinessFrom({ databaseError: null, pendingMigrations: [], stopping: true }).ready).toBe(false);
  });
});
