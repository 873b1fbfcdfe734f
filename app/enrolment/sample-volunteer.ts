import type { VolunteerEnrolment } from "./volunteer-schema";

/**
 * One volunteer as the enrolment schema returns her (trimmed, codes in
 * canonical case, channels without repeats): the enrolment tests start
 * from this and change what they are about.
 */
export const SAMPLE_VOLUNTEER = {
  name: "Sanne de Vries",
  email: "sanne.devries@airline.example",
  employeeNumber: "E104233",
  origin: "cabin_crew",
  homeBase: "AMS",
  languages: [
    { code: "nl", proficiency: "native" },
    { code: "en", proficiency: "fluent" },
  ],
  channels: ["whatsapp", "messenger"],
  timeZone: "Europe/Amsterdam",
  startDate: "2024-03-16",
} as const satisfies Partial<VolunteerEnrolment>;
