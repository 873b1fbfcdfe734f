import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { openEnrolmentFile, type EnrolmentRow, type UploadSource } from "./csv-import.server";
import {
  applyAmendment,
  createImportDryRun,
  dryRunImport,
  existingVolunteerLookup,
  identitiesInBatch,
  rejectedOutcomes,
  type DryRunBatch,
  type ExistingVolunteer,
  type ImportRowOutcome,
  rowsToImport,
} from "./import-dry-run";
import { volunteerSchema } from "./volunteer-schema";

function fixture(name: string): Buffer {
  return readFileSync(new URL(`../../tests/fixtures/enrolment/${name}`, import.meta.url));
}

async function dryRun(source: UploadSource, existing: ExistingVolunteer[] = []) {
  const file = await openEnrolmentFile(source);
  const rows: EnrolmentRow[] = [];
  for await (const batch of file.rows()) rows.push(...batch);
  return { rows, file, report: dryRunImport(rows, file.mappedFields, existingVolunteerLookup(existing)) };
}

/** What the database would hold after committing a file: every valid row, with made-up ids. */
function stored(rows: EnrolmentRow[]): ExistingVolunteer[] {
  return rows.map((row, index) => ({ id: `vol-${index}`, data: volunteerSchema.parse(row.input) }));
}

function byRow(outcomes: ImportRowOutcome[]): Map<number, ImportRowOutcome> {
  return new Map(outcomes.map((outcome) => [outcome.row, outcome]));
}

const HEADER = "Name,Email,Employee number,Origin,Home base,Languages,Channels,Notes";

describe("dry run", () => {
  it("classifies a new file as all valid", async () => {
    const { report } = await dryRun(fixture("volunteers-good.csv"));
    expect(report.counts).toEqual({ valid: 20, will_update: 0, unchanged: 0, duplicate_in_file: 0, error: 0, conflict: 0 });
    expect(report.canCommitAll).toBe(true);
  });

  it("reports every row of a re-uploaded file as unchanged", async () => {
    const { rows } = await dryRun(fixture("volunteers-good.csv"));
    const { report } = await dryRun(fixture("volunteers-good.csv"), stored(rows));
    expect(report.counts.unchanged).toBe(20);
    expect(report.counts.valid + report.counts.will_update).toBe(0);
  });

  it("reports the Dutch file as unchanged apart from what it really changes", async () => {
    const { rows } = await dryRun(fixture("volunteers-good.csv"));
    const { report } = await dryRun(fixture("volunteers-nl-bom.csv"), stored(rows));
    // Same people; only the Dutch availability and notes differ.
    for (const outcome of report.outcomes) {
      if (outcome.status === "will_update") {
        expect(outcome.changes.every((field) => field === "availability" || field === "notes")).toBe(true);
      } else {
        expect(outcome.status).toBe("unchanged");
      }
    }
  });

  it("reports an existing person with different data as will_update, naming the changes", async () => {
    const { rows } = await dryRun(fixture("volunteers-good.csv"));
    const existing = stored(rows);
    const text = `${HEADER}\nSanne de Vries,SANNE.DEVRIES@airline.example,E104233,Cabin crew,RTM,"nl:native, en:fluent, de:basic","whatsapp, messenger",Senior purser\n`;
    const { report } = await dryRun(text, existing);
    expect(report.outcomes[0]).toMatchObject({ status: "will_update", volunteerId: "vol-0", changes: ["homeBase"] });
  });

  it("never treats an empty optional cell as a change", async () => {
    const existing = stored((await dryRun(fixture("volunteers-good.csv"))).rows);
    const text = `${HEADER}\nSanne de Vries,sanne.devries@airline.example,E104233,Cabin crew,,"nl:native, en:fluent, de:basic","whatsapp, messenger",\n`;
    const { report } = await dryRun(text, existing);
    expect(report.outcomes[0]?.status).toBe("unchanged");
  });

  it("finds an existing person by employee number when the email changed", async () => {
    const existing = stored((await dryRun(fixture("volunteers-good.csv"))).rows);
    const text = `${HEADER}\nJoris Bakker,j.bakker@airline.example,E104871,Pilot,AMS,"nl:native, en:fluent","email, x",\n`;
    const { report } = await dryRun(text, existing);
    expect(report.outcomes[0]).toMatchObject({ status: "will_update", volunteerId: "vol-1", changes: ["email"] });
  });

  it("reports a conflict when email and employee number belong to two different people", async () => {
    const existing = stored((await dryRun(fixture("volunteers-good.csv"))).rows);
    // Sanne's email with Joris's employee number.
    const text = `${HEADER}\nSanne de Vries,sanne.devries@airline.example,E104871,Cabin crew,AMS,nl:native,whatsapp,\n`;
    const { report } = await dryRun(text, existing);
    expect(report.outcomes[0]?.status).toBe("conflict");
    expect(report.canCommitAll).toBe(false);
    const [outcome] = rejectedOutcomes(report);
    expect(outcome?.errors[0]?.message).toBe(
      "The email sanne.devries@airline.example belongs to Sanne de Vries (employee number E104233), but employee number E104871 belongs to Joris Bakker (joris.bakker@airline.example). Correct the email or the employee number.",
    );
  });

  it("reports every kind of bad row in the error fixture, with every reason", async () => {
    const { report, file } = await dryRun(fixture("volunteers-with-errors.csv"));
    expect(file.columns.unknownColumns).toEqual(["Shoe size"]);
    const rows = byRow(report.outcomes);
    const messages = (row: number) => {
      const outcome = rows.get(row);
      return outcome && "errors" in outcome ? outcome.errors.map((error) => `${error.field}: ${error.message}`) : [];
    };
    expect(messages(2)).toEqual(["email: 'hanna.mulder@airline' is not a valid email address."]);
    expect(messages(3)).toEqual(["languages: Unknown language code 'xx'. Use a two-letter ISO 639-1 code such as nl, en or fr."]);
    expect(messages(4)).toEqual(["homeBase: Unknown airport code 'XYZ'; use the three-letter IATA code of the home base, such as AMS."]);
    expect(messages(5)).toEqual(["endDate: The end date 2024-03-16 is before the start date 2024-05-31."]);
    // The same person twice with different data: both rows refused.
    expect(messages(6)).toEqual([
      "email: Row 7 has the same email (femke.peters@airline.example) with different languages; keep one row for this person.",
    ]);
    expect(messages(7)).toEqual([
      "email: Row 6 has the same email (femke.peters@airline.example) with different languages; keep one row for this person.",
    ]);
    // The same person twice with the same data: the second is a harmless repeat.
    expect(rows.get(8)?.status).toBe("valid");
    expect(rows.get(9)).toMatchObject({ status: "duplicate_in_file", duplicateOfRow: 8 });
    expect(messages(10)[0]).toMatch(/^name: The name '=cmd\|' \/C calc'!A0' starts with a formula character/);
    expect(messages(11)).toEqual([
      "origin: Unknown origin 'Trainee'; use cabin crew, pilot, ground, office or other.",
      "languages: Give a proficiency for language 'nl': native, fluent or basic.",
      "channels: Unknown channel 'fax'; use whatsapp, messenger, wechat, line, kakaotalk, apple_messages, facebook, x, email.",
      "timeZone: Unknown time zone 'CET'; use a name such as Europe/Amsterdam or UTC.",
      "startDate: The start date '31-02-2024' is not a real date; write it as 2024-03-15 or 15-03-2024.",
    ]);
    expect(report.counts).toEqual({ valid: 1, will_update: 0, unchanged: 0, duplicate_in_file: 1, error: 8, conflict: 0 });
    expect(report.canCommitAll).toBe(false);
  });

  it("flags a different-data duplicate found in a later batch as an amendment to the earlier row, and matches on employee number too", async () => {
    const first = `${HEADER}\nA One,a@airline.example,E1,pilot,AMS,nl:native,email,\nB Two,b@airline.example,E2,pilot,AMS,nl:native,email,\n`;
    const file = await openEnrolmentFile(
      `${first}C Three,c@airline.example,E3,pilot,AMS,nl:native,email,\nA One,a.one@airline.example,E1,pilot,AMS,nl:native,email,\n`,
    );
    const dryRun = createImportDryRun(file.mappedFields);
    const lookups: string[][] = [];
    const batches: DryRunBatch[] = [];
    for await (const batch of file.rows({ batchSize: 2 })) {
      lookups.push(identitiesInBatch(batch).emails);
      batches.push(dryRun.addBatch(batch, existingVolunteerLookup([])));
    }
    const summary = dryRun.finish();
    expect(lookups).toEqual([["a@airline.example", "b@airline.example"], ["c@airline.example", "a.one@airline.example"]]);
    // The first batch was handed out before row 5 was read: it came back valid...
    expect(batches[0]!.outcomes.map((outcome) => outcome.status)).toEqual(["valid", "valid"]);
    expect(batches[1]!.outcomes.map((outcome) => outcome.status)).toEqual(["valid", "error"]);
    // ...and the second batch amends row 2, and the counts already include that.
    expect(batches[1]!.amendments).toEqual([
      { row: 2, error: { field: "employeeNumber", message: "Row 5 has the same employee number (E1) with different email; keep one row for this person." } },
    ]);
    expect(summary).toEqual({
      counts: { valid: 2, will_update: 0, unchanged: 0, duplicate_in_file: 0, error: 2, conflict: 0 },
      rejected: 2,
      canCommitAll: false,
      totalRows: 4,
    });
    const amended = applyAmendment(batches[0]!.outcomes[0]!, batches[1]!.amendments[0]!.error);
    expect(amended).toMatchObject({ status: "error", row: 2, errors: [{ field: "employeeNumber" }] });
  });

  it("gives the same answers in batches of 1 as in one batch for the error fixture", async () => {
    const whole = (await dryRun(fixture("volunteers-with-errors.csv"))).report;
    const file = await openEnrolmentFile(fixture("volunteers-with-errors.csv"));
    const batched = createImportDryRun(file.mappedFields);
    const outcomes = new Map<number, ImportRowOutcome>();
    for await (const batch of file.rows({ batchSize: 1 })) {
      const result = batched.addBatch(batch, existingVolunteerLookup([]));
      for (const amendment of result.amendments) outcomes.set(amendment.row, applyAmendment(outcomes.get(amendment.row)!, amendment.error));
      for (const outcome of result.outcomes) outcomes.set(outcome.row, outcome);
    }
    const { outcomes: _, ...summary } = whole;
    expect(batched.finish()).toEqual(summary);
    expect([...outcomes.values()]).toEqual(whole.outcomes);
  });

  it("moves a row between the counts once, however many later rows contradict it", () => {
    const row = (line: number, name: string, email: string, number: string): EnrolmentRow => ({
      row: line,
      cells: [],
      input: { name, email, employeeNumber: number, origin: "pilot", languages: [{ code: "nl", proficiency: "native" }], channels: ["email"] },
      problems: [],
    });
    const dryRun = createImportDryRun(["name", "email", "employeeNumber", "origin", "languages", "channels"]);
    const none = existingVolunteerLookup([]);
    dryRun.addBatch([row(2, "A", "a@airline.example", "E1")], none);
    const second = dryRun.addBatch([row(3, "A Other", "a@airline.example", "E1"), row(4, "A Third", "a@airline.example", "E9")], none);
    expect(second.amendments.map((amendment) => amendment.row)).toEqual([2, 2]);
    expect(dryRun.finish().counts).toMatchObject({ valid: 0, error: 3 });
  });

  it("classifies 10,000 rows against 5,000 stored people (speed is measured in bench/)", async () => {
    const lines = [HEADER];
    for (let i = 0; i < 10_000; i++) lines.push(`Volunteer ${i},v${i}@airline.example,E${i},Cabin crew,AMS,"nl:native, en:fluent",whatsapp,`);
    const text = lines.join("\n");
    const existing = (await dryRun(text)).rows.slice(0, 5_000);
    const { report } = await dryRun(text, stored(existing));
    expect(report.counts.unchanged).toBe(5_000);
    expect(report.counts.valid).toBe(5_000);
  });
});

describe("rowsToImport", () => {
  it("counts the rows a commit would write: new and changed volunteers", () => {
    const counts = { valid: 2, will_update: 1, unchanged: 4, duplicate_in_file: 1, error: 3, conflict: 1 };
    expect(rowsToImport({ counts })).toBe(3);
    expect(rowsToImport({ counts: { ...counts, valid: 0, will_update: 0 } })).toBe(0);
  });
});
