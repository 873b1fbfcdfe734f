// A value read from the database and kept for a while in this process (the
// routing settings, the channels' capacities). The cache holds the read's
// promise, so the requests that find it stale at the same moment share one
// read instead of each starting their own; a failed read is not kept, so
// the next request tries again.

export interface SharedRead<T> {
  /** The kept value if younger than the freshness, else the result of `read` (one read shared by concurrent callers). */
  get(read: () => Promise<T>): Promise<T>;
  /** Drops the kept value: the next `get` reads again (after a save in this process). */
  forget(): void;
}

export function sharedRead<T>(freshMs: number): SharedRead<T> {
  let entry: { at: number; value: Promise<T> } | null = null;
  return {
    get(read) {
      if (entry && Date.now() - entry.at < freshMs) return entry.value;
      const current = { at: Date.now(), value: read() };
      entry = current;
      current.value.catch(() => {
        if (entry === current) entry = null;
      });
      return current.value;
    },
    forget() {
      entry = null;
    },
  };
}
