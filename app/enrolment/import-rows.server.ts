// EnrolmentImportRow: the dry run's outcome per row, written batch by batch
// (one INSERT ... SELECT FROM unnest per batch) and read back in rowNumber
// order with keyset pagination, so no step holds a whole file's rows.
import type { Prisma } from "@prisma/client";
import { db } from "~/db/db.server";
import type { RowError } from "./csv-import.server";
import type { ImportRowStatus, RowAmendment } from "./import-dry-run";
import { groupAmendments, type StoredImportRow } from "./import-rows";
import type { EnrolmentField, VolunteerEnrolment } from "./volunteer-schema";

export async function clearImportRows(importId: string): Promise<void> {
  await db.enrolmentImportRow.deleteMany({ where: { importId } });
}

export async function insertImportRows(importId: string, rows: readonly StoredImportRow[]): Promise<void> {
  if (rows.length === 0) return;
  // The batch as one JSON document, expanded by the server: one string
  // parameter, rather than text[] arrays whose every quote pg would escape.
  await db.$executeRaw`
    INSERT INTO "EnrolmentImportRow" ("importId", "rowNumber", status, cells, data, errors, "volunteerId", changes, "duplicateOfRow")
    SELECT ${importId}, r."rowNumber", r.status::"EnrolmentImportRowStatus", r.cells, r.data, r.errors, r."volunteerId",
           CASE WHEN cardinality(r.changes) > 0 THEN r.changes END, r."duplicateOfRow"
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      AS r("rowNumber" int, status text, cells jsonb, data jsonb, errors jsonb, "volunteerId" text, changes text[], "duplicateOfRow" int)`;
}

/** Earlier rows that a later row contradicts: they become errors (conflicts stay conflicts) with the reasons added. */
export async function amendImportRows(importId: string, amendments: readonly RowAmendment[]): Promise<void> {
  if (amendments.length === 0) return;
  const { rowNumbers, errors } = groupAmendments(amendments);
  await db.$executeRaw`
    UPDATE "EnrolmentImportRow" AS r
    SET status = CASE WHEN r.status IN ('error', 'conflict') THEN r.status ELSE 'error'::"EnrolmentImportRowStatus" END,
        errors = COALESCE(r.errors, '[]'::jsonb) || a.errors::jsonb,
        data = NULL, "volunteerId" = NULL, changes = NULL, "duplicateOfRow" = NULL
    FROM unnest(${rowNumbers}::int[], ${errors.map((list) => JSON.stringify(list))}::text[]) AS a(row_number, errors)
    WHERE r."importId" = ${importId} AND r."rowNumber" = a.row_number`;
}

export interface RowQuery {
  /** Only these statuses (null: all). */
  statuses?: readonly ImportRowStatus[] | null;
  /** Keyset cursor: rows after this row number. */
  after?: number;
  limit: number;
  /** Also read the uploaded cells (the commit does not need them). */
  withCells?: boolean;
}

/** One page of rows in file order. */
export async function readImportRows(importId: string, query: RowQuery): Promise<StoredImportRow[]> {
  const where: Prisma.EnrolmentImportRowWhereInput = { importId, rowNumber: { gt: query.after ?? 0 } };
  if (query.statuses) where.status = { in: [...query.statuses] };
  const rows = await db.enrolmentImportRow.findMany({
    where,
    orderBy: { rowNumber: "asc" },
    take: query.limit,
    select: {
      rowNumber: true,
      status: true,
      cells: query.withCells ?? false,
      data: true,
      errors: true,
      volunteerId: true,
      changes: true,
      duplicateOfRow: true,
    },
  });
  return rows.map((row) => ({
    rowNumber: row.rowNumber,
    status: row.status,
    cells: (row.cells ?? []) as string[],
    data: (row.data ?? null) as VolunteerEnrolment | null,
    errors: (row.errors ?? null) as RowError[] | null,
    volunteerId: row.volunteerId,
    changes: (row.changes ?? []) as EnrolmentField[],
    duplicateOfRow: row.duplicateOfRow,
  }));
}

/** Every matching row, `batchSize` at a time, each batch one indexed query. */
export async function* importRowBatches(
  importId: string,
  query: Omit<RowQuery, "limit" | "after"> & { batchSize: number },
): AsyncGenerator<StoredImportRow[]> {
  let after = 0;
  for (;;) {
    const rows = await readImportRows(importId, { ...query, after, limit: query.batchSize });
    if (rows.length > 0) yield rows;
    if (rows.length < query.batchSize) return;
    after = rows[rows.length - 1]!.rowNumber;
  }
}
