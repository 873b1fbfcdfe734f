import type { Action, AppAbility } from "./permissions/ability";

type Subject = "Case" | "User" | "AuditLog" | "Volunteer";

export interface NavItem {
  to: string;
  label: string;
  /** Shown only when the ability allows this; the route checks it again. */
  requires?: [Action, Subject];
}

export const NAV_ITEMS: NavItem[] = [
  { to: "/", label: "Home" },
  { to: "/cases", label: "Cases", requires: ["read", "Case"] },
  { to: "/users", label: "People", requires: ["read", "User"] },
  { to: "/audit", label: "Audit log", requires: ["read", "AuditLog"] },
];

export function navigationFor(ability: AppAbility): NavItem[] {
  return NAV_ITEMS.filter((item) => !item.requires || ability.can(item.requires[0], item.requires[1]));
}
