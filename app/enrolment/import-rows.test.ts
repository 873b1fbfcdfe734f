import { describe, expect, it } from "vitest";
import { emptyCounts, type ImportRowOutcome } from "./import-dry-run";
import {
  describeImportRow,
  groupAmendments,
  outcomeOf,
  reportCursorOf,
  reportRowOf,
  reportViewOf,
  rowsInView,
  storedRowOf,
} from "./import-rows";
import type { VolunteerEnrolment } from "./volunteer-schema";

const data: VolunteerEnrolment = {
  name: "Sanne de Vries",
  email: "sanne.devries@airline.example",
  employeeNumber: "E104233",
  origin: "cabin_crew",
  languages: [{ code: "nl", proficiency: "native" }],
  channels: ["whatsapp"],
  timeZone: "Europe/Amsterdam",
  homeBase: "AMS",
  availability: undefined,
  startDate: "2024-03-16",
  endDate: undefined,
  notes: undefined,
};
const cells = ["Sanne de Vries", "sanne.devries@airline.example", "E104233"];

const outcomes: ImportRowOutcome[] = [
  { status: "valid", row: 2, cells, data },
  { status: "will_update", row: 3, cells, data, volunteerId: "vol-1", changes: ["homeBase", "notes"] },
  { status: "unchanged", row: 4, cells, volunteerId: "vol-1" },
  { status: "duplicate_in_file", row: 5, cells, duplicateOfRow: 2 },
  { status: "error", row: 6, cells, errors: [{ field: "email", message: "Not an email." }] },
  { status: "conflict", row: 7, cells, errors: [{ field: "employeeNumber", message: "Two people." }] },
];

describe("stored import rows", () => {
  it("round-trips every kind of outcome through the table's columns (as JSON)", () => {
    for (const outcome of outcomes) {
      const stored = JSON.parse(JSON.stringify(storedRowOf(outcome)));
      expect(outcomeOf(stored)).toEqual(outcome);
    }
  });

  it("keeps only what each status needs", () => {
    expect(storedRowOf(outcomes[2]!)).toMatchObject({ data: null, errors: null, volunteerId: "vol-1", changes: [] });
    expect(storedRowOf(outcomes[4]!)).toMatchObject({ data: null, volunteerId: null, errors: [{ field: "email" }] });
  });

  it("refuses a stored row that lacks what its status needs", () => {
    expect(() => outcomeOf({ ...storedRowOf(outcomes[0]!), data: null })).toThrow(/row 2 is incomplete/);
  });

  it("groups the amendments of a batch per row, in order", () => {
    const first = { field: "email" as const, message: "one" };
    const second = { field: "employeeNumber" as const, message: "two" };
    expect(groupAmendments([{ row: 4, error: first }, { row: 9, error: first }, { row: 4, error: second }])).toEqual({
      rowNumbers: [4, 9],
      errors: [[first, second], [first]],
    });
  });

  it("describes each row for the report, with name and email through the column mapping", () => {
    expect(outcomes.map((outcome) => describeImportRow(storedRowOf(outcome)))).toEqual([
      "New volunteer",
      "Changes home base, notes",
      "Already enrolled with the same data",
      "Same as row 2; skipped",
      "Email: Not an email.",
      "Employee number: Two people.",
    ]);
    expect(reportRowOf(storedRowOf(outcomes[0]!), ["email", null, "name"])).toEqual({
      row: 2,
      status: "valid",
      name: "E104233",
      email: "Sanne de Vries",
      detail: "New volunteer",
    });
  });

  it("reads the report page's view and cursor from the query string, defaulting safely", () => {
    expect(reportViewOf("rejected")).toBe("rejected");
    expect(reportViewOf("constructor")).toBe("all");
    expect(reportViewOf(null)).toBe("all");
    expect(reportCursorOf("101")).toBe(101);
    expect(reportCursorOf("-5")).toBe(0);
    expect(reportCursorOf("1e999")).toBe(0);
    expect(reportCursorOf("abc")).toBe(0);
    const counts = { ...emptyCounts(), valid: 5, error: 2, conflict: 1, unchanged: 3, duplicate_in_file: 1 };
    expect(rowsInView("all", counts)).toBe(12);
    expect(rowsInView("rejected", counts)).toBe(3);
    expect(rowsInView("skipped", counts)).toBe(4);
  });
});
