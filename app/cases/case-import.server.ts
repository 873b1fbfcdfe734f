// CSV import of cases, for tests and demos: one row per case with the intake
// API's field names as headers. Every row is validated first; any problem
// rejects the whole file (listed by row), otherwise all rows are stored in one
// transaction through the same path as the intake API. Re-importing the same
// file creates nothing new (idempotency keys default to file hash + row).
import { createHash, randomBytes } from "node:crypto";
import { hashToken } from "~/auth/token-hash.server";
import { parse } from "csv-parse/sync";
import { db } from "~/db/db.server";
import { INTAKE_BATCH_MAX, intakeCaseSchema, type IntakeCase } from "./intake-schema";
import { IdempotencyConflictError, storeCases, type IntakeResult } from "./intake.server";
import { loadAllRuleSets } from "./rule-sets.server";
import type { ValidationProblem } from "./validation-problems";
import { CSV_COLUMNS, CSV_IMPORT_MAX_ROWS } from "./case-csv-format";

export const CSV_IMPORT_INTEGRATION = "csv-import";

const TRUE = new Set(["true", "yes", "y", "1", "ja", "oui"]);
const FALSE = new Set(["false", "no", "n", "0", "", "nee", "non"]);

function toBoolean(value: string | undefined): unknown {
  const folded = (value ?? "").trim().toLowerCase();
  if (TRUE.has(folded)) return true;
  if (FALSE.has(folded)) return false;
  return value;
}

/** The intake payload of one CSV row (before validation). */
export function rowToIntakeInput(row: Record<string, string>, defaultKey: string): Record<string, unknown> {
  const value = (name: string) => row[name]?.trim() ?? "";
  return {
    idempotencyKey: value("idempotencyKey") || defaultKey,
    channelId: value("channelId"),
    language: value("language").toLowerCase(),
    customerId: value("customerId"),
    customerName: value("customerName"),
    loyaltyTier: value("loyaltyTier").toLowerCase() || undefined,
    bookingReference: value("bookingReference"),
    flightNumber: value("flightNumber"),
    departureAt: value("departureAt"),
    subject: value("subject"),
    body: value("body"),
    receivedAt: value("receivedAt"),
    liveConversation: toBoolean(row.liveConversation),
    paymentLinkUnpaid: toBoolean(row.paymentLinkUnpaid),
    topics: value("topics")
      .split(/[;|]/)
      .map((topic) => topic.trim())
      .filter(Boolean),
  };
}

export type CsvImportResult =
  | { ok: true; results: IntakeResult[]; created: number; threaded: number; deflected: number; replayed: number }
  | { ok: false; problems: ValidationProblem[] };

async function csvIntegrationId(): Promise<string> {
  const existing = await db.integration.findUnique({ where: { name: CSV_IMPORT_INTEGRATION } });
  if (existing) return existing.id;
  // Nobody posts with this integration's token: it only groups imported deliveries.
  const created = await db.integration.upsert({
    where: { name: CSV_IMPORT_INTEGRATION },
    update: {},
    create: { name: CSV_IMPORT_INTEGRATION, tokenHash: hashToken(randomBytes(32).toString("hex")) },
  });
  return created.id;
}

export async function importCasesCsv(csv: string, options: { actorId?: string | null; now?: Date } = {}): Promise<CsvImportResult> {
  let records: Record<string, string>[];
  try {
    records = parse(csv, { columns: true, skip_empty_lines: true, bom: true, trim: false, relax_column_count: false });
  } catch (error) {
    return { ok: false, problems: [{ path: "", message: `The file is not valid CSV: ${(error as Error).message}` }] };
  }
  if (records.length === 0) return { ok: false, problems: [{ path: "", message: "The file has no rows." }] };
  if (records.length > CSV_IMPORT_MAX_ROWS)
    return { ok: false, problems: [{ path: "", message: `At most ${CSV_IMPORT_MAX_ROWS} rows per file; this one has ${records.length}.` }] };
  const headers = Object.keys(records[0]!);
  const unknown = headers.filter((h) => !(CSV_COLUMNS as readonly string[]).includes(h));
  const problems: ValidationProblem[] = unknown.map((h) => ({
    path: `header.${h}`,
    message: `Unknown column "${h}"; use ${CSV_COLUMNS.join(", ")}`,
  }));
  const fileHash = createHash("sha256").update(csv).digest("hex").slice(0, 16);
  const cases: IntakeCase[] = [];
  const seenKeys = new Map<string, number>();
  records.forEach((record, index) => {
    const rowNumber = index + 2; // the header is row 1
    const parsed = intakeCaseSchema.safeParse(rowToIntakeInput(record, `csv-${fileHash}-${rowNumber}`));
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        problems.push({ path: `row ${rowNumber}.${issue.path.join(".")}`, message: issue.message });
      return;
    }
    const first = seenKeys.get(parsed.data.idempotencyKey);
    if (first !== undefined)
      problems.push({ path: `row ${rowNumber}.idempotencyKey`, message: `Also used in row ${first}` });
    seenKeys.set(parsed.data.idempotencyKey, rowNumber);
    cases.push(parsed.data);
  });
  if (problems.length) return { ok: false, problems };
  const integrationId = await csvIntegrationId();
  const rules = await loadAllRuleSets();
  const now = options.now ?? new Date();
  let results: IntakeResult[];
  try {
    results = await db.$transaction(
    async (tx) => {
      const all: IntakeResult[] = [];
      for (let i = 0; i < cases.length; i += INTAKE_BATCH_MAX)
        all.push(...(await storeCases(tx, integrationId, cases.slice(i, i + INTAKE_BATCH_MAX), { now, rules, actorId: options.actorId ?? null })));
      return all;
    },
    { timeout: 300_000, maxWait: 30_000 },
    );
  } catch (error) {
    if (!(error instanceof IdempotencyConflictError)) throw error;
    return { ok: false, problems: error.keys.map((key) => ({ path: `row ${seenKeys.get(key)}.idempotencyKey`, message: "Imported before with different content" })) };
  }
  const count = (outcome: string) => results.filter((r) => !r.replayed && r.outcome === outcome).length;
  return {
    ok: true,
    results,
    created: count("created"),
    threaded: count("threaded"),
    deflected: count("deflected"),
    replayed: results.filter((r) => r.replayed).length,
  };
}
