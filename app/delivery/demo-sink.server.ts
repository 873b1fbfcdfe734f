// Demo only: with SURGE_SINK_URL set (`npm run sink` prints it), the demo
// intake integration delivers to the local customer-channel sink, signed
// with a known secret the sink also knows. Production sets webhooks on
// /integrations; nothing else depends on this.
import { DEMO_INTEGRATION } from "~/cases/cases-demo.server";
import { db } from "~/db/db.server";
import { DEMO_WEBHOOK_SECRET } from "./demo-secret";

/** Points the demo integration (when it exists) at the sink; returns whether it did. */
export async function connectDemoIntegrationToSink(url: string): Promise<boolean> {
  const updated = await db.integration.updateMany({
    where: { name: DEMO_INTEGRATION.name },
    data: { webhookUrl: url, webhookSecret: DEMO_WEBHOOK_SECRET },
  });
  return updated.count > 0;
}
