// The one set of enrolment rules. The enrolment form validates with it in
// the browser (react-hook-form + zodResolver), the server re-validates every
// post with it, and each row of a bulk CSV import goes through it, so a
// volunteer is never accepted by one path and refused by another.
//
// The input side is plain strings (what HTML inputs and CSV cells hold); the
// output side is normalised: lower-case email, upper-case airport code,
// ISO dates, known enum values. Messages are sentences a planner can act on.
import { refineText, type TextKind } from "~/forms/text-rule";
import type { Proficiency, VolunteerOrigin } from "@prisma/client";
import { z } from "zod";
import { CHANNELS, isChannelId, type ChannelId } from "~/reference/channels";
import { isAirportCode } from "~/reference/airports";
import { isLanguageCode, type LanguageCode } from "~/reference/languages";
import { canonicalTimeZone } from "~/reference/time-zones";

export const VOLUNTEER_ORIGINS = ["cabin_crew", "pilot", "ground", "office", "other"] as const satisfies readonly VolunteerOrigin[];
export const PROFICIENCIES = ["native", "fluent", "basic"] as const satisfies readonly Proficiency[];

export const ORIGIN_LABELS: Record<VolunteerOrigin, string> = {
  cabin_crew: "cabin crew",
  pilot: "pilot",
  ground: "ground",
  office: "office",
  other: "other",
};

/** Longest accepted value per text field; the database columns are unbounded, the people reading them are not. */
export const FIELD_MAX_LENGTH = {
  name: 120,
  email: 254,
  employeeNumber: 32,
  homeBase: 16,
  timeZone: 64,
  availability: 200,
  date: 20,
  notes: 2000,
  languageCode: 40,
  proficiency: 20,
  channel: 40,
} as const;

export const MAX_LANGUAGES = 12;

/** Spreadsheet formula starters (OWASP CSV injection); a name never starts with one. */
const FORMULA_START = /^[=+\-@\t\r]/;

const originList = `${VOLUNTEER_ORIGINS.slice(0, -1)
  .map((origin) => ORIGIN_LABELS[origin])
  .join(", ")} or ${ORIGIN_LABELS.other}`;
const channelList = CHANNELS.map((channel) => channel.id).join(", ");

function quoted(value: unknown): string {
  return `'${String(value)}'`;
}

/** A required text field: missing, blank and too long each get their own sentence. */
function requiredText(label: string, max: number, kind: TextKind = "text") {
  return z
    .string({ error: `Enter the volunteer's ${label}.` })
    .superRefine(refineText(kind, label))
    .trim()
    .min(1, `Enter the volunteer's ${label}.`)
    .max(max, `The ${label} may be at most ${max} characters long.`);
}

/** An optional text field: blank means "not given" (undefined), never "". */
function optionalText(label: string, max: number) {
  return z
    .string({ error: `The ${label} must be text.` })
    .superRefine(refineText("text", label))
    .trim()
    .max(max, `The ${label} may be at most ${max} characters long.`)
    .optional()
    .transform((value) => (value ? value : undefined));
}

// Dates arrive as 2024-03-15 (date inputs, ISO files) or 15-03-2024 /
// 15/03/2024 / 15.3.2024 (typed by hand, Dutch spreadsheets).
const DAY_FIRST = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/;

function toIsoDate(value: string): string {
  const dayFirst = DAY_FIRST.exec(value);
  if (!dayFirst) return value;
  const [, day, month, year] = dayFirst as unknown as [string, string, string, string];
  return `${year}-${month.padStart(2, "0")}-${day.padStart(2, "0")}`;
}

const isIsoDate = z.iso.date();

function optionalDate(label: string) {
  return optionalText(label, FIELD_MAX_LENGTH.date).transform((value, context) => {
    if (value === undefined) return undefined;
    const iso = toIsoDate(value);
    if (!isIsoDate.safeParse(iso).success) {
      context.issues.push({
        code: "custom",
        input: value,
        message: `The ${label} ${quoted(value)} is not a real date; write it as 2024-03-15 or 15-03-2024.`,
      });
      return z.NEVER;
    }
    return iso;
  });
}

const languageSchema = z
  .object({
    code: z
      .string({ error: "Choose a language." })
      .trim()
      .toLowerCase()
      .min(1, "Choose a language.")
      .max(FIELD_MAX_LENGTH.languageCode, `A language code is at most ${FIELD_MAX_LENGTH.languageCode} characters.`),
    proficiency: z
      .string({ error: "Choose a proficiency: native, fluent or basic." })
      .trim()
      .toLowerCase()
      .max(FIELD_MAX_LENGTH.proficiency, "Choose a proficiency: native, fluent or basic."),
  })
  .transform((entry, context): { code: LanguageCode; proficiency: Proficiency } => {
    const { code, proficiency } = entry;
    if (!isLanguageCode(code)) {
      context.issues.push({
        code: "custom",
        input: code,
        path: ["code"],
        message: `Unknown language code ${quoted(code)}. Use a two-letter ISO 639-1 code such as nl, en or fr.`,
      });
    }
    if (!(PROFICIENCIES as readonly string[]).includes(proficiency)) {
      context.issues.push({
        code: "custom",
        input: proficiency,
        path: ["proficiency"],
        message: proficiency
          ? `Unknown proficiency ${quoted(proficiency)} for language ${quoted(code)}; use native, fluent or basic.`
          : `Give a proficiency for language ${quoted(code)}: native, fluent or basic.`,
      });
    }
    return { code: code as LanguageCode, proficiency: proficiency as Proficiency };
  });

export const volunteerSchema = z
  .object({
    name: requiredText("name", FIELD_MAX_LENGTH.name, "name").refine((name) => !FORMULA_START.test(name), {
      error: (issue) => `The name ${quoted(issue.input)} starts with a formula character (= + - @); enter the person's real name.`,
    }),
    email: requiredText("work email", FIELD_MAX_LENGTH.email)
      .toLowerCase()
      .pipe(z.email({ error: (issue) => `${quoted(issue.input)} is not a valid email address.` })),
    employeeNumber: requiredText("employee number", FIELD_MAX_LENGTH.employeeNumber)
      .toUpperCase()
      // Empty is left to the "enter the employee number" message above.
      .regex(/^(?:[A-Z0-9][A-Z0-9._/-]*)?$/, {
        error: (issue) =>
          `The employee number ${quoted(issue.input)} may only contain letters, digits, dots, dashes and slashes.`,
      }),
    origin: z
      .string({ error: `Choose where the volunteer comes from: ${originList}.` })
      .trim()
      .min(1, `Choose where the volunteer comes from: ${originList}.`)
      .pipe(z.enum(VOLUNTEER_ORIGINS, { error: (issue) => `Unknown origin ${quoted(issue.input)}; use ${originList}.` })),
    homeBase: optionalText("home base", FIELD_MAX_LENGTH.homeBase)
      .transform((code) => code?.toUpperCase())
      .refine((code) => code === undefined || isAirportCode(code), {
        error: (issue) => `Unknown airport code ${quoted(issue.input)}; use the three-letter IATA code of the home base, such as AMS.`,
      }),
    languages: z
      .array(languageSchema, { error: "Add at least one language the volunteer speaks." })
      .min(1, "Add at least one language the volunteer speaks.")
      .max(MAX_LANGUAGES, `List at most ${MAX_LANGUAGES} languages.`)
      .superRefine(
        (languages, context) => {
          const seen = new Set<string>();
          for (const [index, language] of languages.entries()) {
            // Entries that failed their own checks may be incomplete here.
            if (typeof language?.code !== "string" || !language.code) continue;
            if (seen.has(language.code)) {
            context.addIssue({
              code: "custom",
              path: [index, "code"],
                message: `Language ${quoted(language.code)} is listed more than once; keep one entry with the best proficiency.`,
              });
            }
            seen.add(language.code);
          }
        },
        // Report duplicates even when another language entry is wrong.
        { when: (payload) => Array.isArray(payload.value) },
      ),
    channels: z
      .array(
        z
          .string()
          .trim()
          .toLowerCase()
          .max(FIELD_MAX_LENGTH.channel, "A channel name is too long.")
          .refine(isChannelId, { error: (issue) => `Unknown channel ${quoted(issue.input)}; use ${channelList}.` }),
        { error: "Choose at least one channel the volunteer can serve." },
      )
      .min(1, "Choose at least one channel the volunteer can serve.")
      // Ticking a channel twice is harmless; store it once.
      .transform((channels) => [...new Set(channels)] as ChannelId[]),
    timeZone: optionalText("time zone", FIELD_MAX_LENGTH.timeZone).transform((zone, context) => {
      if (zone === undefined) return undefined;
      const canonical = canonicalTimeZone(zone);
      if (!canonical) {
        context.issues.push({
          code: "custom",
          input: zone,
          message: `Unknown time zone ${quoted(zone)}; use a name such as Europe/Amsterdam or UTC.`,
        });
        return z.NEVER;
      }
      return canonical;
    }),
    availability: optionalText("availability", FIELD_MAX_LENGTH.availability),
    startDate: optionalDate("start date"),
    endDate: optionalDate("end date"),
    notes: optionalText("notes", FIELD_MAX_LENGTH.notes),
  })
  .refine((volunteer) => !volunteer.startDate || !volunteer.endDate || volunteer.endDate >= volunteer.startDate, {
    path: ["endDate"],
    error: (issue) => {
      const { startDate, endDate } = issue.input as { startDate: string; endDate: string };
      return `The end date ${endDate} is before the start date ${startDate}.`;
    },
    // Compare dates only when both are real dates, even if other fields failed,
    // so a row with a bad email still reports the date order too.
    when: (payload) => payload.issues.every((issue) => issue.path?.[0] !== "startDate" && issue.path?.[0] !== "endDate"),
  });

/** What a form or a CSV row holds before validation (all strings). */
export type VolunteerEnrolmentInput = z.input<typeof volunteerSchema>;
/** A validated, normalised volunteer, ready to store. */
export type VolunteerEnrolment = z.output<typeof volunteerSchema>;
export type EnrolmentField = keyof VolunteerEnrolment;
export type LanguageSkill = VolunteerEnrolment["languages"][number];

export const ENROLMENT_FIELDS = [
  "name",
  "email",
  "employeeNumber",
  "origin",
  "homeBase",
  "languages",
  "channels",
  "timeZone",
  "availability",
  "startDate",
  "endDate",
  "notes",
] as const satisfies readonly EnrolmentField[];

export const REQUIRED_ENROLMENT_FIELDS = [
  "name",
  "email",
  "employeeNumber",
  "origin",
  "languages",
  "channels",
] as const satisfies readonly EnrolmentField[];

/** Human names of the fields, for messages and the column-mapping screen. */
export const ENROLMENT_FIELD_LABELS: Record<EnrolmentField, string> = {
  name: "Name",
  email: "Email",
  employeeNumber: "Employee number",
  origin: "Origin",
  homeBase: "Home base",
  languages: "Languages",
  channels: "Channels",
  timeZone: "Time zone",
  availability: "Availability",
  startDate: "Start date",
  endDate: "End date",
  notes: "Notes",
};

export interface FieldError {
  field: EnrolmentField;
  message: string;
}

/**
 * Every problem, one per message, tied to its top-level field (a language
 * row's error belongs to "languages"). The form shows these next to the field
 * after a post without JavaScript; the CSV dry run reports them per row.
 */
export function enrolmentFieldErrors(error: z.ZodError): FieldError[] {
  const errors: FieldError[] = [];
  for (const issue of error.issues) {
    const field = issue.path[0];
    if (typeof field === "string" && (ENROLMENT_FIELDS as readonly string[]).includes(field)) {
      errors.push({ field: field as EnrolmentField, message: issue.message });
    }
  }
  return errors;
}

export function isVolunteerOrigin(value: string): value is VolunteerOrigin {
  return (VOLUNTEER_ORIGINS as readonly string[]).includes(value);
}
