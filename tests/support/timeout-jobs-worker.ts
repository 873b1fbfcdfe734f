// A second "app instance" for the time-out jobs test: a separate Node process
// that runs the presence and time-out jobs of the queue upkeep until a round
// finds nothing, then prints what it returned as one JSON line.
//   DATABASE_URL=... node --import tsx tests/support/timeout-jobs-worker.ts
import { lapseSilentAgents, returnCasesOfEndedSessions, returnUnopenedCases } from "../../app/cases/presence.server";
import { disconnectDb } from "../../app/db/db.server";

const returned: string[] = [];
const lapsed: string[] = [];
for (let round = 0; round < 20; round++) {
  const [unopened, silent, ended] = await Promise.all([returnUnopenedCases(120_000), lapseSilentAgents(60_000), returnCasesOfEndedSessions()]);
  returned.push(...unopened, ...silent.returned, ...ended.returned);
  lapsed.push(...silent.agents, ...ended.agents);
  if (round > 2 && unopened.length + silent.agents.length + ended.agents.length === 0) break;
}
await disconnectDb();
console.log(JSON.stringify({ pid: process.pid, returned, lapsed }));
