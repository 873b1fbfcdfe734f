import { describe, expect, it } from "vitest";
import { SAMPLE_VOLUNTEER } from "./sample-volunteer";
import { enrolmentFieldErrors, volunteerSchema, type VolunteerEnrolmentInput } from "./volunteer-schema";

// The sample as a planner might type it: padded, in odd case, a channel twice, a day-first date.
const sanne: VolunteerEnrolmentInput = {
  ...SAMPLE_VOLUNTEER,
  name: ` ${SAMPLE_VOLUNTEER.name} `,
  email: " Sanne.deVries@Airline.Example ",
  employeeNumber: SAMPLE_VOLUNTEER.employeeNumber.toLowerCase(),
  homeBase: SAMPLE_VOLUNTEER.homeBase.toLowerCase(),
  languages: [{ code: "NL", proficiency: "native" }, { code: "en", proficiency: "Fluent" }],
  channels: [...SAMPLE_VOLUNTEER.channels, "whatsapp"],
  timeZone: SAMPLE_VOLUNTEER.timeZone.toLowerCase(),
  availability: "Early shifts 06:00-14:00",
  endDate: "31-05-2024",
  notes: "",
};

function errorsOf(input: unknown): Record<string, string[]> {
  const result = volunteerSchema.safeParse(input);
  if (result.success) return {};
  const byField: Record<string, string[]> = {};
  for (const { field, message } of enrolmentFieldErrors(result.error)) (byField[field] ??= []).push(message);
  return byField;
}

describe("volunteerSchema", () => {
  it("normalises a valid volunteer", () => {
    expect(volunteerSchema.parse(sanne)).toEqual({
      ...SAMPLE_VOLUNTEER,
      availability: "Early shifts 06:00-14:00",
      endDate: "2024-05-31",
      notes: undefined,
    });
  });

  it("treats blank optional fields as not given", () => {
    const data = volunteerSchema.parse({ ...sanne, homeBase: " ", timeZone: "", startDate: "", endDate: undefined });
    expect(data.homeBase).toBeUndefined();
    expect(data.timeZone).toBeUndefined();
    expect(data.startDate).toBeUndefined();
    expect(data.endDate).toBeUndefined();
  });

  it("asks for every required field in a sentence", () => {
    expect(errorsOf({})).toEqual({
      name: ["Enter the volunteer's name."],
      email: ["Enter the volunteer's work email."],
      employeeNumber: ["Enter the volunteer's employee number."],
      origin: ["Choose where the volunteer comes from: cabin crew, pilot, ground, office or other."],
      languages: ["Add at least one language the volunteer speaks."],
      channels: ["Choose at least one channel the volunteer can serve."],
    });
  });

  it("refuses an invalid email, quoting it", () => {
    expect(errorsOf({ ...sanne, email: "sanne@airline" }).email).toEqual(["'sanne@airline' is not a valid email address."]);
    expect(errorsOf({ ...sanne, email: "not an email" }).email).toHaveLength(1);
  });

  it("refuses unknown language and airport codes", () => {
    const errors = errorsOf({ ...sanne, homeBase: "XYZ", languages: [{ code: "xx", proficiency: "fluent" }] });
    expect(errors.homeBase).toEqual(["Unknown airport code 'XYZ'; use the three-letter IATA code of the home base, such as AMS."]);
    expect(errors.languages).toEqual(["Unknown language code 'xx'. Use a two-letter ISO 639-1 code such as nl, en or fr."]);
  });

  it("refuses a missing or unknown proficiency and a language listed twice", () => {
    const errors = errorsOf({
      ...sanne,
      languages: [
        { code: "nl", proficiency: "" },
        { code: "en", proficiency: "expert" },
        { code: "NL", proficiency: "basic" },
      ],
    });
    expect(errors.languages).toEqual([
      "Give a proficiency for language 'nl': native, fluent or basic.",
      "Unknown proficiency 'expert' for language 'en'; use native, fluent or basic.",
      "Language 'nl' is listed more than once; keep one entry with the best proficiency.",
    ]);
  });

  it("refuses unknown channels, origins and time zones", () => {
    const errors = errorsOf({ ...sanne, channels: ["fax"], origin: "Steward", timeZone: "CET" });
    expect(errors.channels?.[0]).toMatch(/^Unknown channel 'fax'; use whatsapp, messenger/);
    expect(errors.origin).toEqual(["Unknown origin 'Steward'; use cabin crew, pilot, ground, office or other."]);
    expect(errors.timeZone).toEqual(["Unknown time zone 'CET'; use a name such as Europe/Amsterdam or UTC."]);
  });

  it("refuses dates in the wrong order, even when other fields are wrong too", () => {
    const errors = errorsOf({ ...sanne, email: "nope", startDate: "2024-05-31", endDate: "16-03-2024" });
    expect(errors.endDate).toEqual(["The end date 2024-03-16 is before the start date 2024-05-31."]);
    expect(errors.email).toHaveLength(1);
    expect(volunteerSchema.safeParse({ ...sanne, startDate: "2024-03-16", endDate: "2024-03-16" }).success).toBe(true);
  });

  it("refuses dates that do not exist, quoting them as written", () => {
    expect(errorsOf({ ...sanne, startDate: "31-02-2024" }).startDate).toEqual([
      "The start date '31-02-2024' is not a real date; write it as 2024-03-15 or 15-03-2024.",
    ]);
    expect(errorsOf({ ...sanne, endDate: "next week" }).endDate).toHaveLength(1);
    expect(volunteerSchema.parse({ ...sanne, startDate: "1.2.2024", endDate: "29/02/2024" }).endDate).toBe("2024-02-29");
  });

  it("limits the length of every text field", () => {
    const long = (length: number) => "a".repeat(length);
    const errors = errorsOf({
      ...sanne,
      name: long(121),
      employeeNumber: long(33),
      availability: long(201),
      notes: long(2001),
      timeZone: long(65),
    });
    expect(errors.name).toEqual(["The name may be at most 120 characters long."]);
    expect(errors.employeeNumber).toEqual(["The employee number may be at most 32 characters long."]);
    expect(errors.availability).toEqual(["The availability may be at most 200 characters long."]);
    expect(errors.notes).toEqual(["The notes may be at most 2000 characters long."]);
    expect(errors.timeZone).toEqual(["The time zone may be at most 64 characters long."]);
    expect(errorsOf({ ...sanne, email: `${long(250)}@airline.example` }).email?.[0]).toBe(
      "The work email may be at most 254 characters long.",
    );
  });

  it("refuses a name that is a spreadsheet formula and odd employee numbers", () => {
    expect(errorsOf({ ...sanne, name: "=cmd|' /C calc'!A0" }).name?.[0]).toMatch(/starts with a formula character/);
    expect(errorsOf({ ...sanne, employeeNumber: "E 104 233" }).employeeNumber).toEqual([
      "The employee number 'E 104 233' may only contain letters, digits, dots, dashes and slashes.",
    ]);
  });
});
