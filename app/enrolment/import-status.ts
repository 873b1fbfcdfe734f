// What an import's stored status means now. A commit runs in one app
// instance, which holds a lease on it (leaseUntil) and renews it every few
// seconds; if that instance stops (restart, crash, lost database), the lease
// lapses, another instance takes the commit over within seconds, and until
// then it counts as failed, so the planner sees why and may commit again
// (people already enrolled are recognised, so nothing is added twice).
import type { EnrolmentImportStatus } from "@prisma/client";

export const STALLED_COMMIT_MS = 2 * 60_000;

export const STALLED_COMMIT_MESSAGE =
  "The import stopped before it finished (the app was restarted or lost its database). Rows written so far stay; commit again to finish: people already enrolled are recognised and not added twice.";

/**
 * A commit is stalled when its lease has lapsed (the instance running it
 * stopped renewing it); a row from before leases, when it has not moved for
 * STALLED_COMMIT_MS.
 */
export function isStalledCommit(row: { status: EnrolmentImportStatus; updatedAt: Date; leaseUntil?: Date | null }, now: Date = new Date()): boolean {
  if (row.status !== "committing") return false;
  if (row.leaseUntil) return row.leaseUntil.getTime() < now.getTime();
  return now.getTime() - row.updatedAt.getTime() >= STALLED_COMMIT_MS;
}

/** The row as the planner should see it: a stalled commit shows as failed, with the reason. */
export function withStalledCommitAsFailed<T extends { status: EnrolmentImportStatus; updatedAt: Date; leaseUntil?: Date | null; error: string | null }>(
  row: T,
  now: Date = new Date()
): T {
  return isStalledCommit(row, now) ? { ...row, status: "failed", error: STALLED_COMMIT_MESSAGE } : row;
}
