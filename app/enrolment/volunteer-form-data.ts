// Turns an enrolment form post into the schema's input, for the server
// action and for browsers without JavaScript.
//
// Field names are the ones react-hook-form's register() renders, so one
// form serves both paths:
//   name, email, employeeNumber, origin, homeBase, timeZone, availability,
//   startDate, endDate, notes          single text fields
//   channels                          repeated (one checkbox per channel)
//   languages.0.code / languages.0.proficiency, languages.1.code ...
//                                     one row per language; the no-JS form
//                                     renders a few blank rows, blank ones
//                                     are dropped
//   languages                         optional extra: repeated or comma
//                                     separated tokens "nl:native", "en (fluent)"
import type { VolunteerEnrolmentInput } from "./volunteer-schema";
import { parseLanguageList, type LanguageEntryText } from "./language-list";

const TEXT_FIELDS = [
  "name",
  "email",
  "employeeNumber",
  "origin",
  "homeBase",
  "timeZone",
  "availability",
  "startDate",
  "endDate",
  "notes",
] as const;

const LANGUAGE_ROW = /^languages\.(\d+)\.(code|proficiency)$/;

/** Only text values count; a stray file input is ignored, not stringified. */
function textValue(value: FormDataEntryValue | null): string | undefined {
  return typeof value === "string" ? value : undefined;
}

export function volunteerInputFromFormData(form: FormData): VolunteerEnrolmentInput {
  const rows = new Map<number, LanguageEntryText>();
  for (const [key, value] of form.entries()) {
    const match = LANGUAGE_ROW.exec(key);
    if (!match || typeof value !== "string") continue;
    const position = Number(match[1]);
    const row = rows.get(position) ?? { code: "", proficiency: "" };
    row[match[2] as keyof LanguageEntryText] = value;
    rows.set(position, row);
  }
  const languages = [...rows.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, row]) => row)
    .filter((row) => row.code.trim() !== "" || row.proficiency.trim() !== "");
  for (const tokens of form.getAll("languages")) {
    if (typeof tokens === "string") languages.push(...parseLanguageList(tokens));
  }

  const input: VolunteerEnrolmentInput = {
    name: textValue(form.get("name")) ?? "",
    email: textValue(form.get("email")) ?? "",
    employeeNumber: textValue(form.get("employeeNumber")) ?? "",
    origin: textValue(form.get("origin")) ?? "",
    languages,
    channels: form.getAll("channels").filter((value): value is string => typeof value === "string"),
  };
  for (const field of TEXT_FIELDS) {
    if (field in input) continue;
    const value = textValue(form.get(field));
    if (value !== undefined) (input as Record<string, unknown>)[field] = value;
  }
  return input;
}
