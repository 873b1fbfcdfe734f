// Every change of a case's state (status, assignee) goes through here: one
// conditional UPDATE on the state the caller read, with the timeline event
// written by the same statement. When the case moved meanwhile (another
// agent took it, the agent went offline, a supervisor reassigned it) nothing
// is written and the caller gets a CaseMovedError, which routes answer 409.
import { Prisma, type CaseComplexity, type CaseStatus } from "@prisma/client";
import { db } from "~/db/db.server";

type Client = Prisma.TransactionClient | typeof db;

/** What the caller saw when it decided on the change. */
export interface ExpectedCaseState {
  status: CaseStatus | readonly CaseStatus[];
  /** Omit to accept any assignee; null means "nobody". */
  assigneeId?: string | null;
}

/** Columns a state change may set; timestamps are the time of the write unless given. */
export interface CaseStateChange {
  status?: CaseStatus;
  assigneeId?: string | null;
  /** true: the time of the write; null: cleared. */
  assignedAt?: true | null;
  closedAt?: true | null;
  resolvedAt?: true | null;
  closeReason?: string | null;
  /** On hold: when the slot is freed, and who the case returns to. */
  holdUntil?: Date | null;
  holdAgentId?: string | null;
  contactReasons?: readonly string[];
  /** Record a resolution breach when the case is resolved after its due time. */
  recordResolutionBreach?: true;
  /** The escalation tier the case waits in or is worked at (see app/escalation/levels.ts). */
  escalationLevel?: number;
  /** A manual classification (an expert handing a case back as simple). */
  complexity?: { value: CaseComplexity; reason: string };
}

export interface CaseStateEvent {
  type: string;
  actorId: string | null;
  data?: Prisma.InputJsonValue;
}

export class CaseMovedError extends Error {
  constructor(
    readonly caseId: string,
    readonly current: { status: CaseStatus; assigneeId: string | null } | null,
  ) {
    super(current ? `This case changed meanwhile: it is now ${current.status.replace("_", " ")}.` : "There is no case with this id.");
  }
}

/**
 * A refusal of work on a case that the person can act on: shown next to the
 * field it concerns ("form" for the whole form), answered 400 or 409.
 */
export class CaseRefusal extends Error {
  constructor(
    message: string,
    readonly field: string = "form",
    readonly status: 400 | 409 = 400,
  ) {
    super(message);
  }
}

/** The 409 (or 404) a route returns for a CaseMovedError. */
export function caseMovedResponse(error: CaseMovedError): Response {
  if (!error.current) return new Response(error.message, { status: 404, statusText: "Not Found" });
  return new Response(`${error.message} Reload the case to see what happened.`, { status: 409, statusText: "Conflict" });
}

const columnSql = {
  status: (value: CaseStatus) => Prisma.sql`status = ${value}::"CaseStatus"`,
  assigneeId: (value: string | null) => Prisma.sql`"assigneeId" = ${value}`,
  closeReason: (value: string | null) => Prisma.sql`"closeReason" = ${value}`,
  holdUntil: (value: Date | null) => Prisma.sql`"holdUntil" = ${value?.toISOString() ?? null}::timestamp(3)`,
  holdAgentId: (value: string | null) => Prisma.sql`"holdAgentId" = ${value}`,
  contactReasons: (value: readonly string[]) => Prisma.sql`"contactReasons" = ${[...value]}::text[]`,
};

function timestampSql(column: "assignedAt" | "closedAt" | "resolvedAt", value: true | null) {
  return value === true ? Prisma.sql`${Prisma.raw(`"${column}"`)} = now.at` : Prisma.sql`${Prisma.raw(`"${column}"`)} = NULL`;
}

function setClause(change: CaseStateChange): Prisma.Sql {
  const parts: Prisma.Sql[] = [Prisma.sql`"updatedAt" = now.at`];
  if (change.status !== undefined) parts.push(columnSql.status(change.status));
  if (change.assigneeId !== undefined) parts.push(columnSql.assigneeId(change.assigneeId));
  if (change.closeReason !== undefined) parts.push(columnSql.closeReason(change.closeReason));
  if (change.holdUntil !== undefined) parts.push(columnSql.holdUntil(change.holdUntil));
  if (change.holdAgentId !== undefined) parts.push(columnSql.holdAgentId(change.holdAgentId));
  if (change.contactReasons !== undefined) parts.push(columnSql.contactReasons(change.contactReasons));
  if (change.escalationLevel !== undefined) parts.push(Prisma.sql`"escalationLevel" = ${change.escalationLevel}`);
  if (change.complexity !== undefined)
    parts.push(
      Prisma.sql`complexity = ${change.complexity.value}::"CaseComplexity", "complexityReason" = ${change.complexity.reason}, "complexityRuleId" = 'manual'`,
    );
  if (change.recordResolutionBreach)
    parts.push(Prisma.sql`"resolutionBreachedAt" = coalesce(c."resolutionBreachedAt", CASE WHEN c."resolutionDueAt" < now.at THEN now.at END)`);
  for (const column of ["assignedAt", "closedAt", "resolvedAt"] as const) {
    const value = change[column];
    if (value !== undefined) parts.push(timestampSql(column, value));
  }
  return Prisma.join(parts, ", ");
}

function expectedClause(expected: ExpectedCaseState): Prisma.Sql {
  const statuses = typeof expected.status === "string" ? [expected.status] : [...expected.status];
  const parts = [Prisma.sql`c.status::text = ANY(${statuses}::text[])`];
  if (expected.assigneeId !== undefined) parts.push(Prisma.sql`c."assigneeId" IS NOT DISTINCT FROM ${expected.assigneeId}`);
  return Prisma.join(parts, " AND ");
}

/**
 * Applies `change` to the case only if it is still in the `expected` state,
 * and appends `event` in the same statement (stamped with the time of the
 * write). Throws CaseMovedError when the case is no longer as expected.
 */
export async function changeCaseState(
  caseId: string,
  expected: ExpectedCaseState,
  change: CaseStateChange,
  event: CaseStateEvent,
  client: Client = db,
): Promise<{ number: number; eventId: string }> {
  const rows = await client.$queryRaw<{ number: number; event_id: string }[]>`
    WITH now AS (SELECT (clock_timestamp() AT TIME ZONE 'UTC')::timestamp(3) AS at),
    moved AS (
      UPDATE "Case" c SET ${setClause(change)}
      FROM now
      WHERE c.id = ${caseId} AND ${expectedClause(expected)}
      RETURNING c.id, c.number
    ), logged AS (
      INSERT INTO "CaseEvent" (id, "caseId", type, "actorId", data, "createdAt")
      SELECT 'e' || replace(gen_random_uuid()::text, '-', ''), moved.id, ${event.type}, ${event.actorId},
             ${JSON.stringify(event.data ?? {})}::jsonb, now.at
      FROM moved, now
      RETURNING id
    )
    SELECT moved.number, logged.id AS event_id FROM moved, logged`;
  const row = rows[0];
  if (row) return { number: row.number, eventId: row.event_id };
  const current = await client.case.findUnique({ where: { id: caseId }, select: { status: true, assigneeId: true } });
  throw new CaseMovedError(caseId, current);
}
