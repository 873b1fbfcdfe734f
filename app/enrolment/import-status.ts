// The life of an enrolment import, in one place:
//
//   previewed --dry run--> dry_run --commit--> committing --> committed
//       ^                    |  ^                  |
//       +---new mapping------+  +------------------+--> failed (commit again)
//
// Until a commit starts, the planner may change the column mapping (back to
// previewed) or run the dry run again; a failed commit keeps its dry run and
// may be committed again. A committed import is final.
//
// What an import's stored status means now. A commit runs in one app
// instance, which holds a lease on it (leaseUntil) and renews it every few
// seconds; if that instance stops (restart, crash, lost database), the lease
// lapses, another instance takes the commit over within seconds, and until
// then it counts as failed, so the planner sees why and may commit again
// (people already enrolled are recognised, so nothing is added twice).
import type { EnrolmentImportStatus } from "@prisma/client";

/** The mapping and the dry run may still change. */
export const EDITABLE_IMPORT_STATUSES = ["previewed", "dry_run", "failed"] as const satisfies readonly EnrolmentImportStatus[];

/** A commit may start (the dry run is done). */
export const COMMITTABLE_IMPORT_STATUSES = ["dry_run", "failed"] as const satisfies readonly EnrolmentImportStatus[];

export function isEditableImport(status: EnrolmentImportStatus): boolean {
  return (EDITABLE_IMPORT_STATUSES as readonly string[]).includes(status);
}

export function isCommittableImport(status: EnrolmentImportStatus): boolean {
  return (COMMITTABLE_IMPORT_STATUSES as readonly string[]).includes(status);
}

/** Why the mapping or dry run may not change now, or null when it may. */
export function editRefusal(status: EnrolmentImportStatus): string | null {
  return isEditableImport(status) ? null : "This file has already been imported.";
}

/** Why a commit may not start now, or null when it may. */
export function commitRefusal(status: EnrolmentImportStatus): string | null {
  if (isCommittableImport(status)) return null;
  return status === "previewed" ? "Run the dry run first." : "This file is already being imported or was imported.";
}

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
