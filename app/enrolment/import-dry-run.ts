// The dry run of a bulk enrolment: what each row would do, before anything
// is written. Email and employee number identify a person, so uploading
// the same file twice reports every row as unchanged.
//
// Rows arrive in batches (see csv-import rows()); the caller looks up the
// existing volunteers for each batch, so the database is queried per batch
// rather than loaded whole. Each batch's outcomes are handed back for the
// caller to store (enrolment-import.server writes them to
// EnrolmentImportRow) and are not kept here: what stays in memory for the
// whole file is the counts and, per email and employee number seen, one
// short string of the row's comparable values, for the in-file duplicate
// check. A later row that contradicts an earlier one comes back as an
// amendment to that earlier row.
//
// An empty optional cell means "not given": it never clears a stored value
// and never counts as a difference. Clearing is done in the form.
import {
  ENROLMENT_FIELD_LABELS,
  ENROLMENT_FIELDS,
  enrolmentFieldErrors,
  volunteerSchema,
  type EnrolmentField,
  type VolunteerEnrolment,
} from "./volunteer-schema";
import type { EnrolmentRow, RowError } from "./csv-import.server";

export interface ExistingVolunteer {
  /** Volunteer id, for the update. */
  id: string;
  /** Stored data in the schema's output form (ISO dates, codes). */
  data: VolunteerEnrolment;
}

export interface ExistingVolunteerLookup {
  byEmail: ReadonlyMap<string, ExistingVolunteer>;
  byEmployeeNumber: ReadonlyMap<string, ExistingVolunteer>;
}

export function existingVolunteerLookup(volunteers: Iterable<ExistingVolunteer>): ExistingVolunteerLookup {
  const byEmail = new Map<string, ExistingVolunteer>();
  const byEmployeeNumber = new Map<string, ExistingVolunteer>();
  for (const volunteer of volunteers) {
    byEmail.set(volunteer.data.email.toLowerCase(), volunteer);
    byEmployeeNumber.set(volunteer.data.employeeNumber.toUpperCase(), volunteer);
  }
  return { byEmail, byEmployeeNumber };
}

/** The emails and employee numbers of a batch, for the caller's database lookup. */
export function identitiesInBatch(rows: readonly EnrolmentRow[]): { emails: string[]; employeeNumbers: string[] } {
  const emails = new Set<string>();
  const employeeNumbers = new Set<string>();
  for (const { input } of rows) {
    if (typeof input.email === "string" && input.email.trim()) emails.add(input.email.trim().toLowerCase());
    if (typeof input.employeeNumber === "string" && input.employeeNumber.trim()) {
      employeeNumbers.add(input.employeeNumber.trim().toUpperCase());
    }
  }
  return { emails: [...emails], employeeNumbers: [...employeeNumbers] };
}

export type ImportRowStatus = "valid" | "will_update" | "unchanged" | "duplicate_in_file" | "error" | "conflict";

interface OutcomeBase {
  row: number;
  cells: string[];
}

export type ImportRowOutcome =
  /** A new volunteer. */
  | (OutcomeBase & { status: "valid"; data: VolunteerEnrolment })
  /** An existing volunteer whose data changes; only `changes` are written. */
  | (OutcomeBase & { status: "will_update"; data: VolunteerEnrolment; volunteerId: string; changes: EnrolmentField[] })
  | (OutcomeBase & { status: "unchanged"; volunteerId: string })
  /** The same person with the same data earlier in the file; skipped, harmless. */
  | (OutcomeBase & { status: "duplicate_in_file"; duplicateOfRow: number })
  | (OutcomeBase & { status: "error"; errors: RowError[] })
  /** Email and employee number belong to two different existing people. */
  | (OutcomeBase & { status: "conflict"; errors: RowError[] });

export interface DryRunSummary {
  counts: Record<ImportRowStatus, number>;
  /** Rows that cannot be imported (error + conflict). */
  rejected: number;
  /** True when an all-or-nothing commit is possible. */
  canCommitAll: boolean;
  totalRows: number;
}

/** Rows a commit would write (new and changed volunteers); with none, there is nothing to import. */
export function rowsToImport(summary: Pick<DryRunSummary, "counts">): number {
  return summary.counts.valid + summary.counts.will_update;
}

export const NOTHING_TO_IMPORT_MESSAGE = "Nothing to import: no row would enrol or change a volunteer. Fix the rejected rows and upload the file again.";

/** A whole dry run kept in memory: for tests and small files (the import itself stores outcomes per batch). */
export interface DryRunReport extends DryRunSummary {
  outcomes: ImportRowOutcome[];
}

/**
 * A row of an earlier batch that a later row contradicts (the same person
 * with different data): it becomes an error with this reason added, or
 * stays a conflict with the reason added. Apply with applyAmendment.
 */
export interface RowAmendment {
  row: number;
  error: RowError;
}

export interface DryRunBatch {
  /** The batch's rows, final unless a later batch amends them. */
  outcomes: ImportRowOutcome[];
  /** Changes to rows of earlier batches. */
  amendments: RowAmendment[];
}

export function emptyCounts(): Record<ImportRowStatus, number> {
  return { valid: 0, will_update: 0, unchanged: 0, duplicate_in_file: 0, error: 0, conflict: 0 };
}

/** An outcome with one more reason against it: error rows keep their status, others become errors. */
export function applyAmendment(outcome: ImportRowOutcome, error: RowError): ImportRowOutcome {
  if (outcome.status === "error" || outcome.status === "conflict") return { ...outcome, errors: [...outcome.errors, error] };
  return { status: "error", row: outcome.row, cells: outcome.cells, errors: [error] };
}

function comparable(field: EnrolmentField, data: VolunteerEnrolment): string {
  const value = data[field];
  if (value === undefined) return "";
  if (field === "languages") {
    return data.languages
      .map((language) => `${language.code}:${language.proficiency}`)
      .sort()
      .join(",");
  }
  if (field === "channels") return [...data.channels].sort().join(",");
  return String(value);
}

/** Fields the upload gives a value for that differ from the stored data. */
function changedFields(fields: readonly EnrolmentField[], next: VolunteerEnrolment, stored: VolunteerEnrolment): EnrolmentField[] {
  return fields.filter((field) => next[field] !== undefined && comparable(field, next) !== comparable(field, stored));
}

function fieldList(fields: readonly EnrolmentField[]): string {
  return fields.map((field) => ENROLMENT_FIELD_LABELS[field].toLowerCase()).join(", ");
}

/** The comparable value of every field, in ENROLMENT_FIELDS order, as one string. */
function comparableValues(data: VolunteerEnrolment): string {
  return ENROLMENT_FIELDS.map((field) => comparable(field, data)).join(UNIT_SEPARATOR);
}

const UNIT_SEPARATOR = "\u001f";
const EMAIL_INDEX = ENROLMENT_FIELDS.indexOf("email");

/** The first row seen with an email or employee number: all the dry run remembers of a row. */
interface FirstSighting {
  /** Position in the file (0-based count of data rows). */
  position: number;
  row: number;
  /** comparableValues() of its data. */
  values: string;
  /** Its status as last reported (to move it between counts when a later row contradicts it). */
  status: ImportRowStatus;
}

export interface ImportDryRun {
  /** Classifies a batch; `existing` must cover the batch's emails and employee numbers. */
  addBatch(rows: readonly EnrolmentRow[], existing: ExistingVolunteerLookup): DryRunBatch;
  /** The counts over the whole file, amendments included. */
  finish(): DryRunSummary;
}

/** `mappedFields`: the fields the file has columns for; only those are compared with stored data. */
export function createImportDryRun(mappedFields: readonly EnrolmentField[]): ImportDryRun {
  const counts = emptyCounts();
  let total = 0;
  const firstByEmail = new Map<string, FirstSighting>();
  const firstByEmployeeNumber = new Map<string, FirstSighting>();

  /** The row's outcome against stored data, and its parsed data when it is valid. */
  function classify(row: EnrolmentRow, existing: ExistingVolunteerLookup): [ImportRowOutcome, VolunteerEnrolment?] {
    const { row: line, cells } = row;
    const result = volunteerSchema.safeParse(row.input);
    if (!result.success || row.problems.length > 0) {
      const errors = [...row.problems, ...(result.success ? [] : enrolmentFieldErrors(result.error))];
      return [{ status: "error", row: line, cells, errors }];
    }
    const data = result.data;
    const byEmail = existing.byEmail.get(data.email);
    const byNumber = existing.byEmployeeNumber.get(data.employeeNumber);
    if (byEmail && byNumber && byEmail.id !== byNumber.id) {
      const conflict: ImportRowOutcome = {
        status: "conflict",
        row: line,
        cells,
        errors: [
          {
            field: "employeeNumber",
            message: `The email ${data.email} belongs to ${byEmail.data.name} (employee number ${byEmail.data.employeeNumber}), but employee number ${data.employeeNumber} belongs to ${byNumber.data.name} (${byNumber.data.email}). Correct the email or the employee number.`,
          },
        ],
      };
      return [conflict, data];
    }
    const person = byEmail ?? byNumber;
    if (!person) return [{ status: "valid", row: line, cells, data }, data];
    const changes = changedFields(mappedFields, data, person.data);
    return changes.length === 0
      ? [{ status: "unchanged", row: line, cells, volunteerId: person.id }, data]
      : [{ status: "will_update", row: line, cells, data, volunteerId: person.id, changes }, data];
  }

  return {
    addBatch(rows, existing) {
      const start = total;
      const outcomes: ImportRowOutcome[] = [];
      const amendments: RowAmendment[] = [];
      const sightings: FirstSighting[] = [];

      function reject(sighting: FirstSighting, error: RowError): void {
        if (sighting.position >= start) {
          const index = sighting.position - start;
          outcomes[index] = applyAmendment(outcomes[index]!, error);
          return;
        }
        amendments.push({ row: sighting.row, error });
        if (sighting.status !== "error" && sighting.status !== "conflict") {
          counts[sighting.status] -= 1;
          counts.error += 1;
          sighting.status = "error";
        }
      }

      /**
       * Compares a row with the earlier rows sharing its email or employee
       * number: an identical repeat is a harmless duplicate; a different one
       * makes both rows errors, since nobody can tell which is right.
       */
      function checkDuplicates(position: number, data: VolunteerEnrolment): void {
        const values = comparableValues(data);
        const byEmail = firstByEmail.get(data.email);
        const byNumber = firstByEmployeeNumber.get(data.employeeNumber);
        const self: FirstSighting = { position, row: outcomes[position - start]!.row, values, status: "valid" };
        if (!byEmail || !byNumber) {
          if (!byEmail) firstByEmail.set(data.email, self);
          if (!byNumber) firstByEmployeeNumber.set(data.employeeNumber, self);
          sightings.push(self);
        }
        const earlier = new Set<FirstSighting>();
        if (byEmail) earlier.add(byEmail);
        if (byNumber) earlier.add(byNumber);
        if (earlier.size === 0) return;

        const mine = values.split(UNIT_SEPARATOR);
        let repeatOf: number | undefined;
        for (const other of earlier) {
          const theirs = other.values.split(UNIT_SEPARATOR);
          const differences = ENROLMENT_FIELDS.filter((_, index) => mine[index] !== theirs[index]);
          if (differences.length === 0) {
            repeatOf ??= other.row;
            continue;
          }
          const sameEmail = mine[EMAIL_INDEX] === theirs[EMAIL_INDEX];
          const shared = sameEmail ? `email (${data.email})` : `employee number (${data.employeeNumber})`;
          const field = sameEmail ? "email" : "employeeNumber";
          reject(self, {
            field,
            message: `Row ${other.row} has the same ${shared} with different ${fieldList(differences)}; keep one row for this person.`,
          });
          reject(other, {
            field,
            message: `Row ${self.row} has the same ${shared} with different ${fieldList(differences)}; keep one row for this person.`,
          });
        }
        const index = position - start;
        const outcome = outcomes[index]!;
        if (repeatOf !== undefined && outcome.status !== "error") {
          outcomes[index] = { status: "duplicate_in_file", row: outcome.row, cells: outcome.cells, duplicateOfRow: repeatOf };
        }
      }

      for (const row of rows) {
        const [outcome, data] = classify(row, existing);
        outcomes.push(outcome);
        if (data) checkDuplicates(start + outcomes.length - 1, data);
      }
      for (const outcome of outcomes) counts[outcome.status] += 1;
      for (const sighting of sightings) sighting.status = outcomes[sighting.position - start]!.status;
      total += rows.length;
      return { outcomes, amendments };
    },
    finish() {
      const rejected = counts.error + counts.conflict;
      return { counts: { ...counts }, rejected, canCommitAll: rejected === 0, totalRows: total };
    },
  };
}

/** The whole dry run for rows already in memory (tests, small files). */
export function dryRunImport(
  rows: readonly EnrolmentRow[],
  mappedFields: readonly EnrolmentField[],
  existing: ExistingVolunteerLookup,
): DryRunReport {
  const dryRun = createImportDryRun(mappedFields);
  const { outcomes } = dryRun.addBatch(rows, existing);
  return { ...dryRun.finish(), outcomes };
}

/** The rows to hand back in the rejected-rows file, in file order. */
export function rejectedOutcomes(report: Pick<DryRunReport, "outcomes">): Extract<ImportRowOutcome, { status: "error" | "conflict" }>[] {
  return report.outcomes.filter(
    (outcome): outcome is Extract<ImportRowOutcome, { status: "error" | "conflict" }> =>
      outcome.status === "error" || outcome.status === "conflict",
  );
}
