// Bulk enrolment from an uploaded file, end to end: receive the upload
// (size limit before it is read, CSRF before the file), keep it on disk
// between the preview, dry run and commit steps, run the dry run batch by
// batch, and commit in batches of IMPORT_BATCH_SIZE with a transaction per
// batch, updating EnrolmentImport.processedRows so the status page can show
// progress. Re-uploading the same file changes nothing: email and employee
// number identify a person, and unchanged rows are not written.
import { randomUUID } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { EnrolmentImport, Prisma } from "@prisma/client";
import { unstable_parseMultipartFormData } from "@remix-run/node";
import { assertValidCsrf, CSRF_FIELD } from "~/auth/csrf.server";
import { db } from "~/db/db.server";
import type { ColumnMapping, ColumnOverride } from "./csv-columns";
import { describeRowErrors, rejectedRowsCsv } from "./csv-export";
import {
  checkUploadSize,
  EnrolmentFileError,
  IMPORT_BATCH_SIZE,
  limitUploadBytes,
  openEnrolmentFile,
  previewEnrolmentFile,
  type EnrolmentFile,
  type FileProblem,
  type PreviewResult,
  type UploadSource,
} from "./csv-import";
import { createImportDryRun, rejectedOutcomes, type DryRunReport, type ImportRowOutcome, type ImportRowStatus } from "./import-dry-run";
import { issueInvitations } from "./invitation-links.server";
import {
  createVolunteers,
  ensureChannels,
  insertAuditRows,
  lookUpBatch,
  newIds,
  updateVolunteer,
  type AuditRow,
  type NewVolunteer,
} from "./volunteer-records.server";
import { ENROLMENT_FIELD_LABELS, ENROLMENT_FIELDS, type EnrolmentField } from "./volunteer-schema";

export type CommitMode = "all_or_nothing" | "valid_only";
export const COMMIT_MODES: CommitMode[] = ["all_or_nothing", "valid_only"];

/** Where uploads wait between the steps (SURGE_UPLOAD_DIR, else the system temp folder). */
export function uploadDirectory(): string {
  return process.env.SURGE_UPLOAD_DIR ?? path.join(tmpdir(), "surge-enrolment-uploads");
}

function uploadPath(importId: string): string {
  if (!/^[A-Za-z0-9-]{8,64}$/.test(importId)) throw new Error("Invalid import id");
  return path.join(uploadDirectory(), `${importId}.csv`);
}

/** Uploads are kept a day, long enough to fix rejected rows; older ones are removed. */
const UPLOAD_RETENTION_MS = 24 * 3_600_000;

async function removeOldUploads(now = Date.now()): Promise<void> {
  const directory = uploadDirectory();
  let names: string[] = [];
  try {
    names = await readdir(directory);
  } catch {
    return;
  }
  for (const name of names) {
    const file = path.join(directory, name);
    const info = await stat(file).catch(() => null);
    if (info && now - info.mtimeMs > UPLOAD_RETENTION_MS) await rm(file, { force: true });
  }
}

// ---------------------------------------------------------------------------
// Upload

export type UploadResult = { ok: true; importId: string } | { ok: false; status: number; problem: FileProblem };

const MAX_TEXT_PART_BYTES = 4 * 1024;
const MULTIPART_OVERHEAD_BYTES = 16 * 1024;

async function textOf(data: AsyncIterable<Uint8Array>): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of data) {
    size += chunk.byteLength;
    if (size > MAX_TEXT_PART_BYTES) throw new Response("A form field is too large.", { status: 413 });
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Receives a multipart upload with a `file` field. Refuses a declared
 * Content-Length over MAX_UPLOAD_BYTES before reading anything, counts the
 * bytes as they arrive (a client may send no length or lie), and checks the
 * CSRF token, which the form sends before the file, before the file is
 * stored. A file that is empty or not CSV is refused and not kept.
 */
export async function receiveUpload(request: Request, actorId: string): Promise<UploadResult> {
  const type = request.headers.get("Content-Type") ?? "";
  if (!type.startsWith("multipart/form-data")) {
    throw new Response("Upload the file with a multipart/form-data form.", { status: 415, statusText: "Unsupported Media Type" });
  }
  // The body also carries the multipart framing and the token; allow for it.
  const length = Number(request.headers.get("Content-Length") ?? "");
  const declared = Number.isFinite(length) && length > 0 ? checkUploadSize(Math.max(0, length - MULTIPART_OVERHEAD_BYTES)) : null;
  if (declared) return { ok: false, status: 413, problem: declared };

  await mkdir(uploadDirectory(), { recursive: true });
  await removeOldUploads();
  const temporary = path.join(uploadDirectory(), `upload-${randomUUID()}.part`);
  const fields = new FormData();
  let csrfChecked = false;
  let fileName: string | null = null;
  let fileBytes = 0;
  try {
    await unstable_parseMultipartFormData(request, async (part) => {
      if (part.filename === undefined) {
        const value = await textOf(part.data);
        fields.append(part.name, value);
        return value;
      }
      if (part.name !== "file" || fileName !== null) {
        // Drain other file fields without keeping them.
        for await (const chunk of limitUploadBytes(part.data)) void chunk;
        return undefined;
      }
      if (!fields.has(CSRF_FIELD)) {
        throw new Response("This form has expired or did not come from Surge. Reload the page and try again.", { status: 403 });
      }
      await assertValidCsrf(request, fields);
      csrfChecked = true;
      fileName = part.filename || "upload.csv";
      const counted = (async function* () {
        for await (const chunk of limitUploadBytes(part.data)) {
          fileBytes += chunk.byteLength;
          yield chunk;
        }
      })();
      await pipeline(Readable.from(counted), createWriteStream(temporary));
      return fileName;
    });
  } catch (error) {
    await rm(temporary, { force: true });
    if (error instanceof EnrolmentFileError) return { ok: false, status: 413, problem: error.problem };
    if (error instanceof Response) throw error;
    throw new Response("The upload could not be read. Choose the file again and retry.", { status: 400 });
  }
  if (!csrfChecked) await assertValidCsrf(request, fields);
  if (fileName === null) {
    return { ok: false, status: 400, problem: { code: "empty", message: "Choose a CSV file to upload." } };
  }
  const preview = await previewEnrolmentFile(createReadStream(temporary), { rows: 1 });
  if (!preview.ok) {
    await rm(temporary, { force: true });
    return { ok: false, status: 422, problem: preview.problem };
  }
  const created = await db.enrolmentImport.create({
    data: { createdById: actorId, fileName: String(fileName).slice(0, 200), fileBytes, status: "previewed", counts: {} },
  });
  await rename(temporary, uploadPath(created.id));
  await db.auditLog.create({
    data: { actorId, action: "enrolment_import.uploaded", subjectType: "EnrolmentImport", subjectId: created.id, data: { fileName, fileBytes } },
  });
  return { ok: true, importId: created.id };
}

// ---------------------------------------------------------------------------
// What is stored on the EnrolmentImport row (the `counts` JSON)

export interface ReportRow {
  row: number;
  status: ImportRowStatus;
  name: string;
  email: string;
  detail: string;
}

export interface StoredReport {
  counts: Record<ImportRowStatus, number>;
  rejected: number;
  totalRows: number;
  /** Rows listed on the report page: every row of a small file, problem rows first for a big one. */
  rows: ReportRow[];
  /** Rows not listed (valid rows of a big file); they are in the counts. */
  unlisted: number;
}

export interface CommitResult {
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  rejected: number;
}

export interface ImportState {
  mapping?: (EnrolmentField | null)[];
  report?: StoredReport;
  result?: CommitResult;
}

export function importState(row: Pick<EnrolmentImport, "counts">): ImportState {
  return (row.counts ?? {}) as ImportState;
}

async function saveState(importId: string, state: ImportState, extra: Prisma.EnrolmentImportUpdateInput = {}) {
  await db.enrolmentImport.update({ where: { id: importId }, data: { ...extra, counts: state as Prisma.InputJsonValue } });
}

export function overrideFrom(mapping: ColumnMapping | undefined): ColumnOverride | undefined {
  if (!mapping) return undefined;
  return Object.fromEntries(mapping.map((field, position) => [String(position), field]));
}

/** The planner's column choices from the preview form: `column.<position>` = field or "" (ignore). */
export function mappingFromForm(form: FormData, columnCount: number): (EnrolmentField | null)[] {
  return Array.from({ length: columnCount }, (_, position) => {
    const value = form.get(`column.${position}`);
    return typeof value === "string" && (ENROLMENT_FIELDS as readonly string[]).includes(value) ? (value as EnrolmentField) : null;
  });
}

function openUpload(importId: string): UploadSource {
  return createReadStream(uploadPath(importId));
}

export async function uploadExists(importId: string): Promise<boolean> {
  return stat(uploadPath(importId)).then(
    () => true,
    () => false,
  );
}

export async function previewImport(importId: string, mapping?: ColumnMapping): Promise<PreviewResult> {
  if (!(await uploadExists(importId))) {
    return { ok: false, problem: { code: "empty", message: "The uploaded file is no longer kept (uploads are kept for a day). Upload it again." } };
  }
  return previewEnrolmentFile(openUpload(importId), { rows: 5, override: overrideFrom(mapping) });
}

// ---------------------------------------------------------------------------
// Dry run and commit, usable on any source (the routes pass the stored upload)

/** Reads the whole file batch by batch, looking up each batch's people in the database. */
export async function dryRunSource(
  source: UploadSource,
  override?: ColumnOverride,
): Promise<{ file: EnrolmentFile; report: DryRunReport }> {
  const file = await openEnrolmentFile(source, { override });
  const dryRun = createImportDryRun(file.mappedFields);
  for await (const batch of file.rows()) dryRun.addBatch(batch, await lookUpBatch(batch));
  return { file, report: dryRun.finish() };
}

const REPORT_LIST_LIMIT = 1000;

function detailOf(outcome: ImportRowOutcome): string {
  switch (outcome.status) {
    case "valid":
      return "New volunteer";
    case "will_update":
      return `Changes ${outcome.changes.map((field) => ENROLMENT_FIELD_LABELS[field].toLowerCase()).join(", ")}`;
    case "unchanged":
      return "Already enrolled with the same data";
    case "duplicate_in_file":
      return `Same as row ${outcome.duplicateOfRow}; skipped`;
    case "error":
    case "conflict":
      return describeRowErrors(outcome.errors);
  }
}

export function summariseReport(file: EnrolmentFile, report: DryRunReport): StoredReport {
  const at = (cells: string[], field: EnrolmentField) => {
    const position = file.mapping.indexOf(field);
    return position >= 0 ? (cells[position] ?? "").slice(0, 200) : "";
  };
  const toRow = (outcome: ImportRowOutcome): ReportRow => ({
    row: outcome.row,
    status: outcome.status,
    name: at(outcome.cells, "name"),
    email: at(outcome.cells, "email"),
    detail: detailOf(outcome).slice(0, 2000),
  });
  const all = report.outcomes;
  let listed: ImportRowOutcome[];
  if (all.length <= REPORT_LIST_LIMIT) listed = all;
  else {
    const notable = all.filter((outcome) => outcome.status !== "valid");
    listed = notable.slice(0, REPORT_LIST_LIMIT);
    if (listed.length < REPORT_LIST_LIMIT) {
      listed = [...listed, ...all.filter((outcome) => outcome.status === "valid").slice(0, REPORT_LIST_LIMIT - listed.length)];
      listed.sort((a, b) => a.row - b.row);
    }
  }
  return {
    counts: report.counts,
    rejected: report.rejected,
    totalRows: all.length,
    rows: listed.map(toRow),
    unlisted: all.length - listed.length,
  };
}

export type CommitOutcome = { ok: true; result: CommitResult } | { ok: false; reason: string; report: DryRunReport };

/**
 * Writes what a dry run found: new volunteers (User without password +
 * Volunteer + languages + channels + invitation), changed fields of existing
 * ones, an audit row per person. All-or-nothing refuses the whole file when
 * any row is rejected; valid-only writes the rest.
 */
export async function commitReport(
  report: DryRunReport,
  options: {
    mode: CommitMode;
    actorId: string;
    importId?: string;
    batchSize?: number;
    onProgress?: (processedRows: number) => Promise<void> | void;
  },
): Promise<CommitOutcome> {
  const { mode, actorId, importId = null, batchSize = IMPORT_BATCH_SIZE } = options;
  if (mode === "all_or_nothing" && !report.canCommitAll) {
    return {
      ok: false,
      reason: `${report.rejected} ${report.rejected === 1 ? "row has" : "rows have"} errors, so nothing was imported. Fix them, or choose to import the valid rows only.`,
      report,
    };
  }
  await ensureChannels();
  const result: CommitResult = {
    created: 0,
    updated: 0,
    unchanged: report.counts.unchanged,
    skipped: report.counts.duplicate_in_file,
    rejected: report.rejected,
  };
  const outcomes = report.outcomes;
  for (let start = 0; start < outcomes.length; start += batchSize) {
    const batch = outcomes.slice(start, start + batchSize);
    const created: (NewVolunteer & { row: number })[] = [];
    const updates: Extract<ImportRowOutcome, { status: "will_update" }>[] = [];
    for (const outcome of batch) {
      if (outcome.status === "valid") created.push({ ...newIds(outcome.data), row: outcome.row });
      else if (outcome.status === "will_update") updates.push(outcome);
    }
    if (created.length > 0 || updates.length > 0) {
      await db.$transaction(
        async (tx) => {
          await createVolunteers(tx, created);
          await issueInvitations(tx, created.map((person) => person.userId), actorId);
          const audit: AuditRow[] = created.map((person) => ({
            actorId,
            action: "volunteer.enrolled",
            subjectType: "Volunteer",
            subjectId: person.volunteerId,
            data: { importId, row: person.row, email: person.data.email, employeeNumber: person.data.employeeNumber },
          }));
          if (updates.length > 0) {
            const owners = await tx.volunteer.findMany({
              where: { id: { in: updates.map((update) => update.volunteerId) } },
              select: { id: true, userId: true },
            });
            const userOf = new Map(owners.map((owner) => [owner.id, owner.userId]));
            for (const update of updates) {
              await updateVolunteer(tx, update.volunteerId, userOf.get(update.volunteerId)!, update.data, update.changes);
              audit.push({
                actorId,
                action: "volunteer.updated",
                subjectType: "Volunteer",
                subjectId: update.volunteerId,
                data: { importId, row: update.row, changes: update.changes },
              });
            }
          }
          await insertAuditRows(tx, audit);
        },
        { timeout: 60_000, maxWait: 30_000 },
      );
    }
    result.created += created.length;
    result.updated += updates.length;
    await options.onProgress?.(Math.min(start + batch.length, outcomes.length));
  }
  return { ok: true, result };
}

// ---------------------------------------------------------------------------
// The import steps as the routes drive them

export async function findImport(importId: string) {
  return db.enrolmentImport.findUnique({ where: { id: importId } });
}

export type StepResult = { ok: true } | { ok: false; problem: FileProblem };

/** Checks every row against the rules and the stored volunteers; stores the report. Writes no volunteer. */
export async function runDryRunStep(importId: string, mapping: (EnrolmentField | null)[]): Promise<StepResult> {
  const state: ImportState = { mapping };
  try {
    const { file, report } = await dryRunSource(openUpload(importId), overrideFrom(mapping));
    state.report = summariseReport(file, report);
    await saveState(importId, state, { status: "dry_run", totalRows: report.outcomes.length, processedRows: 0, error: null });
    return { ok: true };
  } catch (error) {
    if (!(error instanceof EnrolmentFileError)) throw error;
    await saveState(importId, state, { status: "previewed", error: error.message });
    return { ok: false, problem: error.problem };
  }
}

/** The planner's column choices; a new mapping needs a new dry run. */
export async function saveMapping(importId: string, mapping: (EnrolmentField | null)[]): Promise<void> {
  await saveState(importId, { mapping }, { status: "previewed", error: null });
}

const running = new Map<string, Promise<void>>();

/** The commit of an import, run in the background; the status page shows its progress. */
export async function startCommit(importId: string, mode: CommitMode, actorId: string): Promise<{ started: boolean; job: Promise<void> }> {
  const claimed = await db.enrolmentImport.updateMany({
    where: { id: importId, status: { in: ["dry_run", "failed"] } },
    data: { status: "committing", mode, processedRows: 0, error: null },
  });
  if (claimed.count !== 1) return { started: false, job: running.get(importId) ?? Promise.resolve() };
  const job = runCommit(importId, mode, actorId).finally(() => running.delete(importId));
  running.set(importId, job);
  return { started: true, job };
}

async function runCommit(importId: string, mode: CommitMode, actorId: string): Promise<void> {
  const row = await db.enrolmentImport.findUniqueOrThrow({ where: { id: importId } });
  const state = importState(row);
  try {
    // A fresh dry run: someone may have enrolled these people since the check.
    const { file, report } = await dryRunSource(openUpload(importId), overrideFrom(state.mapping));
    state.report = summariseReport(file, report);
    await saveState(importId, state, { totalRows: report.outcomes.length });
    const outcome = await commitReport(report, {
      mode,
      actorId,
      importId,
      onProgress: (processedRows) => db.enrolmentImport.update({ where: { id: importId }, data: { processedRows } }).then(() => undefined),
    });
    if (!outcome.ok) {
      await saveState(importId, state, { status: "failed", error: outcome.reason, finishedAt: new Date() });
      return;
    }
    state.result = outcome.result;
    await saveState(importId, state, { status: "committed", finishedAt: new Date(), processedRows: report.outcomes.length });
    await db.auditLog.create({
      data: {
        actorId,
        action: "enrolment_import.committed",
        subjectType: "EnrolmentImport",
        subjectId: importId,
        data: { mode, fileName: row.fileName, ...outcome.result },
      },
    });
  } catch (error) {
    const message =
      error instanceof EnrolmentFileError
        ? error.message
        : "The import stopped because of a database error. Rows written so far stay; upload the same file again to finish (rows already enrolled are recognised).";
    if (!(error instanceof EnrolmentFileError)) console.error(`Enrolment import ${importId} failed`, error);
    await saveState(importId, state, { status: "failed", error: message, finishedAt: new Date() }).catch(() => undefined);
  }
}

/** The rows the file would reject now, with the uploaded columns and an error column. */
export async function rejectedRowsFile(importId: string): Promise<string> {
  const row = await db.enrolmentImport.findUniqueOrThrow({ where: { id: importId } });
  const { file, report } = await dryRunSource(openUpload(importId), overrideFrom(importState(row).mapping));
  return rejectedRowsCsv(file.headers, rejectedOutcomes(report), { delimiter: file.delimiter });
}

/** Volunteers this import enrolled (from the audit rows it wrote). */
export async function volunteersEnrolledBy(importId: string): Promise<string[]> {
  const entries = await db.auditLog.findMany({
    where: { action: "volunteer.enrolled", subjectType: "Volunteer", data: { path: ["importId"], equals: importId } },
    select: { subjectId: true },
  });
  return entries.map((entry) => entry.subjectId).filter((id): id is string => id !== null);
}
