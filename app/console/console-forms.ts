// The console's forms: one zod schema each, used by react-hook-form in the
// browser and by the route on the server.
import { z } from "zod";

const id = z.string().trim().min(1).max(100);

export const replyForm = z
  .object({
    templateId: z.string().trim().max(100).optional().default(""),
    /** An optional personal first line before a template, or the whole free-text reply. */
    text: z.string().trim().max(4000, "Keep the reply under 4,000 characters.").optional().default(""),
  })
  .refine((value) => value.templateId !== "" || value.text !== "", { message: "Choose a template or write a reply.", path: ["templateId"] });

export const noteForm = z.object({
  body: z.string().trim().min(1, "Write the note.").max(4000, "Keep the note under 4,000 characters."),
});

export const holdForm = z.object({ intent: z.literal("hold") });
export const resumeForm = z.object({ intent: z.literal("resume") });
export const identityForm = z.object({
  intent: z.literal("identity"),
  confirmed: z.literal("on", { error: "Confirm that the customer gave the booking reference and a passenger's family name." }),
});
export const resolveForm = z.object({
  intent: z.literal("resolve"),
  reasons: z
    .union([id, z.array(id)], { error: "Choose at least one contact reason." })
    .transform((value) => (Array.isArray(value) ? value : [value]))
    .pipe(z.array(id).min(1, "Choose at least one contact reason.").max(5, "Choose at most five contact reasons.")),
  autoNext: z.enum(["on", "off"]).optional(),
});

export const caseWorkForm = z.discriminatedUnion("intent", [holdForm, resumeForm, identityForm, resolveForm]);
export type CaseWork = z.output<typeof caseWorkForm>;

// Supervisor lists.
const checkbox = z.enum(["on"]).optional().transform((value) => value === "on");

export const templateForm = z.object({
  intent: z.literal("template"),
  id: z.string().trim().max(100).optional().transform((value) => value || undefined),
  name: z.string().trim().min(2, "Name the template.").max(120, "Keep the name under 120 characters."),
  language: z.string().trim().regex(/^[a-z]{2}$/, "Use a two-letter language code such as en or nl."),
  body: z.string().trim().min(10, "Write the template's text.").max(4000, "Keep the text under 4,000 characters."),
  disclosesBooking: checkbox,
  active: checkbox,
});

export const contactReasonForm = z.object({
  intent: z.literal("reason"),
  id: z.string().trim().regex(/^[a-z0-9-]{2,40}$/, "Use 2 to 40 lower-case letters, digits or dashes."),
  label: z.string().trim().min(2, "Give the reason a label.").max(80, "Keep the label under 80 characters."),
  active: checkbox,
});

const minutesField = z.coerce.number({ error: "Enter minutes." }).int("Enter whole minutes.").min(1, "At least one minute.").max(43_200, "At most 30 days.");

export const serviceTargetsForm = z.object({
  intent: z.literal("targets"),
  firstResponse: z.array(minutesField).length(8),
  resolution: z.array(minutesField).length(8),
});

export const consoleListsForm = z.discriminatedUnion("intent", [templateForm, contactReasonForm, serviceTargetsForm]);
