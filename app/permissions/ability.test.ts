import { subject } from "@casl/ability";
import type { Role } from "@prisma/client";
import { describe, expect, it } from "vitest";
import { navigationFor } from "../navigation";
import { defineAbilityFor, packAbility, unpackAbility, type Action } from "./ability";

const user = (role: Role, status: "active" | "disabled" = "active") => ({ id: `${role}-1`, role, status });
const ownCase = (role: Role) => subject("Case", { id: "c1", assigneeId: `${role}-1` } as never);
const othersCase = subject("Case", { id: "c2", assigneeId: "someone-else" } as never);

type Check = [Action, "Case" | "User" | "Volunteer" | "AuditLog" | "own-case" | "others-case" | "new-admin" | "new-volunteer"];
const CHECKS: Check[] = [
  ["read", "own-case"],
  ["read", "others-case"],
  ["update", "own-case"],
  ["update", "others-case"],
  ["assign", "Case"],
  ["read", "User"],
  ["create", "new-volunteer"],
  ["create", "new-admin"],
  ["read", "AuditLog"],
  ["update", "Volunteer"],
];

// Expected answers, in CHECKS order, per role.
const EXPECTED: Record<Role, boolean[]> = {
  admin: [true, true, true, true, true, true, true, true, true, true],
  supervisor: [true, true, false, false, true, true, false, false, true, false],
  planner: [false, false, false, false, false, true, true, false, false, true],
  agent: [true, true, true, false, false, false, false, false, false, false],
  volunteer: [true, false, true, false, false, false, false, false, false, false],
};

function resolve(role: Role, target: Check[1]) {
  if (target === "own-case") return ownCase(role);
  if (target === "others-case") return othersCase;
  if (target === "new-admin") return subject("User", { role: "admin" } as never);
  if (target === "new-volunteer") return subject("User", { role: "volunteer" } as never);
  return target;
}

describe("defineAbilityFor", () => {
  const rows = (Object.keys(EXPECTED) as Role[]).flatMap((role) =>
    CHECKS.map(([action, target], index) => [role, action, target, EXPECTED[role][index]!] as const),
  );
  it.each(rows)("%s may %s %s: %s", (role, action, target, allowed) => {
    expect(defineAbilityFor(user(role)).can(action, resolve(role, target) as never)).toBe(allowed);
  });

  it.each(Object.keys(EXPECTED) as Role[])("a disabled %s may do nothing", (role) => {
    const ability = defineAbilityFor(user(role, "disabled"));
    for (const [action, target] of CHECKS) expect(ability.can(action, resolve(role, target) as never)).toBe(false);
  });

  it("gives a signed-out visitor nothing", () => {
    expect(defineAbilityFor(null).rules).toEqual([]);
  });

  it("survives packing for the browser with the same answers", () => {
    for (const role of Object.keys(EXPECTED) as Role[]) {
      const server = defineAbilityFor(user(role));
      const browser = unpackAbility(JSON.parse(JSON.stringify(packAbility(server))));
      for (const [action, target] of CHECKS) {
        expect(browser.can(action, resolve(role, target) as never)).toBe(server.can(action, resolve(role, target) as never));
      }
    }
  });

  it("builds the navigation from the ability", () => {
    expect(navigationFor(defineAbilityFor(user("volunteer"))).map((i) => i.to)).toEqual(["/", "/cases"]);
    expect(navigationFor(defineAbilityFor(user("planner"))).map((i) => i.to)).toEqual(["/", "/users"]);
  });
});
