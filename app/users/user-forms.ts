import { z } from "zod";
import { refineText } from "~/forms/text-rule";
import { emailField } from "~/auth/auth-forms";

export const ROLES = ["volunteer", "agent", "planner", "supervisor", "admin"] as const;

export const ROLE_LABELS: Record<(typeof ROLES)[number], string> = {
  volunteer: "Volunteer",
  agent: "Experienced agent",
  planner: "Planner",
  supervisor: "Supervisor",
  admin: "Administrator",
};

/** "an administrator", "a planner": the role with its article, for sentences. */
export function roleWithArticle(role: (typeof ROLES)[number]): string {
  const label = ROLE_LABELS[role].toLowerCase();
  return `${/^[aeiou]/.test(label) ? "an" : "a"} ${label}`;
}

export const createUserSchema = z.object({
  name: z
    .string({ error: "Enter the person's name." })
    .superRefine(refineText("name", "name"))
    .trim()
    .min(1, "Enter the person's name.")
    .max(120, "A name is at most 120 characters."),
  email: emailField,
  role: z.enum(ROLES, { error: "Choose a role." }),
});

/** A person picked from the list (new invitation link, password reset). */
export const personSchema = z.object({
  userId: z.string().min(1).max(40),
});
