import { subject } from "@casl/ability";
import type { Role } from "@prisma/client";
import { describe, expect, it } from "vitest";
import { navigationFor, settingsFor } from "../navigation";
import { defineAbilityFor, packAbility, unpackAbility, type AbilityUser, type Action, type AppSubjects } from "./ability";
import { CASE_FIELDS_HIDDEN_FROM_VOLUNTEERS } from "./hidden-fields";

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
  // Supervisors work the escalations that reach them: the cases they hold.
  supervisor: [true, true, true, false, true, true, false, false, true, false],
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
    expect(navigationFor(defineAbilityFor(user("volunteer"))).map((i) => i.to)).toContain("/cases");
    expect(navigationFor(defineAbilityFor(user("volunteer"))).map((i) => i.to)).not.toContain("/permissions");
    expect(navigationFor(defineAbilityFor(user("planner"))).map((i) => i.to)).toContain("/users");
    expect(navigationFor(defineAbilityFor(user("planner"))).map((i) => i.to)).not.toContain("/permissions");
    // The permissions screen is offered on Settings, to the roles the ability lets read it.
    expect(settingsFor(defineAbilityFor(user("supervisor"))).map((i) => i.to)).toContain("/permissions");
    expect(settingsFor(defineAbilityFor(user("admin"))).map((i) => i.to)).toContain("/permissions");
    expect(settingsFor(defineAbilityFor(user("planner"))).map((i) => i.to)).not.toContain("/permissions");
  });
});

// ---------------------------------------------------------------------------
// Every actor x every action x representative resources. Each actor lists the
// "action resource" pairs it may do; every other pair must be refused.

type Actor = "admin" | "supervisor" | "planner" | "agent" | "volunteer" | "volunteer in training" | "paused volunteer" | "released volunteer" | "disabled agent";

const SKILLS = ["channel:whatsapp", "channel:messenger", "language:en", "language:nl", "task:console-basics"];

const ACTORS: Record<Actor, AbilityUser> = {
  admin: { id: "me", role: "admin", status: "active" },
  supervisor: { id: "me", role: "supervisor", status: "active" },
  planner: { id: "me", role: "planner", status: "active" },
  agent: { id: "me", role: "agent", status: "active", volunteerStatus: null, skills: [] },
  volunteer: { id: "me", role: "volunteer", status: "active", volunteerStatus: "active", skills: SKILLS, missingTopics: ["refund-status", "voucher"] },
  // Enrolled with skills but not certified yet: everything but taking cases.
  "volunteer in training": { id: "me", role: "volunteer", status: "active", volunteerStatus: "training", skills: SKILLS },
  "paused volunteer": { id: "me", role: "volunteer", status: "active", volunteerStatus: "paused", skills: SKILLS },
  "released volunteer": { id: "me", role: "volunteer", status: "active", volunteerStatus: "released", skills: SKILLS },
  "disabled agent": { id: "me", role: "agent", status: "disabled" },
};

const ACTIONS: Action[] = ["create", "read", "update", "delete", "invite", "resetPassword", "assign", "release", "grant", "revoke", "take", "escalate", "reclassify", "reply"];

const caseRow = (fields: Record<string, unknown>) =>
  subject("Case", { id: "c", status: "assigned", channelId: "whatsapp", language: "en", complexity: "simple", topics: [], ...fields } as never) as AppSubjects;

const RESOURCES: Record<string, AppSubjects> = {
  "own-case": caseRow({ assigneeId: "me" }),
  "own-case-in-french": caseRow({ assigneeId: "me", language: "fr" }),
  "others-case": caseRow({ assigneeId: "someone-else" }),
  "refund-case": caseRow({ assigneeId: null, status: "open", topics: ["refund-status"] }),
  "escalated-case": caseRow({ assigneeId: null, status: "escalated" }),
  "released-user": subject("User", { id: "u9", role: "volunteer", status: "disabled" } as never) as AppSubjects,
  "new-admin": subject("User", { role: "admin" } as never) as AppSubjects,
  "released-volunteer": subject("Volunteer", { id: "v9", status: "released" } as never) as AppSubjects,
  "1000-miles": subject("Gesture", { type: "miles", amount: 1000 } as never) as AppSubjects,
  "5000-miles": subject("Gesture", { type: "miles", amount: 5000 } as never) as AppSubjects,
  "10-euro": subject("Gesture", { type: "money", amount: 1000 } as never) as AppSubjects,
  Training: "Training",
  TrainingReport: "TrainingReport",
  Skill: "Skill",
  RuleSet: "RuleSet",
  EnrolmentImport: "EnrolmentImport",
  GestureLimit: "GestureLimit",
  AuditLog: "AuditLog",
  Permission: "Permission",
  Capacity: "Capacity",
  CapacityThreshold: "CapacityThreshold",
};

const CASES = ["own-case", "own-case-in-french", "others-case", "escalated-case", "refund-case"];
const each = (actions: Action[], resources: string[]) => actions.flatMap((a) => resources.map((r) => `${a} ${r}`));

const ALLOWED: Record<Actor, string[]> = {
  // Everything but taking cases from the queue (routing gives them to agents and volunteers).
  admin: each(ACTIONS, Object.keys(RESOURCES)).filter((entry) => !CASES.some((c) => entry === `take ${c}`)),
  supervisor: [
    // "create" Case: the CSV case import for tests and demos.
    ...each(["read", "create", "assign", "reclassify"], CASES),
    ...each(["update", "escalate", "reply"], ["own-case", "own-case-in-french"]),
    ...each(["read"], ["released-user", "new-admin", "released-volunteer", "AuditLog", "TrainingReport", "Permission"]),
    ...each(["read", "update"], ["RuleSet", "GestureLimit"]),
    ...each(["read"], ["1000-miles", "5000-miles", "10-euro"]),
    "read Capacity",
    ...each(["read", "create", "delete"], ["CapacityThreshold"]),
  ],
  planner: [
    ...each(["read"], ["released-user", "new-admin", "TrainingReport"]),
    ...each(["create", "invite"], ["released-user"]),
    ...each(["read", "create", "update", "release", "invite"], ["released-volunteer"]),
    "create EnrolmentImport",
    ...each(["grant", "revoke"], ["Skill"]),
    ...each(["read"], ["Capacity", "CapacityThreshold"]),
  ],
  agent: [
    // No channel or language skills: may ask for a case, is given none.
    ...each(["read", "reclassify"], CASES),
    ...each(["update", "escalate", "reply"], ["own-case", "own-case-in-french"]),
    "read Training",
    ...each(["create"], ["1000-miles", "5000-miles", "10-euro"]),
  ],
  volunteer: [
    ...each(["read", "update", "escalate"], ["own-case", "own-case-in-french"]),
    // Certified for WhatsApp in English: not the French case, not the refund case before the refunds module.
    ...each(["take"], ["own-case", "others-case", "escalated-case"]),
    // Certified for WhatsApp in English and Dutch: not for the French case.
    "reply own-case",
    "read Training",
    // Up to 2,000 miles per case; no money.
    "create 1000-miles",
  ],
  "volunteer in training": [
    ...each(["read", "update", "escalate"], ["own-case", "own-case-in-french"]),
    "reply own-case",
    "read Training",
    "create 1000-miles",
  ],
  "paused volunteer": [],
  "released volunteer": [],
  "disabled agent": [],
};

describe("every actor x every action x representative resources", () => {
  const rows = (Object.keys(ACTORS) as Actor[]).flatMap((actor) => ACTIONS.map((action) => [actor, action] as const));
  it.each(rows)("%s: %s", (actor, action) => {
    const ability = defineAbilityFor(ACTORS[actor]);
    const allowed = Object.keys(RESOURCES).filter((name) => ability.can(action, RESOURCES[name]!));
    const expected = ALLOWED[actor].filter((pair) => pair.startsWith(`${action} `)).map((pair) => pair.slice(action.length + 1));
    expect(allowed.sort()).toEqual(expected.sort());
  });

  it.each(Object.keys(ACTORS) as Actor[])("the browser's unpacked copy answers the same for %s", (actor) => {
    const server = defineAbilityFor(ACTORS[actor]);
    const browser = unpackAbility(JSON.parse(JSON.stringify(packAbility(server))));
    for (const action of ACTIONS) {
      for (const resource of Object.values(RESOURCES)) expect(browser.can(action, resource)).toBe(server.can(action, resource));
    }
  });
});

describe("skills, limits and fields", () => {
  it("lets a volunteer reply only on channels and in languages they hold a skill for", () => {
    const ability = defineAbilityFor({ ...ACTORS.volunteer, skills: ["channel:email", "language:de"] });
    expect(ability.can("reply", caseRow({ assigneeId: "me", channelId: "email", language: "de" }))).toBe(true);
    expect(ability.can("reply", caseRow({ assigneeId: "me", channelId: "whatsapp", language: "de" }))).toBe(false);
    expect(ability.can("reply", caseRow({ assigneeId: "me", channelId: "email", language: "en" }))).toBe(false);
    expect(ability.can("reply", caseRow({ assigneeId: "other", channelId: "email", language: "de" }))).toBe(false);
  });

  it("gives a volunteer without channel or language skills no reply at all", () => {
    expect(defineAbilityFor({ ...ACTORS.volunteer, skills: ["language:en"] }).can("reply", "Case")).toBe(false);
    expect(defineAbilityFor({ ...ACTORS.volunteer, skills: [] }).can("reply", "Case")).toBe(false);
  });

  it("caps gestures at the role's per-case limit from the loaded limits", () => {
    const ability = defineAbilityFor({ ...ACTORS.volunteer, gestureLimits: [{ type: "money", perCaseLimit: 2500, dailyBudget: 10000 }] });
    const gesture = (type: string, amount: number) => subject("Gesture", { type, amount } as never) as AppSubjects;
    expect(ability.can("create", gesture("money", 2500))).toBe(true);
    expect(ability.can("create", gesture("money", 2501))).toBe(false);
    // Only the loaded limits count: no miles row, no miles.
    expect(ability.can("create", gesture("miles", 1))).toBe(false);
  });

  it("gives no gesture rule for a type switched off with a zero limit", () => {
    const ability = defineAbilityFor({ ...ACTORS.agent, gestureLimits: [{ type: "miles", perCaseLimit: 0, dailyBudget: 0 }] });
    expect(ability.can("create", "Gesture")).toBe(false);
  });

  it("hides the customer's account id, thread key and payment state from volunteers only", () => {
    const volunteer = defineAbilityFor(ACTORS.volunteer);
    const agent = defineAbilityFor(ACTORS.agent);
    const own = RESOURCES["own-case"]!;
    for (const field of CASE_FIELDS_HIDDEN_FROM_VOLUNTEERS) {
      expect(volunteer.can("read", own, field)).toBe(false);
      expect(agent.can("read", own, field)).toBe(true);
    }
    expect(volunteer.can("read", own, "subject")).toBe(true);
    expect(volunteer.can("read", own)).toBe(true);
  });
});

describe("escalation", () => {
  const escalated = (fields: Record<string, unknown>) =>
    subject("Case", { id: "c", status: "assigned", channelId: "whatsapp", language: "en", complexity: "complex", topics: [], ...fields } as never) as AppSubjects;

  it("lets a volunteer read, not work, a case they escalated", () => {
    const ability = defineAbilityFor({ id: "me", role: "volunteer", status: "active", volunteerStatus: "certified" });
    const mine = escalated({ status: "escalated", assigneeId: null, escalations: [{ raisedById: "me" }] });
    expect(ability.can("read", mine)).toBe(true);
    for (const action of ["update", "escalate", "reply", "annotate"] as const) expect(ability.can(action, mine)).toBe(false);
    expect(ability.can("read", escalated({ status: "escalated", assigneeId: null, escalations: [{ raisedById: "other" }] }))).toBe(false);
    expect(ability.can("read", subject("Escalation", { raisedById: "me" } as never) as AppSubjects)).toBe(true);
    expect(ability.can("read", subject("Escalation", { raisedById: "other" } as never) as AppSubjects)).toBe(false);
  });

  it("lets an expert advise only on an escalation they hold at their level or below", () => {
    const agent = defineAbilityFor({ id: "me", role: "agent", status: "active", escalationLevel: 1 });
    expect(agent.can("advise", escalated({ assigneeId: "me", escalationLevel: 1 }))).toBe(true);
    expect(agent.can("advise", escalated({ assigneeId: "me", escalationLevel: 2 }))).toBe(false);
    expect(agent.can("advise", escalated({ assigneeId: "me", escalationLevel: 0 }))).toBe(false);
    expect(agent.can("advise", escalated({ assigneeId: "other", escalationLevel: 1 }))).toBe(false);
    const supervisor = defineAbilityFor({ id: "me", role: "supervisor", status: "active", escalationLevel: 2 });
    expect(supervisor.can("advise", escalated({ assigneeId: "me", escalationLevel: 2 }))).toBe(true);
    const volunteer = defineAbilityFor({ id: "me", role: "volunteer", status: "active", volunteerStatus: "certified" });
    expect(volunteer.can("advise", escalated({ assigneeId: "me", escalationLevel: 1 }))).toBe(false);
  });

  it("gives the help inbox to experts, the reasons to supervisors, the rates to planners", () => {
    const can = (role: Role, action: Action, what: AppSubjects) => defineAbilityFor(user(role)).can(action, what);
    expect(can("agent", "update", "HelpQuestion")).toBe(true);
    expect(can("volunteer", "update", "HelpQuestion")).toBe(false);
    expect(can("volunteer", "create", "HelpQuestion")).toBe(true);
    expect(can("supervisor", "update", "EscalationReason")).toBe(true);
    expect(can("planner", "update", "EscalationReason")).toBe(false);
    expect(can("planner", "read", "EscalationReport")).toBe(true);
    expect(can("agent", "read", "EscalationReport")).toBe(false);
  });
});
