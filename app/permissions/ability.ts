// The one place that says who may do what. Used on the server for every
// loader and action, and sent packed to the browser so the UI mirrors it.
import { AbilityBuilder, type Ability } from "@casl/ability";
import { packRules, unpackRules, type PackRule } from "@casl/ability/extra";
import { createPrismaAbility, type PrismaQuery, type Subjects } from "@casl/prisma";
import type { AccountStatus, AuditLog, Case, Escalation, Gesture, Role, User, Volunteer, VolunteerStatus } from "@prisma/client";
import { takeConditionsFor, takingRefusal } from "~/cases/routing";
import { DEFAULT_ESCALATION_LEVELS, levelOfRole } from "~/escalation/levels";
import { DEFAULT_GESTURE_LIMITS, formatGestureAmount, GESTURE_LABELS, type GestureLimitFact } from "~/gestures/limits";
import { CASE_FIELDS_HIDDEN_FROM_VOLUNTEERS } from "./hidden-fields";

export type Action =
  | "manage"
  | "create"
  | "read"
  | "update"
  | "delete"
  | "invite"
  /** Start a password reset (a one-time link) for an account; admins only. */
  | "resetPassword"
  | "assign"
  | "release"
  | "grant"
  | "revoke"
  | "take"
  | "escalate"
  | "reclassify"
  /** Send a message to the customer on the case's channel. */
  | "reply"
  /** Write a reply in one's own words rather than from an approved template. */
  | "compose"
  /** Write an internal note on this case. */
  | "annotate"
  /** Work an escalation one holds: hand it back with advice, return it as simple (docs/escalation.md). */
  | "advise";

export type AppSubjects =
  | "all"
  // Subjects without a single row behind them.
  | "Training"
  | "TrainingReport"
  | "Skill"
  | "RuleSet"
  | "Integration"
  | "GestureLimit"
  | "EnrolmentImport"
  // The console's reference lists and internal notes.
  | "ReplyTemplate"
  | "ContactReason"
  | "ServiceTarget"
  | "CaseNote"
  | "Channel"
  | "Topic"
  | "Pipeline"
  // Escalation: the reasons list (with training modules), the planners' rates, the help inbox.
  | "EscalationReason"
  | "EscalationReport"
  | "HelpQuestion"
  // The capacity board (per channel and language) and its alert thresholds.
  | "Capacity"
  | "CapacityThreshold"
  // The "what may they do and why" screen.
  | "Permission"
  | Subjects<{ User: User; Case: Case; Volunteer: Volunteer; AuditLog: AuditLog; Gesture: Gesture; Escalation: Escalation }>;

export type AppAbility = Ability<[Action, AppSubjects], PrismaQuery>;

export interface AbilityUser {
  id: string;
  role: Role;
  status: AccountStatus;
  /** Loaded per request (ability-facts.server.ts); absent in plain unit checks. */
  volunteerStatus?: VolunteerStatus | null;
  /** Skill ids held, e.g. "channel:whatsapp", "language:nl". */
  skills?: readonly string[];
  /** Languages whose skill is held at basic proficiency. */
  basicLanguages?: readonly string[];
  /** Topics whose skill the user does not hold (see the Topic table). */
  missingTopics?: readonly string[];
  /** The role's gesture limits; the seeded defaults when absent. */
  gestureLimits?: readonly GestureLimitFact[];
  /** The escalation level the user works at (ability-facts.server.ts); the seeded levels' answer when absent. */
  escalationLevel?: number;
}

/** Paused or released volunteers keep their account but may do nothing. */
export const VOLUNTEER_STATUSES_WITHOUT_ACCESS: VolunteerStatus[] = ["paused", "released"];

type RuleBuilder = AbilityBuilder<AppAbility>;

const skillValues = (user: AbilityUser, kind: "channel" | "language") =>
  (user.skills ?? []).filter((id) => id.startsWith(`${kind}:`)).map((id) => id.slice(kind.length + 1));

// One rule per gesture type the role may give, capped at the per-case limit.
// The daily budget and what the case already received are checked by the
// gesture action (they depend on other rows).
function gestureRules(user: AbilityUser, { can }: RuleBuilder) {
  const limits = user.gestureLimits ?? DEFAULT_GESTURE_LIMITS[user.role] ?? [];
  for (const limit of limits) {
    if (limit.perCaseLimit <= 0 || limit.dailyBudget <= 0) continue;
    can("create", "Gesture", { type: limit.type, amount: { lte: limit.perCaseLimit } }).because(
      `${user.role} limit for ${GESTURE_LABELS[limit.type].name.toLowerCase()}: ${formatGestureAmount(limit.type, limit.perCaseLimit)} per case, ${formatGestureAmount(limit.type, limit.dailyBudget)} a day`,
    );
  }
}

// "Next case" and taking a case: the routing rules of app/cases/routing.ts
// (certification, skills, complexity, basic languages, topic skills) as
// conditions on Case rows. Nothing at all before the volunteer is certified.
function takeRules(user: AbilityUser, { can, cannot }: RuleBuilder) {
  const agent = { id: user.id, role: user.role, volunteerStatus: user.volunteerStatus ?? null, skills: user.skills ?? [], basicLanguages: user.basicLanguages, missingTopics: user.missingTopics, openCasesByChannel: {} };
  if (takingRefusal(agent)) return;
  const { allowed, blockedTopics } = takeConditionsFor(agent);
  for (const conditions of allowed) can("take", "Case", conditions).because("certified for the case's channel, language and complexity");
  if (blockedTopics.length) cannot("take", "Case", { topics: { hasSome: blockedTopics } }).because("the case's topic needs a skill from training");
}

// Experts (anyone at escalation level 1 or above) work the escalations they
// hold at their level or below, and answer the help inbox.
function expertRules(user: AbilityUser, { can }: RuleBuilder) {
  const level = user.escalationLevel ?? levelOfRole(user.role, DEFAULT_ESCALATION_LEVELS);
  if (level < 1) return;
  can("advise", "Case", { assigneeId: user.id, status: "assigned", escalationLevel: { gte: 1, lte: level } }).because(
    `works escalations up to level ${level}`,
  );
  can(["read", "update"], "HelpQuestion").because("experts answer the help inbox");
}

// Roles planners may create; only an admin creates planners, supervisors, admins.
const ROLES_A_PLANNER_MAY_CREATE: Role[] = ["volunteer", "agent"];

const rulesByRole: Record<Role, (user: AbilityUser, builder: RuleBuilder) => void> = {
  admin(_user, { can, cannot }) {
    can("manage", "all");
    // Routing gives cases to agents and volunteers only (routing.ts); an
    // admin offered "Next case" would only be refused.
    cannot("take", "Case").because("admins do not take cases from the queue");
  },
  supervisor(user, builder) {
    const { can } = builder;
    can("read", "Case");
    // Supervisors work the escalations that reach them (the top level by default).
    can(["update", "escalate", "reply"], "Case", { assigneeId: user.id });
    can("compose", "Case", { assigneeId: user.id }).because("supervisors may write replies in their own words");
    can("annotate", "Case");
    expertRules(user, builder);
    can(["read", "create", "update"], "EscalationReason");
    can("read", "EscalationReport");
    can(["assign", "reclassify"], "Case");
    can("read", "User");
    can("read", "Volunteer");
    can("read", "AuditLog");
    can("read", "TrainingReport");
    can(["read", "update"], "RuleSet");
    can(["read", "update"], "Topic");
    // CSV import of cases for tests and demos (app/routes/cases.import.tsx).
    can("create", "Case");
    can("read", "Gesture");
    can(["read", "update"], "GestureLimit");
    can("read", "Permission");
    can(["read", "create", "update"], ["ReplyTemplate", "ContactReason", "ServiceTarget"]);
    can("create", "CaseNote");
    // Delivery webhooks of the channel connectors (URL, signing secret); creating and revoking stays with admins.
    can(["read", "update"], "Integration");
    // Supervisors run the queues: they watch capacity and set its alert thresholds.
    can("read", "Capacity").because("supervisors watch whether every channel and language keeps up");
    can(["read", "create", "delete"], "CapacityThreshold").because("supervisors set the capacity alert thresholds");
  },
  planner(_user, { can }) {
    can("read", "User");
    can("create", "User", { role: { in: ROLES_A_PLANNER_MAY_CREATE } });
    can("invite", "User", { role: { in: ROLES_A_PLANNER_MAY_CREATE } });
    can(["read", "create", "update", "release", "invite"], "Volunteer");
    can("create", "EnrolmentImport");
    can("read", "Pipeline");
    can("read", "TrainingReport");
    can(["grant", "revoke"], "Skill");
    // Escalation rates per volunteer and per reason, and each reason's training module.
    can("read", "EscalationReport");
    can("read", "EscalationReason");
    // Planners decide how many more people each channel and language needs.
    can("read", "Capacity").because("planners staff each channel and language from the capacity board");
    can("read", "CapacityThreshold").because("planners see the alert thresholds supervisors set");
  },
  agent(user, builder) {
    const { can } = builder;
    // Experienced agents see the whole queue and work the cases they hold.
    can("read", "Case");
    takeRules(user, builder);
    can(["update", "escalate"], "Case", { assigneeId: user.id });
    can("reclassify", "Case");
    can("read", "Training");
    can("reply", "Case", { assigneeId: user.id });
    can("compose", "Case", { assigneeId: user.id }).because("experienced agents may write replies in their own words");
    // A case they put on hold stays theirs to resume after its slot was freed.
    can("update", "Case", { holdAgentId: user.id, status: "on_hold" });
    can("create", "CaseNote");
    can("annotate", "Case");
    can("create", "HelpQuestion");
    can("read", "Escalation", { raisedById: user.id });
    expertRules(user, builder);
    gestureRules(user, builder);
  },
  volunteer(user, builder) {
    const { can } = builder;
    // Volunteers see and work only the cases assigned to them.
    can("read", "Case", { assigneeId: user.id });
    can(["update", "escalate"], "Case", { assigneeId: user.id });
    // A case they put on hold stays theirs to read and resume after its slot was freed.
    can(["read", "update"], "Case", { holdAgentId: user.id, status: "on_hold" });
    takeRules(user, builder);
    can("read", "Training");
    can("create", "CaseNote");
    can("annotate", "Case", { assigneeId: user.id });
    can("annotate", "Case", { holdAgentId: user.id, status: "on_hold" });
    // A case they escalated stays readable (read-only) from "My escalations".
    can("read", "Case", { escalations: { some: { raisedById: user.id } } }).because("they escalated it");
    can("read", "Escalation", { raisedById: user.id });
    can("create", "HelpQuestion");
    // Replies only on channels and in languages the volunteer is certified for.
    const channels = skillValues(user, "channel");
    const languages = skillValues(user, "language");
    if (channels.length && languages.length) {
      can("reply", "Case", { assigneeId: user.id, channelId: { in: channels }, language: { in: languages } }).because(
        "volunteers reply on their certified channels and languages",
      );
    }
    gestureRules(user, builder);
    // Field-level: no customer account id, earlier-contact key or payment state.
    builder.cannot("read", "Case", [...CASE_FIELDS_HIDDEN_FROM_VOLUNTEERS]).because("customer details are not shown to volunteers");
  },
};

export function defineAbilityFor(user: AbilityUser | null): AppAbility {
  const builder = new AbilityBuilder<AppAbility>(createPrismaAbility);
  const volunteerBlocked = user?.volunteerStatus != null && VOLUNTEER_STATUSES_WITHOUT_ACCESS.includes(user.volunteerStatus);
  if (user && user.status === "active" && !volunteerBlocked) rulesByRole[user.role](user, builder);
  return builder.build();
}

export type PackedRules = PackRule<AppAbility["rules"][number]>[];

export function packAbility(ability: AppAbility): PackedRules {
  return packRules(ability.rules);
}

export function unpackAbility(packed: PackedRules): AppAbility {
  return createPrismaAbility<AppAbility>(unpackRules(packed));
}
