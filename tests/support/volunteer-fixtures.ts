// A volunteer the enrolment tests share, as volunteerSchema returns her.
import type { VolunteerEnrolment } from "../../app/enrolment/volunteer-schema";

export const SANNE: VolunteerEnrolment = {
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
  availability: undefined,
  startDate: "2024-03-16",
  endDate: undefined,
  notes: undefined,
};
