// One delivery worker in a process of its own, as an app instance runs it
// (bench/delivery.ts starts two and kills one mid-run). DATABASE_URL and the
// SURGE_DELIVERY_* settings come from the environment.
import { startDeliveryWorker } from "../app/delivery/delivery-worker.server";

startDeliveryWorker();
console.log("worker ready");
// Runs until killed.
setInterval(() => undefined, 60_000);
