import type { Action, AppAbility } from "./permissions/ability";

type Subject =
  | "Case"
  | "User"
  | "AuditLog"
  | "Volunteer"
  | "Training"
  | "TrainingReport"
  | "Permission"
  | "RuleSet"
  | "Integration"
  | "CaseNote"
  | "ReplyTemplate"
  | "Channel"
  | "Topic"
  | "Pipeline";

export interface NavItem {
  to: string;
  label: string;
  /** Shown only when the ability allows this; the route checks it again. */
  requires?: [Action, Subject];
}

export const NAV_ITEMS: NavItem[] = [
  { to: "/", label: "Home" },
  { to: "/cases", label: "Cases", requires: ["read", "Case"] },
  { to: "/cases/next", label: "Next case", requires: ["take", "Case"] },
  { to: "/inbox", label: "Mentions", requires: ["create", "CaseNote"] },
  { to: "/presence", label: "Presence", requires: ["take", "Case"] },
  { to: "/cases/import", label: "Import cases", requires: ["create", "Case"] },
  { to: "/rules", label: "Rules", requires: ["read", "RuleSet"] },
  { to: "/templates", label: "Templates", requires: ["update", "ReplyTemplate"] },
  { to: "/integrations", label: "Integrations", requires: ["read", "Integration"] },
  { to: "/users", label: "People", requires: ["read", "User"] },
  { to: "/volunteers", label: "Volunteers", requires: ["read", "Volunteer"] },
  { to: "/volunteers/pipeline", label: "Pipeline", requires: ["read", "Pipeline"] },
  { to: "/topics", label: "Topics", requires: ["read", "Topic"] },
  { to: "/channels", label: "Channels", requires: ["update", "Channel"] },
  { to: "/audit", label: "Audit log", requires: ["read", "AuditLog"] },
  { to: "/permissions", label: "Permissions", requires: ["read", "Permission"] },
  { to: "/training", label: "Training", requires: ["read", "Training"] },
  { to: "/training/report", label: "Training report", requires: ["read", "TrainingReport"] },
];

export function navigationFor(ability: AppAbility): NavItem[] {
  return NAV_ITEMS.filter((item) => !item.requires || ability.can(item.requires[0], item.requires[1]));
}
