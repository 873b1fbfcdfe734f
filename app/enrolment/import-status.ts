// What an import's stored status means now. A commit runs in the app
// instance that started it and moves the import's updatedAt with every
// batch; if that instance stops (restart, crash, lost database), the row
// would say "committing" forever. After STALLED_COMMIT_MS without progress
// it counts as failed, so the planner sees why and can commit again
// (people already enrolled are recognised, so nothing is added twice).
import type { EnrolmentImportStatus } from "@prisma/client";

export const STALLED_COMMIT_MS = 2 * 60_000;

export const STALLED_COMMIT_MESSAGE =
  "The import stopped before it finished (the app was restarted or lost its database). Rows written so far stay; commit again to finish: people already enrolled are recognised and not added twice.";

export function isStalledCommit(row: { status: EnrolmentImportStatus; updatedAt: Date }, now: Date = new Date()): boolean {
  return row.status === "committing" && now.getTime() - row.updatedAt.getTime() >= STALLED_COMMIT_MS;
}

/** The row as the planner should see it: a stalled commit shows as failed, with the reason. */
export function withStalledCommitAsFailed<T extends { status: EnrolmentImportStatus; updatedAt: Date; error: string | null }>(
  row: T,
  now: Date = new Date()
): T {
  return isStalledCommit(row, now) ? { ...row, status: "failed", error: STALLED_COMMIT_MESSAGE } : row;
}
