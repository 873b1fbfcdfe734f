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
  | "Pipeline"
  | "Escalation"
  | "EscalationReason"
  | "EscalationReport"
  | "HelpQuestion"
  | "Capacity";

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
  { to: "/escalations", label: "My escalations", requires: ["read", "Escalation"] },
  { to: "/help", label: "Help inbox", requires: ["update", "HelpQuestion"] },
  // Shown when the role may use any page of SETTINGS_ITEMS (see navigationFor).
  { to: "/settings", label: "Settings" },
  { to: "/presence", label: "Presence", requires: ["take", "Case"] },
  { to: "/users", label: "People", requires: ["read", "User"] },
  { to: "/volunteers", label: "Volunteers", requires: ["read", "Volunteer"] },
  { to: "/volunteers/pipeline", label: "Pipeline", requires: ["read", "Pipeline"] },
  { to: "/capacity", label: "Capacity", requires: ["read", "Capacity"] },
  { to: "/training", label: "Training", requires: ["read", "Training"] },
  { to: "/training/report", label: "Training report", requires: ["read", "TrainingReport"] },
  { to: "/escalations/report", label: "Escalation rates", requires: ["read", "EscalationReport"] },
];

/** The pages supervisors and admins set things up and oversee on, listed on /settings (the main navigation stays on one line). */
export const SETTINGS_ITEMS: NavItem[] = [
  { to: "/rules", label: "Priority, classification and bot rules", requires: ["read", "RuleSet"] },
  { to: "/templates", label: "Reply templates, contact reasons and service targets", requires: ["update", "ReplyTemplate"] },
  { to: "/topics", label: "Topics and the skills they need", requires: ["read", "Topic"] },
  { to: "/routing", label: "Routing: escalations first and skill relaxation", requires: ["update", "RuleSet"] },
  { to: "/channels", label: "Channels", requires: ["update", "Channel"] },
  { to: "/integrations", label: "Integrations (connectors and their webhooks)", requires: ["read", "Integration"] },
  { to: "/cases/import", label: "Import cases from a file", requires: ["create", "Case"] },
  { to: "/escalations/reasons", label: "Escalation reasons and their training modules", requires: ["update", "EscalationReason"] },
  { to: "/audit", label: "Audit log: who changed what", requires: ["read", "AuditLog"] },
  { to: "/permissions", label: "Permissions: who may do what, and why", requires: ["read", "Permission"] },
];

const allowed = (ability: AppAbility) => (item: NavItem) => !item.requires || ability.can(item.requires[0], item.requires[1]);

export function settingsFor(ability: AppAbility): NavItem[] {
  return SETTINGS_ITEMS.filter(allowed(ability));
}

export function navigationFor(ability: AppAbility): NavItem[] {
  const settings = settingsFor(ability).length > 0;
  return NAV_ITEMS.filter((item) => (item.to === "/settings" ? settings : allowed(ability)(item)));
}
