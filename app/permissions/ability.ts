// The one place that says who may do what. Used on the server for every
// loader and action, and sent packed to the browser so the UI mirrors it.
import { AbilityBuilder, type Ability } from "@casl/ability";
import { packRules, unpackRules, type PackRule } from "@casl/ability/extra";
import { createPrismaAbility, type PrismaQuery, type Subjects } from "@casl/prisma";
import type { AccountStatus, AuditLog, Case, Gesture, Role, User, Volunteer } from "@prisma/client";

export type Action =
  | "manage"
  | "create"
  | "read"
  | "update"
  | "delete"
  | "invite"
  | "assign"
  | "release"
  | "grant"
  | "revoke"
  | "take"
  | "escalate"
  | "reclassify";

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
  | Subjects<{ User: User; Case: Case; Volunteer: Volunteer; AuditLog: AuditLog; Gesture: Gesture }>;

export type AppAbility = Ability<[Action, AppSubjects], PrismaQuery>;

export interface AbilityUser {
  id: string;
  role: Role;
  status: AccountStatus;
}

type RuleBuilder = AbilityBuilder<AppAbility>;

// Roles planners may create; only an admin creates planners, supervisors, admins.
const ROLES_A_PLANNER_MAY_CREATE: Role[] = ["volunteer", "agent"];

const rulesByRole: Record<Role, (user: AbilityUser, builder: RuleBuilder) => void> = {
  admin(_user, { can }) {
    can("manage", "all");
  },
  supervisor(_user, { can }) {
    can("read", "Case");
    can(["assign", "reclassify"], "Case");
    can("read", "User");
    can("read", "Volunteer");
    can("read", "AuditLog");
    can("read", "TrainingReport");
    can(["read", "update"], "RuleSet");
    can("read", "Gesture");
    can(["read", "update"], "GestureLimit");
  },
  planner(_user, { can }) {
    can("read", "User");
    can("create", "User", { role: { in: ROLES_A_PLANNER_MAY_CREATE } });
    can("invite", "User", { role: { in: ROLES_A_PLANNER_MAY_CREATE } });
    can(["read", "create", "update", "release", "invite"], "Volunteer");
    can("create", "EnrolmentImport");
    can("read", "TrainingReport");
    can(["grant", "revoke"], "Skill");
  },
  agent(user, { can }) {
    // Experienced agents see the whole queue and work the cases they hold.
    can("read", "Case");
    can("take", "Case");
    can(["update", "escalate"], "Case", { assigneeId: user.id });
    can("reclassify", "Case");
    can("read", "Training");
    can("create", "Gesture");
  },
  volunteer(user, { can }) {
    // Volunteers see and work only the cases assigned to them.
    can("read", "Case", { assigneeId: user.id });
    can(["update", "escalate"], "Case", { assigneeId: user.id });
    can("take", "Case");
    can("read", "Training");
    can("create", "Gesture");
  },
};

export function defineAbilityFor(user: AbilityUser | null): AppAbility {
  const builder = new AbilityBuilder<AppAbility>(createPrismaAbility);
  if (user && user.status === "active") rulesByRole[user.role](user, builder);
  return builder.build();
}

export type PackedRules = PackRule<AppAbility["rules"][number]>[];

export function packAbility(ability: AppAbility): PackedRules {
  return packRules(ability.rules);
}

export function unpackAbility(packed: PackedRules): AppAbility {
  return createPrismaAbility<AppAbility>(unpackRules(packed));
}
