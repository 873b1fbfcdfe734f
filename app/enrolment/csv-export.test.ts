import { readFileSync } from "node:fs";
import { buffer } from "node:stream/consumers";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { openEnrolmentFile, type EnrolmentRow } from "./csv-import.server";
import { invitationLinksCsv, neutraliseCsvCell, rejectedRowsCsv, rosterCsv, rosterCsvStream, type RosterEntry } from "./csv-export.server";
import { dryRunImport, existingVolunteerLookup, rejectedOutcomes } from "./import-dry-run";
import { SAMPLE_VOLUNTEER } from "./sample-volunteer";
import { volunteerSchema } from "./volunteer-schema";

function readCsv(csv: string, delimiter = ","): string[][] {
  return parse(csv, { bom: true, delimiter }) as string[][];
}

async function rowsOf(source: string | Buffer) {
  const file = await openEnrolmentFile(source);
  const rows: EnrolmentRow[] = [];
  for await (const batch of file.rows()) rows.push(...batch);
  return { file, rows };
}

const sanne: RosterEntry = {
  ...volunteerSchema.parse({ ...SAMPLE_VOLUNTEER, notes: "=cmd|' /C calc'!A0" }),
  status: "training",
  trainingProgress: "2/5 modules",
};

describe("neutraliseCsvCell", () => {
  it("prefixes formula-like values with a single quote", () => {
    expect(neutraliseCsvCell("=cmd|' /C calc'!A0")).toBe("'=cmd|' /C calc'!A0");
    expect(neutraliseCsvCell("@SUM(1)")).toBe("'@SUM(1)");
    expect(neutraliseCsvCell("+31 20 123 4567")).toBe("'+31 20 123 4567");
    expect(neutraliseCsvCell("-2+3")).toBe("'-2+3");
    expect(neutraliseCsvCell("\t=1")).toBe("'\t=1");
    expect(neutraliseCsvCell("\r=1")).toBe("'\r=1");
  });

  it("leaves ordinary values alone", () => {
    expect(neutraliseCsvCell("Sanne de Vries")).toBe("Sanne de Vries");
    expect(neutraliseCsvCell("a=b")).toBe("a=b");
    expect(neutraliseCsvCell(undefined)).toBe("");
    expect(neutraliseCsvCell(new Date("2024-03-16T09:00:00Z"))).toBe("2024-03-16T09:00:00.000Z");
  });
});

describe("rejected rows", () => {
  it("returns the refused rows with the uploaded columns, an error column and no live formulas", async () => {
    const { file, rows } = await rowsOf(readFileSync(new URL("../../tests/fixtures/enrolment/volunteers-with-errors.csv", import.meta.url)));
    const report = dryRunImport(rows, file.mappedFields, existingVolunteerLookup([]));
    const csv = rejectedRowsCsv(file.headers, rejectedOutcomes(report), { delimiter: file.delimiter });
    expect(csv.startsWith("\uFEFF")).toBe(true);
    const [header, ...records] = readCsv(csv);
    expect(header).toEqual([...file.headers, "error"]);
    expect(records).toHaveLength(8);
    const formulaRow = records.find((record) => record[1] === "evil.formula@airline.example")!;
    expect(formulaRow[0]).toBe("'=cmd|' /C calc'!A0");
    expect(formulaRow[8]).toBe("'@SUM(1)");
    expect(formulaRow[11]).toBe(`'=HYPERLINK("http://attacker.example","click")`);
    expect(formulaRow.at(-1)).toMatch(/^Name: The name '=cmd/);
    for (const record of records) for (const cell of record) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    expect(records[0]?.at(-1)).toBe("Email: 'hanna.mulder@airline' is not a valid email address.");
  });

  it("keeps the upload's separator and overwrites an existing error column", () => {
    const csv = rejectedRowsCsv(
      ["Naam", "E-mail", "Fout"],
      [{ cells: ["Jan", "jan@", "old reason"], errors: [{ field: "email", message: "'jan@' is not a valid email address." }] }],
      { delimiter: ";" },
    );
    expect(readCsv(csv, ";")).toEqual([
      ["Naam", "E-mail", "Fout"],
      ["Jan", "jan@", "Email: 'jan@' is not a valid email address."],
    ]);
  });

  it("neutralises formula-like header names from the upload", () => {
    const csv = rejectedRowsCsv(["=1+1"], [{ cells: ["x"], errors: [{ field: null, message: "Bad row" }] }]);
    expect(readCsv(csv)[0]).toEqual(["'=1+1", "error"]);
  });
});

describe("roster export", () => {
  it("writes the import's columns and formats, with formulas neutralised", () => {
    const [header, record] = readCsv(rosterCsv([sanne]));
    expect(header).toEqual([
      "Name",
      "Email",
      "Employee number",
      "Origin",
      "Home base",
      "Languages",
      "Channels",
      "Time zone",
      "Availability",
      "Start date",
      "End date",
      "Notes",
      "Status",
      "Training progress",
    ]);
    expect(record).toEqual([
      "Sanne de Vries",
      "sanne.devries@airline.example",
      "E104233",
      "cabin crew",
      "AMS",
      "nl:native, en:fluent",
      "whatsapp, messenger",
      "Europe/Amsterdam",
      "",
      "2024-03-16",
      "",
      "'=cmd|' /C calc'!A0",
      "training",
      "2/5 modules",
    ]);
  });

  it("can be uploaded again and changes nothing", async () => {
    const { file, rows } = await rowsOf(rosterCsv([sanne]));
    expect(file.columns.unknownColumns).toEqual([]);
    const report = dryRunImport(rows, file.mappedFields, existingVolunteerLookup([{ id: "vol-1", data: sanne }]));
    expect(report.outcomes.map((outcome) => outcome.status)).toEqual(["unchanged"]);
  });

  it("streams the same bytes as the string version", async () => {
    async function* entries() {
      yield sanne;
      yield { ...sanne, email: "other@airline.example", employeeNumber: "E2", notes: "@SUM(1)" };
    }
    // buffer(), not text(): text() would drop the BOM.
    const streamed = (await buffer(rosterCsvStream(entries()))).toString("utf8");
    expect(streamed).toBe(rosterCsv([sanne, { ...sanne, email: "other@airline.example", employeeNumber: "E2", notes: "@SUM(1)" }]));
    expect(readCsv(streamed)[2]?.[11]).toBe("'@SUM(1)");
  });
});

describe("invitation links export", () => {
  it("writes name, email, link and expiry for a mail merge", () => {
    const csv = invitationLinksCsv([
      {
        name: "@SUM(1)",
        email: "sanne.devries@airline.example",
        link: "https://surge.example/invite/abc123",
        expiresAt: new Date("2024-03-23T12:00:00Z"),
      },
    ]);
    expect(readCsv(csv)).toEqual([
      ["name", "email", "link", "expiresAt"],
      ["'@SUM(1)", "sanne.devries@airline.example", "https://surge.example/invite/abc123", "2024-03-23T12:00:00.000Z"],
    ]);
  });
});
