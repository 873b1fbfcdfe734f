// An app instance that dies in the middle of an enrolment commit: starts the
// commit of the given import in batches of 20 and kills itself (SIGKILL, no
// clean-up) once 40 rows are committed.
//   DATABASE_URL=... node --import tsx tests/support/enrolment-commit-worker.ts <importId> <actorId>
import { startCommit } from "../../app/enrolment/enrolment-import.server";

const [importId, actorId] = process.argv.slice(2);
const { started, job } = await startCommit(importId!, "valid_only", actorId!, {
  batchSize: 20,
  afterBatch: (processed) => {
    if (processed >= 40) process.kill(process.pid, "SIGKILL");
  },
});
if (!started) throw new Error("the commit was not started");
await job;
