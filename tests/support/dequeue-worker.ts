// A second "app instance" for the concurrency test: a separate Node process
// that dequeues for the given agents until the queue has nothing for them,
// then prints the case ids it got as one JSON line.
//   DATABASE_URL=... node --import tsx tests/support/dequeue-worker.ts <agentId,agentId,...>
import { nextCaseFor } from "../../app/cases/routing.server";
import { disconnectDb } from "../../app/db/db.server";

const agentIds = (process.argv[2] ?? "").split(",").filter(Boolean);
const taken: { agentId: string; caseId: string }[] = [];
await Promise.all(
  agentIds.map(async (agentId) => {
    for (;;) {
      const result = await nextCaseFor(agentId, { rescore: false });
      if (!result.ok) break;
      taken.push({ agentId, caseId: result.caseId });
    }
  }),
);
await disconnectDb();
console.log(JSON.stringify({ pid: process.pid, taken }));
