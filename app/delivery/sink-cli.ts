// `npm run sink`: the local customer-channel sink on SURGE_SINK_PORT
// (default 3100). Start the app with SURGE_SINK_URL=http://127.0.0.1:3100/
// and the demo integration delivers here; open the URL to see what arrived.
import { DEMO_WEBHOOK_SECRET } from "./demo-secret";
import { startCustomerSink } from "./customer-sink.server";

const port = Number(process.env.SURGE_SINK_PORT ?? 3100);
const sink = await startCustomerSink({ port, secret: process.env.SURGE_SINK_SECRET ?? DEMO_WEBHOOK_SECRET });
console.log(`[sink] customer channel listening at ${sink.url} (start the app with SURGE_SINK_URL=${sink.url})`);
const stop = () => void sink.stop().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
