import type { Action, AppAbility } from "./permissions/ability";

type Subject = "Case" | "User" | "AuditLog" | "Volunteer" | "Training" | "TrainingReport" | "Permission" | "RuleSet" | "Integration";

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
  { to: "/rules", label: "Rules", requires: ["read", "RuleSet"] },
  { to: "/users", label: "People", requires: ["read", "User"] },
  { to: "/volunteers", label: "Volunteers", requires: ["read", "Volunteer"] },
  { to: "/integrations", label: "Integrations", requires: ["read", "Integration"] },
  { to: "/audit", label: "Audit log", requires: ["read", "AuditLog"] },
  { to: "/permissions", label: "Permissions", requires: ["read", "Permission"] },
  { to: "/training", label: "Training", requires: ["read", "Training"] },
  { to: "/training/report", label: "Training report", requires: ["read", "TrainingReport"] },
];

export function navigationFor(ability: AppAbility): NavItem[] {
  return NAV_ITEMS.filter((item) => !item.requires || ability.can(item.requires[0], item.requires[1]));
}
