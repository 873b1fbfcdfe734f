// How a dry run's per-row outcomes are kept between the steps of an import:
// one EnrolmentImportRow per data row (written batch by batch by
// enrolment-import.server), read back by the report page, the rejected-rows
// download and the commit. Plain functions, no database.
import type { ColumnMapping } from "./csv-columns";
import type { RowError } from "./csv-import.server";
import type { ImportRowOutcome, ImportRowStatus, RowAmendment } from "./import-dry-run";
import { ENROLMENT_FIELD_LABELS, type EnrolmentField, type VolunteerEnrolment } from "./volunteer-schema";

/** The columns of EnrolmentImportRow, as the module reads and writes them. */
export interface StoredImportRow {
  rowNumber: number;
  status: ImportRowStatus;
  cells: string[];
  data: VolunteerEnrolment | null;
  errors: RowError[] | null;
  volunteerId: string | null;
  changes: EnrolmentField[];
  duplicateOfRow: number | null;
}

export function storedRowOf(outcome: ImportRowOutcome): StoredImportRow {
  return {
    rowNumber: outcome.row,
    status: outcome.status,
    cells: outcome.cells,
    data: outcome.status === "valid" || outcome.status === "will_update" ? outcome.data : null,
    errors: outcome.status === "error" || outcome.status === "conflict" ? outcome.errors : null,
    volunteerId: outcome.status === "will_update" || outcome.status === "unchanged" ? outcome.volunteerId : null,
    changes: outcome.status === "will_update" ? outcome.changes : [],
    duplicateOfRow: outcome.status === "duplicate_in_file" ? outcome.duplicateOfRow : null,
  };
}

/** Back from the table; throws on a row that cannot have been written by storedRowOf. */
export function outcomeOf(stored: StoredImportRow): ImportRowOutcome {
  const base = { row: stored.rowNumber, cells: stored.cells };
  const broken = () => new Error(`Enrolment import row ${stored.rowNumber} is incomplete (${stored.status})`);
  switch (stored.status) {
    case "valid":
      if (!stored.data) throw broken();
      return { ...base, status: "valid", data: stored.data };
    case "will_update":
      if (!stored.data || !stored.volunteerId) throw broken();
      return { ...base, status: "will_update", data: stored.data, volunteerId: stored.volunteerId, changes: stored.changes };
    case "unchanged":
      if (!stored.volunteerId) throw broken();
      return { ...base, status: "unchanged", volunteerId: stored.volunteerId };
    case "duplicate_in_file":
      if (stored.duplicateOfRow === null) throw broken();
      return { ...base, status: "duplicate_in_file", duplicateOfRow: stored.duplicateOfRow };
    case "error":
    case "conflict":
      return { ...base, status: stored.status, errors: stored.errors ?? [] };
  }
}

/** The amendments of one batch, one entry per row (a row may be contradicted by several later rows). */
export function groupAmendments(amendments: readonly RowAmendment[]): { rowNumbers: number[]; errors: RowError[][] } {
  const byRow = new Map<number, RowError[]>();
  for (const { row, error } of amendments) {
    const errors = byRow.get(row);
    if (errors) errors.push(error);
    else byRow.set(row, [error]);
  }
  return { rowNumbers: [...byRow.keys()], errors: [...byRow.values()] };
}

/** What the report says about a row, in words. */
export function describeImportRow(row: Pick<StoredImportRow, "status" | "changes" | "duplicateOfRow" | "errors">): string {
  switch (row.status) {
    case "valid":
      return "New volunteer";
    case "will_update":
      return `Changes ${row.changes.map((field) => ENROLMENT_FIELD_LABELS[field].toLowerCase()).join(", ")}`;
    case "unchanged":
      return "Already enrolled with the same data";
    case "duplicate_in_file":
      return `Same as row ${row.duplicateOfRow}; skipped`;
    case "error":
    case "conflict":
      return describeRowErrors(row.errors ?? []);
  }
}

export interface ReportRow {
  row: number;
  status: ImportRowStatus;
  name: string;
  email: string;
  detail: string;
}

/** One line of the report table: the name and email as uploaded (through the column mapping) and what happens. */
export function reportRowOf(stored: StoredImportRow, mapping: ColumnMapping): ReportRow {
  const at = (field: EnrolmentField) => {
    const position = mapping.indexOf(field);
    return position >= 0 ? (stored.cells[position] ?? "").slice(0, 200) : "";
  };
  return { row: stored.rowNumber, status: stored.status, name: at("name"), email: at("email"), detail: describeImportRow(stored).slice(0, 2000) };
}

/** The report page's views of the rows, each a filter on status. */
export const REPORT_VIEWS = {
  all: { label: "all rows", statuses: null },
  rejected: { label: "rejected", statuses: ["error", "conflict"] },
  new: { label: "new", statuses: ["valid"] },
  update: { label: "will update", statuses: ["will_update"] },
  skipped: { label: "unchanged or repeated", statuses: ["unchanged", "duplicate_in_file"] },
} as const satisfies Record<string, { label: string; statuses: readonly ImportRowStatus[] | null }>;

export type ReportView = keyof typeof REPORT_VIEWS;

export function reportViewOf(value: string | null | undefined): ReportView {
  return value && Object.hasOwn(REPORT_VIEWS, value) ? (value as ReportView) : "all";
}

export function rowsInView(view: ReportView, counts: Record<ImportRowStatus, number>): number {
  const statuses = REPORT_VIEWS[view].statuses;
  if (statuses === null) return Object.values(counts).reduce((sum, count) => sum + count, 0);
  return statuses.reduce((sum, status) => sum + counts[status], 0);
}

/** The keyset cursor of the report page (`after` = last row number shown); anything else starts at the top. */
export function reportCursorOf(value: string | null | undefined): number {
  const number = Number(value);
  return Number.isSafeInteger(number) && number > 0 ? number : 0;
}

/** Rows on one page of the report. */
export const REPORT_PAGE_SIZE = 100;

/** A row's errors in one line, as the report and the rejected-rows file show them. */
export function describeRowErrors(errors: readonly RowError[]): string {
  return errors.map((error) => (error.field ? `${ENROLMENT_FIELD_LABELS[error.field]}: ${error.message}` : error.message)).join(" | ");
}
