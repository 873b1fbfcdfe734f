// CSV files the planner downloads: the rejected rows of an import, the
// roster, and invitation links for a mail merge. Every cell goes through
// neutraliseCsvCell, because these files are opened in Excel and a value a
// volunteer or a spreadsheet supplied ("=cmd|' /C calc'!A0") must stay text.
//
// Files start with a UTF-8 BOM so Excel shows accents in names correctly;
// the importer accepts it back.
import type { VolunteerStatus } from "@prisma/client";
import { Readable, pipeline } from "node:stream";
import { stringify } from "csv-stringify";
import { stringify as stringifySync } from "csv-stringify/sync";
import { normaliseHeader } from "./csv-columns";
import type { Delimiter, RowError } from "./csv-import.server";
import { describeRowErrors } from "./import-rows";
import { formatLanguageList } from "./language-list";
import { ENROLMENT_FIELD_LABELS, ORIGIN_LABELS, type VolunteerEnrolment } from "./volunteer-schema";

/** Cells starting with these are run as formulas by spreadsheet programs (OWASP CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Prefixes a formula-like cell with a single quote, OWASP's advice, so the
 * spreadsheet shows it as text. Also applies to "-5" and "+31 20 ...": the
 * quote is visible but the value is never executed.
 */
export function neutraliseCsvCell(value: unknown): string {
  const text = value === null || value === undefined ? "" : value instanceof Date ? value.toISOString() : String(value);
  return FORMULA_START.test(text) ? `'${text}` : text;
}

export interface CsvOptions {
  /** The rejected-rows file uses the uploaded file's separator; others default to comma. */
  delimiter?: Delimiter;
  bom?: boolean;
}

function toCsv(header: readonly unknown[], rows: Iterable<readonly unknown[]>, options: CsvOptions = {}): string {
  const records = [header, ...rows].map((record) => record.map(neutraliseCsvCell));
  return stringifySync(records, { delimiter: options.delimiter ?? ",", bom: options.bom ?? true, record_delimiter: "windows" });
}

export interface RejectedRow {
  cells: readonly string[];
  errors: readonly RowError[];
}

const ERROR_HEADERS = new Set(["error", "errors", "fout", "fouten"]);


/** The header of the rejected-rows file and the position of its error column. */
function rejectedRowsLayout(headers: readonly string[]): { header: string[]; errorColumn: number } {
  const existing = headers.findIndex((header) => ERROR_HEADERS.has(normaliseHeader(header)));
  return existing >= 0 ? { header: [...headers], errorColumn: existing } : { header: [...headers, "error"], errorColumn: headers.length };
}

function rejectedRecord(row: RejectedRow, layout: { header: string[]; errorColumn: number }): string[] {
  const cells = Array.from({ length: Math.max(layout.header.length, row.cells.length) }, (_, position) => row.cells[position] ?? "");
  cells[layout.errorColumn] = describeRowErrors(row.errors);
  return cells;
}

/**
 * The rows an import refused, with the uploaded columns unchanged plus an
 * "error" column, so the planner fixes them in place and uploads the file
 * again. A file that already has an error column (a second round) gets it
 * overwritten rather than a second one added.
 */
export function rejectedRowsCsv(headers: readonly string[], rows: Iterable<RejectedRow>, options: CsvOptions = {}): string {
  const layout = rejectedRowsLayout(headers);
  return toCsv(layout.header, (function* () {
    for (const row of rows) yield rejectedRecord(row, layout);
  })(), options);
}

/** rejectedRowsCsv as a stream, for rows read from the database batch by batch. */
export function rejectedRowsCsvStream(headers: readonly string[], rows: AsyncIterable<RejectedRow>, options: CsvOptions = {}): Readable {
  const layout = rejectedRowsLayout(headers);
  return csvStream((async function* () {
    yield layout.header;
    for await (const row of rows) yield rejectedRecord(row, layout);
  })(), options);
}

/** Records (header first) to CSV text as a stream, every cell neutralised. */
function csvStream(records: AsyncIterable<readonly unknown[]>, options: CsvOptions): Readable {
  const neutralised = (async function* () {
    for await (const record of records) yield record.map(neutraliseCsvCell);
  })();
  const csv = stringify({ delimiter: options.delimiter ?? ",", bom: options.bom ?? true, record_delimiter: "windows" });
  // pipeline (unlike pipe) destroys csv with the source's error, so a failing
  // database read ends the download with an error instead of hanging it.
  pipeline(Readable.from(neutralised), csv, () => undefined);
  return csv;
}

export interface RosterEntry extends VolunteerEnrolment {
  status: VolunteerStatus;
  /** Free text such as "3/5 modules"; optional. */
  trainingProgress?: string;
}

/**
 * The roster columns use the import's own header names and value formats,
 * so an exported roster can be edited and uploaded again (the extra Status
 * and Training progress columns are ignored on import).
 */
export const ROSTER_HEADER = [
  ENROLMENT_FIELD_LABELS.name,
  ENROLMENT_FIELD_LABELS.email,
  ENROLMENT_FIELD_LABELS.employeeNumber,
  ENROLMENT_FIELD_LABELS.origin,
  ENROLMENT_FIELD_LABELS.homeBase,
  ENROLMENT_FIELD_LABELS.languages,
  ENROLMENT_FIELD_LABELS.channels,
  ENROLMENT_FIELD_LABELS.timeZone,
  ENROLMENT_FIELD_LABELS.availability,
  ENROLMENT_FIELD_LABELS.startDate,
  ENROLMENT_FIELD_LABELS.endDate,
  ENROLMENT_FIELD_LABELS.notes,
  "Status",
  "Training progress",
] as const;

function rosterRecord(entry: RosterEntry): unknown[] {
  return [
    entry.name,
    entry.email,
    entry.employeeNumber,
    ORIGIN_LABELS[entry.origin],
    entry.homeBase,
    formatLanguageList(entry.languages),
    entry.channels.join(", "),
    entry.timeZone,
    entry.availability,
    entry.startDate,
    entry.endDate,
    entry.notes,
    entry.status,
    entry.trainingProgress,
  ];
}

export function rosterCsv(entries: Iterable<RosterEntry>, options: CsvOptions = {}): string {
  return toCsv(ROSTER_HEADER, (function* () {
    for (const entry of entries) yield rosterRecord(entry);
  })(), options);
}

/**
 * The roster as a stream, for 10,000 volunteers read page by page from the
 * database; wrap with Readable.toWeb for a Response body.
 */
export function rosterCsvStream(entries: AsyncIterable<RosterEntry> | Iterable<RosterEntry>, options: CsvOptions = {}): Readable {
  return csvStream((async function* () {
    yield ROSTER_HEADER;
    for await (const entry of entries) yield rosterRecord(entry);
  })(), options);
}

export interface InvitationLink {
  name: string;
  email: string;
  link: string;
  expiresAt: Date | string;
}

/** For a mail merge: one row per invitation, expiry as ISO 8601 (UTC). */
export function invitationLinksCsv(invitations: Iterable<InvitationLink>, options: CsvOptions = {}): string {
  return toCsv(["name", "email", "link", "expiresAt"], (function* () {
    for (const invitation of invitations) {
      yield [invitation.name, invitation.email, invitation.link, invitation.expiresAt];
    }
  })(), options);
}
