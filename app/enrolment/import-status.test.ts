import { describe, expect, it } from "vitest";
import { commitRefusal, editRefusal, STALLED_COMMIT_MESSAGE, STALLED_COMMIT_MS, isStalledCommit, withStalledCommitAsFailed } from "./import-status";

const now = new Date("2026-11-23T12:00:00Z");
const ago = (ms: number) => new Date(now.getTime() - ms);

describe("import status", () => {
  it("counts a commit without progress for two minutes as stalled, not one that moved just now", () => {
    expect(isStalledCommit({ status: "committing", updatedAt: ago(STALLED_COMMIT_MS) }, now)).toBe(true);
    expect(isStalledCommit({ status: "committing", updatedAt: ago(STALLED_COMMIT_MS - 1000) }, now)).toBe(false);
    expect(isStalledCommit({ status: "dry_run", updatedAt: ago(10 * STALLED_COMMIT_MS) }, now)).toBe(false);
    // With a lease, only the lease counts: lapsed a moment ago is stalled, however recent the last progress.
    expect(isStalledCommit({ status: "committing", updatedAt: ago(2000), leaseUntil: ago(1) }, now)).toBe(true);
    expect(isStalledCommit({ status: "committing", updatedAt: ago(10 * STALLED_COMMIT_MS), leaseUntil: ago(-5000) }, now)).toBe(false);
  });

  it("shows a stalled commit as failed with the reason, and leaves other rows alone", () => {
    const stalled = { id: "i1", status: "committing" as const, updatedAt: ago(5 * 60_000), error: null };
    expect(withStalledCommitAsFailed(stalled, now)).toEqual({ ...stalled, status: "failed", error: STALLED_COMMIT_MESSAGE });
    const running = { ...stalled, updatedAt: ago(1000) };
    expect(withStalledCommitAsFailed(running, now)).toBe(running);
  });
});

describe("what an import may do next", () => {
  it("lets the mapping and dry run change until a commit starts, and a commit start only after a dry run or a failed commit", () => {
    expect(["previewed", "dry_run", "failed", "committing", "committed"].map((status) => editRefusal(status as "previewed"))).toEqual([
      null,
      null,
      null,
      "This file has already been imported.",
      "This file has already been imported.",
    ]);
    expect(commitRefusal("previewed")).toBe("Run the dry run first.");
    expect(commitRefusal("dry_run")).toBeNull();
    expect(commitRefusal("failed")).toBeNull();
    expect(commitRefusal("committing")).toBe("This file is already being imported or was imported.");
    expect(commitRefusal("committed")).toBe("This file is already being imported or was imported.");
  });
});
