// Bulk enrolment from an uploaded file, end to end: receive the upload
// (size limit before it is read, CSRF before the file), keep it in the
// database between the preview, dry run and commit steps, run the dry run
// batch by batch into EnrolmentImportRow, and commit from those rows in
// batches of IMPORT_BATCH_SIZE with a transaction per batch, updating
// EnrolmentImport.processedRows so the status page can show progress.
//
// Nothing waits in memory or on local disk between requests: the upload is
// a bytea row (EnrolmentImportUpload, read back in chunks), the per-row
// outcomes are EnrolmentImportRow rows, and the counts are on
// EnrolmentImport, so any app instance can serve any step. Memory does not
// grow with the file: one batch of rows at a time, plus the dry run's
// per-person strings for the in-file duplicate check.
//
// Re-uploading the same file changes nothing: email and employee number
// identify a person, and unchanged rows are not written.
import { writeAudit, writeAuditRows, type AuditEntry } from "~/audit/audit-log.server";
import { randomUUID } from "node:crypto";
import type { Readable } from "node:stream";
import type { EnrolmentImport, Prisma, Proficiency } from "@prisma/client";
import { unstable_parseMultipartFormData } from "@remix-run/node";
import { assertValidCsrf, CSRF_FIELD } from "~/auth/csrf.server";
import { db } from "~/db/db.server";
import { isUniqueViolation } from "~/db/unique-violation";
import type { ColumnMapping, ColumnOverride } from "./csv-columns";
import { rejectedRowsCsvStream, type RejectedRow } from "./csv-export.server";
import { MAX_UPLOAD_BYTES } from "./import-limits";
import {
  checkUploadSize,
  EnrolmentFileError,
  IMPORT_BATCH_SIZE,
  limitUploadBytes,
  openEnrolmentFile,
  previewEnrolmentFile,
  type Delimiter,
  type EnrolmentFile,
  type FileProblem,
  type PreviewResult,
} from "./csv-import.server";
import { COMMITTABLE_IMPORT_STATUSES, STALLED_COMMIT_MS, withStalledCommitAsFailed } from "./import-status";
import { createImportDryRun, NOTHING_TO_IMPORT_MESSAGE, rowsToImport, type DryRunSummary, type ImportRowOutcome } from "./import-dry-run";
import { outcomeOf, REPORT_PAGE_SIZE, REPORT_VIEWS, reportRowOf, storedRowOf, type ReportRow, type ReportView } from "./import-rows";
import { amendImportRows, clearImportRows, importRowBatches, insertImportRows, readImportRows } from "./import-rows.server";
import { issueInvitations } from "~/auth/invitation.server";
import {
  createVolunteers,
  ensureChannels,
  lookUpBatch,
  newIds,
  updateVolunteer,
  type NewVolunteer,
} from "./volunteer-records.server";
import { ENROLMENT_FIELDS, PROFICIENCIES, type EnrolmentField } from "./volunteer-schema";
import { isZipArchive, workbookToCsv } from "./xlsx-import.server";
import { BodyTooLargeError, ByteBudget, payloadTooLarge, readLimited } from "~/server/request-body.server";
import { logger } from "~/server/logger.server";

export type CommitMode = "all_or_nothing" | "valid_only";
export const COMMIT_MODES: CommitMode[] = ["all_or_nothing", "valid_only"];

/** Uploads and their rows are kept a day, long enough to fix rejected rows; older ones are removed. */
export const UPLOAD_RETENTION_MS = 24 * 3_600_000;

/** Removes the stored files and row outcomes of imports uploaded more than a day ago; the imports' counts stay. */
export async function removeExpiredUploads(now = new Date()): Promise<void> {
  const cutoff = new Date(now.getTime() - UPLOAD_RETENTION_MS);
  await db.enrolmentImportRow.deleteMany({ where: { import: { createdAt: { lt: cutoff } } } });
  await db.enrolmentImportUpload.deleteMany({ where: { createdAt: { lt: cutoff } } });
}

const UPLOAD_GONE: FileProblem = {
  code: "expired",
  message: "The uploaded file is no longer kept (uploads are kept for a day). Upload it again.",
};

// ---------------------------------------------------------------------------
// Upload

export type UploadResult = { ok: true; importId: string } | { ok: false; status: number; problem: FileProblem };
export type UploadFormat = "csv" | "xlsx";

/** The framing and the text fields (token, options) together; they come before the file. */
const MULTIPART_OVERHEAD_BYTES = 16 * 1024;

/** A text part, counted against the budget all text parts share (so many small ones cannot add up). */
async function textOf(data: AsyncIterable<Uint8Array>, budget: ByteBudget): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of data) {
    try {
      budget.spend(chunk.byteLength);
    } catch {
      throw payloadTooLarge("The form fields are too large.");
    }
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Receives a multipart upload with a `file` field. Refuses a declared
 * Content-Length over MAX_UPLOAD_BYTES before reading anything, counts the
 * bytes as they arrive (a client may send no length or lie), and checks the
 * CSRF token, which the form sends before the file, before the file is
 * kept. The file (at most MAX_UPLOAD_BYTES) is then stored by storeUpload.
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

  const fields = new FormData();
  const textBudget = new ByteBudget(MULTIPART_OVERHEAD_BYTES);
  let csrfChecked = false;
  let fileName: string | null = null;
  const chunks: Uint8Array[] = [];
  try {
    const bodyLimit = MAX_UPLOAD_BYTES + MULTIPART_OVERHEAD_BYTES;
    await readLimited(request, bodyLimit, (limited) => unstable_parseMultipartFormData(limited, async (part) => {
      if (part.filename === undefined) {
        const value = await textOf(part.data, textBudget);
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
      // limitUploadBytes throws as soon as the running count passes the limit.
      for await (const chunk of limitUploadBytes(part.data)) chunks.push(chunk);
      return fileName;
    }));
  } catch (error) {
    if (error instanceof EnrolmentFileError) return { ok: false, status: 413, problem: error.problem };
    if (error instanceof BodyTooLargeError) return { ok: false, status: 413, problem: checkUploadSize(MAX_UPLOAD_BYTES + 1)! };
    if (error instanceof Response) throw error;
    throw new Response("The upload could not be read. Choose the file again and retry.", { status: 400 });
  }
  if (!csrfChecked) await assertValidCsrf(request, fields);
  if (fileName === null) {
    return { ok: false, status: 400, problem: { code: "empty", message: "Choose a CSV or Excel file to upload." } };
  }
  return storeUpload(actorId, fileName, Buffer.concat(chunks));
}

/**
 * Keeps an upload for the next steps: an Excel workbook is converted to CSV
 * first; a file that is empty, not CSV, or a workbook that cannot be read
 * is refused and nothing is kept.
 */
export async function storeUpload(actorId: string, fileName: string, bytes: Buffer): Promise<UploadResult> {
  let content = bytes;
  let format: UploadFormat = "csv";
  if (isZipArchive(bytes)) {
    try {
      content = await workbookToCsv(bytes);
      format = "xlsx";
    } catch (error) {
      if (error instanceof EnrolmentFileError) return { ok: false, status: 422, problem: error.problem };
      throw error;
    }
  }
  const preview = await previewEnrolmentFile(content, { rows: 1 });
  if (!preview.ok) return { ok: false, status: 422, problem: preview.problem };
  await removeExpiredUploads();
  const state: ImportState = { format };
  const created = await db.enrolmentImport.create({
    data: {
      createdById: actorId,
      fileName: String(fileName).slice(0, 200),
      fileBytes: bytes.byteLength,
      status: "previewed",
      counts: state as Prisma.InputJsonValue,
      // Buffer.concat and workbookToCsv return Buffers over a plain ArrayBuffer.
      upload: { create: { content: content as Uint8Array<ArrayBuffer> } },
    },
    select: { id: true },
  });
  await writeAudit({
    actorId,
    action: "enrolment_import.uploaded",
    subjectType: "EnrolmentImport",
    subjectId: created.id,
    data: { fileName, fileBytes: bytes.byteLength, format },
  });
  return { ok: true, importId: created.id };
}

/** The stored upload is read back in pieces of this size, each one query. */
const UPLOAD_CHUNK_BYTES = 256 * 1024;

/** The stored file as a stream of chunks read from the database (throws EnrolmentFileError once it has expired). */
export function openStoredUpload(importId: string): AsyncIterable<Uint8Array> {
  return (async function* () {
    for (let offset = 0; ; offset += UPLOAD_CHUNK_BYTES) {
      // Base64: this Prisma version cannot return bytea from a raw query.
      const found = await db.$queryRaw<{ chunk: string | null }[]>`
        SELECT encode(substring(content FROM ${offset + 1}::int FOR ${UPLOAD_CHUNK_BYTES}::int), 'base64') AS chunk
        FROM "EnrolmentImportUpload" WHERE "importId" = ${importId}`;
      if (found.length === 0) throw new EnrolmentFileError(UPLOAD_GONE);
      // PostgreSQL breaks base64 into lines; Buffer.from skips the line breaks.
      const chunk = Buffer.from(found[0]!.chunk ?? "", "base64");
      if (chunk.byteLength === 0) return;
      yield chunk;
      if (chunk.byteLength < UPLOAD_CHUNK_BYTES) return;
    }
  })();
}

export async function uploadKept(importId: string): Promise<boolean> {
  return (await db.enrolmentImportUpload.count({ where: { importId } })) > 0;
}

// ---------------------------------------------------------------------------
// What is stored on the EnrolmentImport row (the `counts` JSON)

export interface CommitResult {
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  rejected: number;
}

/** The file's layout as the latest dry run read it, for the report and the rejected-rows file. */
export interface StoredFileLayout {
  headers: string[];
  delimiter: Delimiter;
  mapping: ColumnMapping;
}

export interface ImportState {
  format?: UploadFormat;
  /** The planner's column choices. */
  mapping?: (EnrolmentField | null)[];
  /** Proficiency for languages listed without one ("nl, en"); unset: such rows are rejected. */
  defaultProficiency?: Proficiency;
  file?: StoredFileLayout;
  /** The latest dry run's counts; the rows themselves are in EnrolmentImportRow. */
  report?: DryRunSummary;
  result?: CommitResult;
}

export function importState(row: Pick<EnrolmentImport, "counts">): ImportState {
  return (row.counts ?? {}) as ImportState;
}

async function saveState(importId: string, state: ImportState, extra: Prisma.EnrolmentImportUpdateInput = {}) {
  await db.enrolmentImport.update({ where: { id: importId }, data: { ...extra, counts: state as Prisma.InputJsonValue } });
}

function layoutOf(file: EnrolmentFile): StoredFileLayout {
  return { headers: file.headers, delimiter: file.delimiter, mapping: file.mapping };
}

export function overrideFrom(mapping: ColumnMapping | undefined): ColumnOverride | undefined {
  if (!mapping) return undefined;
  return Object.fromEntries(mapping.map((field, position) => [String(position), field]));
}

/** The default proficiency chosen on the import screen ("" or anything else: none). */
export function defaultProficiencyFromForm(form: FormData): Proficiency | undefined {
  const value = form.get("defaultProficiency");
  return typeof value === "string" && (PROFICIENCIES as readonly string[]).includes(value) ? (value as Proficiency) : undefined;
}

/** The planner's column choices from the preview form: `column.<position>` = field or "" (ignore). */
export function mappingFromForm(form: FormData, columnCount: number): (EnrolmentField | null)[] {
  return Array.from({ length: columnCount }, (_, position) => {
    const value = form.get(`column.${position}`);
    return typeof value === "string" && (ENROLMENT_FIELDS as readonly string[]).includes(value) ? (value as EnrolmentField) : null;
  });
}

/** The preview screen, read from the first chunk of the stored file. */
export async function previewImport(importId: string, mapping?: ColumnMapping): Promise<PreviewResult> {
  return previewEnrolmentFile(openStoredUpload(importId), { rows: 5, override: overrideFrom(mapping) });
}

// ---------------------------------------------------------------------------
// Dry run and commit

/**
 * Reads the stored file batch by batch: looks up each batch's people,
 * classifies the rows and writes their outcomes to EnrolmentImportRow
 * (replacing an earlier dry run's). Writes no volunteer. Throws
 * EnrolmentFileError for a problem with the whole file, leaving no rows.
 */
export async function dryRunImportRows(
  importId: string,
  mapping?: ColumnMapping,
  options: { batchSize?: number; defaultProficiency?: Proficiency } = {}
): Promise<{ file: EnrolmentFile; summary: DryRunSummary }> {
  await clearImportRows(importId);
  try {
    const file = await openEnrolmentFile(openStoredUpload(importId), { override: overrideFrom(mapping), defaultProficiency: options.defaultProficiency });
    const dryRun = createImportDryRun(file.mappedFields);
    for await (const batch of file.rows({ batchSize: options.batchSize ?? IMPORT_BATCH_SIZE })) {
      const { outcomes, amendments } = dryRun.addBatch(batch, await lookUpBatch(batch));
      await insertImportRows(importId, outcomes.map(storedRowOf));
      await amendImportRows(importId, amendments);
    }
    return { file, summary: dryRun.finish() };
  } catch (error) {
    await clearImportRows(importId).catch(() => undefined);
    throw error;
  }
}

export type CommitOutcome = { ok: true; result: CommitResult } | { ok: false; reason: string };

/**
 * Writes what the latest dry run stored, reading the rows back in batches:
 * new volunteers (User without password + Volunteer + languages + channels
 * + invitation), changed fields of existing ones, an audit row per person.
 * All-or-nothing refuses the whole file when any row is rejected;
 * valid-only writes the rest.
 */
export async function commitImportRows(
  importId: string,
  summary: DryRunSummary,
  options: {
    mode: CommitMode;
    actorId: string;
    batchSize?: number;
    onProgress?: (processedRows: number) => Promise<void> | void;
    /** Runs inside each batch's transaction first (the lease check): throwing stops the commit with nothing of the batch written. */
    inBatch?: (tx: Prisma.TransactionClient) => Promise<void>;
    /** Rows this import enrolled in earlier, cut-off attempts: the fresh dry run sees them as unchanged. */
    createdBefore?: number;
  }
): Promise<CommitOutcome> {
  const { mode, actorId, batchSize = IMPORT_BATCH_SIZE } = options;
  if (mode === "all_or_nothing" && !summary.canCommitAll) {
    return {
      ok: false,
      reason: `${summary.rejected} ${
        summary.rejected === 1 ? "row has" : "rows have"
      } errors, so nothing was imported. Fix them, or choose to import the valid rows only.`,
    };
  }
  await ensureChannels();
  const createdBefore = options.createdBefore ?? 0;
  const result: CommitResult = {
    created: createdBefore,
    updated: 0,
    unchanged: Math.max(0, summary.counts.unchanged - createdBefore),
    skipped: summary.counts.duplicate_in_file,
    rejected: summary.rejected,
  };
  let processed = 0;
  for await (const rows of importRowBatches(importId, { batchSize })) {
    const created: (NewVolunteer & { row: number })[] = [];
    const updates: Extract<ImportRowOutcome, { status: "will_update" }>[] = [];
    for (const row of rows) {
      if (row.status !== "valid" && row.status !== "will_update") continue;
      const outcome = outcomeOf(row);
      if (outcome.status === "valid") created.push({ ...newIds(outcome.data), row: outcome.row });
      else if (outcome.status === "will_update") updates.push(outcome);
    }
    if (created.length > 0 || updates.length > 0) {
      await db.$transaction(
        async (tx) => {
          await options.inBatch?.(tx);
          await createVolunteers(tx, created);
          await issueInvitations(
            tx,
            created.map((person) => person.userId),
            actorId
          );
          const audit: AuditEntry[] = created.map((person) => ({
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
          await writeAuditRows(audit, tx);
        },
        { timeout: 60_000, maxWait: 30_000 }
      );
    }
    result.created += created.length;
    result.updated += updates.length;
    processed += rows.length;
    await options.onProgress?.(processed);
  }
  return { ok: true, result };
}

// ---------------------------------------------------------------------------
// The import steps as the routes drive them

const running = new Map<string, Promise<void>>();

/** The import as the planner should see it (a commit cut off by a stopped instance shows as failed). */
export async function findImport(importId: string) {
  const row = await db.enrolmentImport.findUnique({ where: { id: importId } });
  return row && !running.has(importId) ? withStalledCommitAsFailed(row) : row;
}

export type StepResult = { ok: true } | { ok: false; problem: FileProblem };

/** Checks every row against the rules and the stored volunteers; stores the outcomes. Writes no volunteer. */
export async function runDryRunStep(importId: string, mapping: (EnrolmentField | null)[], defaultProficiency?: Proficiency): Promise<StepResult> {
  const current = importState(await db.enrolmentImport.findUniqueOrThrow({ where: { id: importId }, select: { counts: true } }));
  const state: ImportState = { format: current.format, mapping, defaultProficiency };
  try {
    const { file, summary } = await dryRunImportRows(importId, mapping, { defaultProficiency });
    state.file = layoutOf(file);
    state.report = summary;
    await saveState(importId, state, { status: "dry_run", totalRows: summary.totalRows, processedRows: 0, error: null });
    return { ok: true };
  } catch (error) {
    // Two dry runs of one import at the same moment (two planners, or a double
    // submit) both write its row outcomes: the second stops with a clear answer.
    if (isUniqueViolation(error)) return { ok: false, problem: DRY_RUN_BUSY };
    if (!(error instanceof EnrolmentFileError)) throw error;
    await saveState(importId, state, { status: "previewed", error: error.message });
    return { ok: false, problem: error.problem };
  }
}

const DRY_RUN_BUSY: FileProblem = {
  code: "busy",
  message: "Another check of this file is running (perhaps started by another planner). Wait a moment, then reload the page.",
};

/** The planner's column choices; a new mapping needs a new dry run. */
export async function saveMapping(importId: string, mapping: (EnrolmentField | null)[], defaultProficiency?: Proficiency): Promise<void> {
  const current = importState(await db.enrolmentImport.findUniqueOrThrow({ where: { id: importId }, select: { counts: true } }));
  await saveState(importId, { format: current.format, mapping, defaultProficiency }, { status: "previewed", error: null });
}

// A commit's lease: the instance running it renews it every LEASE_MS / 4;
// once it has lapsed, any instance may take the commit over (see
// takeOverStalledCommits). Every batch checks the lease inside its own
// transaction, so an instance that lost it (paused, cut off from the
// database) writes nothing more.
const INSTANCE_ID = randomUUID();

function leaseMs(): number {
  return Math.max(500, Number(process.env.SURGE_IMPORT_LEASE_MS ?? 10_000));
}

const leaseFrom = (now = Date.now()) => new Date(now + leaseMs());

/** Thrown to stop a commit without marking it failed: the lease lapses and another instance carries on. */
export class CommitAbandoned extends Error {
  constructor(reason = "The commit was handed over to another instance.") {
    super(reason);
  }
}

/** Where a commit may be claimed: ready, failed, or committing under a lapsed lease. */
function claimableWhere(importId: string, now: Date): Prisma.EnrolmentImportWhereInput {
  return {
    id: importId,
    OR: [
      { status: { in: [...COMMITTABLE_IMPORT_STATUSES] } },
      { status: "committing", leaseUntil: { lt: now } },
      // A commit from before leases: stalled when its row stopped moving.
      { status: "committing", leaseUntil: null, updatedAt: { lte: new Date(now.getTime() - STALLED_COMMIT_MS) } },
    ],
  };
}

export interface CommitHooks {
  batchSize?: number;
  /** After each committed batch (tests: simulate an instance that dies there by throwing CommitAbandoned). */
  afterBatch?: (processedRows: number) => Promise<void> | void;
}

let stopping = false;

/**
 * The commit of an import, run in the background; the status page shows its
 * progress. The claim is a conditional update in the database, so two
 * instances (or two clicks) cannot both start it.
 */
export async function startCommit(
  importId: string,
  mode: CommitMode,
  actorId: string,
  hooks: CommitHooks = {}
): Promise<{ started: boolean; job: Promise<void> }> {
  if (stopping) return { started: false, job: Promise.resolve() };
  const claimed = await db.enrolmentImport.updateMany({
    where: claimableWhere(importId, new Date()),
    data: { status: "committing", mode, processedRows: 0, error: null, leaseOwner: INSTANCE_ID, leaseUntil: leaseFrom(), committedById: actorId },
  });
  if (claimed.count !== 1) return { started: false, job: running.get(importId) ?? Promise.resolve() };
  const job = runCommit(importId, mode, actorId, hooks).finally(() => running.delete(importId));
  running.set(importId, job);
  return { started: true, job };
}

/**
 * Takes over the commits whose lease has lapsed (their instance was killed
 * or lost the database): run by every instance every few seconds. Returns
 * the jobs it started.
 */
export async function takeOverStalledCommits(hooks: CommitHooks = {}): Promise<{ importId: string; job: Promise<void> }[]> {
  const now = new Date();
  const stalled = await db.enrolmentImport.findMany({
    where: {
      status: "committing",
      OR: [{ leaseUntil: { lt: now } }, { leaseUntil: null, updatedAt: { lte: new Date(now.getTime() - STALLED_COMMIT_MS) } }],
    },
    select: { id: true, mode: true, committedById: true, createdById: true },
    take: 10,
  });
  const started: { importId: string; job: Promise<void> }[] = [];
  for (const row of stalled) {
    const actorId = row.committedById ?? row.createdById;
    const mode = (COMMIT_MODES as string[]).includes(row.mode ?? "") ? (row.mode as CommitMode) : "valid_only";
    if (!actorId) continue;
    const { started: took, job } = await startCommit(row.id, mode, actorId, hooks);
    if (took) {
      logger.info(`Took over the commit of enrolment import ${row.id} (its instance stopped).`);
      started.push({ importId: row.id, job });
    }
  }
  return started;
}

/** Shutdown: running commits stop after their current batch and hand their lease back, so another instance takes over at once. */
export async function stopImportCommits(): Promise<void> {
  stopping = true;
  await Promise.allSettled([...running.values()]);
  await db.enrolmentImport.updateMany({ where: { leaseOwner: INSTANCE_ID, status: "committing" }, data: { leaseUntil: new Date(0) } });
}

/** The background job that takes over stalled commits (started by app/server/start.ts). */
export const enrolmentCommitTakeover = { name: "take over stalled enrolment commits", everyMs: 3000, run: () => takeOverStalledCommits() };

async function runCommit(importId: string, mode: CommitMode, actorId: string, hooks: CommitHooks): Promise<void> {
  const owned = { id: importId, leaseOwner: INSTANCE_ID };
  // Written only while this instance holds the lease.
  const saveOwned = async (state: ImportState, extra: Prisma.EnrolmentImportUpdateManyMutationInput) => {
    const saved = await db.enrolmentImport.updateMany({ where: owned, data: { ...extra, counts: state as Prisma.InputJsonValue } });
    if (saved.count === 0) throw new CommitAbandoned();
  };
  let lost = false;
  const heartbeat = setInterval(() => {
    db.enrolmentImport
      .updateMany({ where: { ...owned, status: "committing" }, data: { leaseUntil: leaseFrom() } })
      .then((renewed) => {
        if (renewed.count === 0) lost = true;
      })
      .catch(() => undefined); // a lost connection: the next renewal or batch tries again
  }, Math.max(100, leaseMs() / 4));
  heartbeat.unref?.();
  let state: ImportState = {};
  try {
    const row = await db.enrolmentImport.findUniqueOrThrow({ where: { id: importId } });
    state = importState(row);
    // Rows an earlier, cut-off attempt enrolled count as created, not unchanged.
    const createdBefore = (await volunteersEnrolledBy(importId)).length;
    // A fresh dry run: someone may have enrolled these people since the check.
    const { file, summary } = await dryRunImportRows(importId, state.mapping, { defaultProficiency: state.defaultProficiency });
    state.file = layoutOf(file);
    state.report = summary;
    await saveOwned(state, { totalRows: summary.totalRows });
    if (rowsToImport(summary) === 0) {
      // Back to the dry run, with no commit and no audit entry: nothing was imported.
      await saveOwned(state, { status: "dry_run", error: NOTHING_TO_IMPORT_MESSAGE, leaseOwner: null, leaseUntil: null });
      return;
    }
    const outcome = await commitImportRows(importId, summary, {
      mode,
      actorId,
      batchSize: hooks.batchSize,
      createdBefore,
      inBatch: async (tx) => {
        if (lost || stopping) throw new CommitAbandoned();
        const held = await tx.enrolmentImport.updateMany({ where: { ...owned, status: "committing" }, data: { leaseUntil: leaseFrom() } });
        if (held.count === 0) throw new CommitAbandoned();
      },
      onProgress: async (processedRows) => {
        await db.enrolmentImport.updateMany({ where: owned, data: { processedRows } });
        await hooks.afterBatch?.(processedRows);
      },
    });
    if (!outcome.ok) {
      await saveOwned(state, { status: "failed", error: outcome.reason, finishedAt: new Date(), leaseOwner: null, leaseUntil: null });
      return;
    }
    state.result = outcome.result;
    await saveOwned(state, { status: "committed", finishedAt: new Date(), processedRows: summary.totalRows, leaseOwner: null, leaseUntil: null });
    await writeAudit({
      actorId,
      action: "enrolment_import.committed",
      subjectType: "EnrolmentImport",
      subjectId: importId,
      data: { mode, fileName: row.fileName, ...outcome.result },
    });
  } catch (error) {
    if (error instanceof CommitAbandoned) return;
    const message =
      error instanceof EnrolmentFileError
        ? error.message
        : "The import stopped because of a database error. Rows written so far stay; upload the same file again to finish (rows already enrolled are recognised).";
    if (!(error instanceof EnrolmentFileError)) logger.error({ err: error }, `Enrolment import ${importId} failed`);
    await saveOwned(state, { status: "failed", error: message, finishedAt: new Date(), leaseOwner: null, leaseUntil: null }).catch(() => undefined);
  } finally {
    clearInterval(heartbeat);
  }
}

// ---------------------------------------------------------------------------
// Reading the stored rows back

/** One page of the report, in file order from the keyset cursor `after` (a row number). */
export async function importReportPage(
  importId: string,
  state: ImportState,
  page: { view: ReportView; after: number }
): Promise<{ rows: ReportRow[]; nextAfter: number | null }> {
  const rows = await readImportRows(importId, {
    statuses: REPORT_VIEWS[page.view].statuses,
    after: page.after,
    limit: REPORT_PAGE_SIZE + 1,
    withCells: true,
  });
  const shown = rows.slice(0, REPORT_PAGE_SIZE);
  return {
    rows: shown.map((row) => reportRowOf(row, state.file?.mapping ?? [])),
    nextAfter: rows.length > REPORT_PAGE_SIZE ? shown[shown.length - 1]!.rowNumber : null,
  };
}

/**
 * The rows the latest dry run (or commit) rejected, as uploaded plus an
 * error column, streamed from the database. Null when there is nothing to
 * give: no dry run yet, or the rows have expired.
 */
export async function rejectedRowsDownload(importId: string): Promise<Readable | null> {
  const found = await db.enrolmentImport.findUnique({ where: { id: importId }, select: { counts: true } });
  const layout = found ? importState(found).file : undefined;
  if (!layout || !(await uploadKept(importId))) return null;
  const rows = (async function* (): AsyncGenerator<RejectedRow> {
    for await (const batch of importRowBatches(importId, {
      statuses: ["error", "conflict"],
      withCells: true,
      batchSize: IMPORT_BATCH_SIZE,
    })) {
      for (const row of batch) yield { cells: row.cells, errors: row.errors ?? [] };
    }
  })();
  return rejectedRowsCsvStream(layout.headers, rows, { delimiter: layout.delimiter });
}

/** Volunteers this import enrolled (from the audit rows it wrote). */
export async function volunteersEnrolledBy(importId: string): Promise<string[]> {
  const entries = await db.auditLog.findMany({
    where: { action: "volunteer.enrolled", subjectType: "Volunteer", data: { path: ["importId"], equals: importId } },
    select: { subjectId: true },
  });
  return entries.map((entry) => entry.subjectId).filter((id): id is string => id !== null);
}

/** The latest uploads, newest first, for the upload page. */
export async function recentImports(limit: number) {
  return db.enrolmentImport.findMany({
    orderBy: { createdAt: "desc" },
    take: limit,
    select: { id: true, fileName: true, status: true, totalRows: true, createdAt: true, createdBy: { select: { name: true } } },
  });
}
