// Group commit for hot requests: while a batch is being served, new requests
// wait and go together in the next one. At low load every request is served
// alone at once (no timer, no added latency); under load one round trip and
// one commit serve many requests, which is what keeps "Next case" fast when
// hundreds of agents ask at the same moment.

export interface BatchOptions<Request, Result> {
  /** Serves a batch; must return one result per request, in the same order. */
  serve(requests: Request[]): Promise<Result[]>;
  /** Requests per batch at most. */
  maxBatch: number;
  /** Batches served at the same time at most (database connections used). */
  maxInFlight: number;
  /**
   * How long a request that finds nothing in flight waits for others to join
   * it (default 0: served at once). For work nobody waits on, such as
   * background refreshes, so that a burst of them costs one round trip.
   */
  gatherMs?: number;
}

interface Waiting<Request, Result> {
  request: Request;
  resolve(result: Result): void;
  reject(error: unknown): void;
}

export function createRequestBatches<Request, Result>(options: BatchOptions<Request, Result>): (request: Request) => Promise<Result> {
  if (options.maxBatch < 1 || options.maxInFlight < 1) throw new Error("maxBatch and maxInFlight must be at least 1");
  const waiting: Waiting<Request, Result>[] = [];
  let inFlight = 0;
  let gathering: ReturnType<typeof setTimeout> | null = null;

  function startBatches() {
    if (gathering) {
      clearTimeout(gathering);
      gathering = null;
    }
    while (inFlight < options.maxInFlight && waiting.length > 0) {
      const batch = waiting.splice(0, options.maxBatch);
      inFlight++;
      void serveBatch(batch);
    }
  }

  async function serveBatch(batch: Waiting<Request, Result>[]) {
    try {
      const results = await options.serve(batch.map((w) => w.request));
      if (results.length !== batch.length) throw new Error(`A batch of ${batch.length} requests got ${results.length} results`);
      batch.forEach((w, i) => w.resolve(results[i]!));
    } catch (error) {
      for (const w of batch) w.reject(error);
    } finally {
      inFlight--;
      startBatches();
    }
  }

  return (request) =>
    new Promise<Result>((resolve, reject) => {
      waiting.push({ request, resolve, reject });
      if (!options.gatherMs || waiting.length >= options.maxBatch) startBatches();
      else if (!gathering && inFlight < options.maxInFlight) gathering = setTimeout(startBatches, options.gatherMs);
    });
}
