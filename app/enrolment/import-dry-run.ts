// The dry run of a bulk enrolment: what each row would do, before anything
// is written. Email and employee number identify a person, so uploading
// the same file twice reports every row as unchanged.
//
// Rows arrive in batches (see csv-import rows()); the caller looks up the
// existing volunteers for each batch, so the database is queried per batch
// rather than loaded whole. Duplicates are tracked across the whole file.
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
import type { EnrolmentRow, RowError } from "./csv-import";

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

export interface DryRunReport {
  outcomes: ImportRowOutcome[];
  counts: Record<ImportRowStatus, number>;
  /** Rows that cannot be imported (error + conflict). */
  rejected: number;
  /** True when an all-or-nothing commit is possible. */
  canCommitAll: boolean;
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

export interface ImportDryRun {
  /** Classifies a batch; `existing` must cover the batch's emails and employee numbers. */
  addBatch(rows: readonly EnrolmentRow[], existing: ExistingVolunteerLookup): void;
  /** The report; later duplicates may have turned earlier rows into errors. */
  finish(): DryRunReport;
}

/** `mappedFields`: the fields the file has columns for; only those are compared with stored data. */
export function createImportDryRun(mappedFields: readonly EnrolmentField[]): ImportDryRun {
  const outcomes: ImportRowOutcome[] = [];
  // Per outcome position: the parsed data, for comparing in-file duplicates.
  const parsed: (VolunteerEnrolment | undefined)[] = [];
  const firstByEmail = new Map<string, number>();
  const firstByEmployeeNumber = new Map<string, number>();

  function reject(position: number, error: RowError): void {
    const outcome = outcomes[position]!;
    if (outcome.status === "error" || outcome.status === "conflict") {
      outcome.errors.push(error);
    } else {
      outcomes[position] = { status: "error", row: outcome.row, cells: outcome.cells, errors: [error] };
    }
  }

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

  /**
   * Compares a row with the earlier rows sharing its email or employee
   * number: an identical repeat is a harmless duplicate; a different one
   * makes both rows errors, since nobody can tell which is right.
   */
  function checkDuplicates(position: number, data: VolunteerEnrolment): void {
    const earlier = new Set<number>();
    const byEmail = firstByEmail.get(data.email);
    const byNumber = firstByEmployeeNumber.get(data.employeeNumber);
    if (byEmail !== undefined) earlier.add(byEmail);
    if (byNumber !== undefined) earlier.add(byNumber);
    if (!firstByEmail.has(data.email)) firstByEmail.set(data.email, position);
    if (!firstByEmployeeNumber.has(data.employeeNumber)) firstByEmployeeNumber.set(data.employeeNumber, position);
    if (earlier.size === 0) return;

    const row = outcomes[position]!.row;
    let repeatOf: number | undefined;
    for (const other of earlier) {
      const otherData = parsed[other]!;
      const otherRow = outcomes[other]!.row;
      const differences = ENROLMENT_FIELDS.filter((field) => comparable(field, data) !== comparable(field, otherData));
      const shared = data.email === otherData.email ? `email (${data.email})` : `employee number (${data.employeeNumber})`;
      if (differences.length === 0) {
        repeatOf ??= otherRow;
        continue;
      }
      const field = data.email === otherData.email ? "email" : "employeeNumber";
      reject(position, {
        field,
        message: `Row ${otherRow} has the same ${shared} with different ${fieldList(differences)}; keep one row for this person.`,
      });
      reject(other, {
        field,
        message: `Row ${row} has the same ${shared} with different ${fieldList(differences)}; keep one row for this person.`,
      });
    }
    const outcome = outcomes[position]!;
    if (repeatOf !== undefined && outcome.status !== "error") {
      outcomes[position] = { status: "duplicate_in_file", row: outcome.row, cells: outcome.cells, duplicateOfRow: repeatOf };
    }
  }

  return {
    addBatch(rows, existing) {
      for (const row of rows) {
        const [outcome, data] = classify(row, existing);
        const position = outcomes.length;
        outcomes.push(outcome);
        parsed.push(data);
        if (data) checkDuplicates(position, data);
      }
    },
    finish() {
      const counts: Record<ImportRowStatus, number> = {
        valid: 0,
        will_update: 0,
        unchanged: 0,
        duplicate_in_file: 0,
        error: 0,
        conflict: 0,
      };
      for (const outcome of outcomes) counts[outcome.status] += 1;
      const rejected = counts.error + counts.conflict;
      return { outcomes, counts, rejected, canCommitAll: rejected === 0 };
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
  dryRun.addBatch(rows, existing);
  return dryRun.finish();
}

/** The rows to hand back in the rejected-rows file, in file order. */
export function rejectedOutcomes(report: DryRunReport): Extract<ImportRowOutcome, { status: "error" | "conflict" }>[] {
  return report.outcomes.filter(
    (outcome): outcome is Extract<ImportRowOutcome, { status: "error" | "conflict" }> =>
      outcome.status === "error" || outcome.status === "conflict",
  );
}
