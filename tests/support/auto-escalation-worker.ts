// A second "app instance" for the automatic escalation test: a separate Node
// process that runs the escalation job until it finds nothing more to do,
// then prints the case ids it escalated as one JSON line.
//   DATABASE_URL=... node --import tsx tests/support/auto-escalation-worker.ts [startAtEpochMs]
import { disconnectDb } from "../../app/db/db.server";
import { runAutoEscalation } from "../../app/escalation/auto-escalation.server";

const startAt = Number(process.argv[2] ?? 0);
await new Promise((resolve) => setTimeout(resolve, Math.max(0, startAt - Date.now())));
const escalated: string[] = [];
for (;;) {
  const result = await runAutoEscalation({ heldWithoutReplyMinutes: 30, escalateOnBreach: true });
  const ids = [...result.heldTooLong, ...result.dueBreached];
  if (ids.length === 0) break;
  escalated.push(...ids);
}
await disconnectDb();
console.log(JSON.stringify({ pid: process.pid, escalated }));
