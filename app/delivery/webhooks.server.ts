// Admins and supervisors point an integration's deliveries at its webhook
// and rotate the signing secret. The secret is returned once, to be shown
// once; the worker reads it from the row to sign each post.
import { randomBytes } from "node:crypto";
import { writeAudit } from "~/audit/audit-log.server";
import { db } from "~/db/db.server";

export class WebhookSettingsError extends Error {}

function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64url")}`;
}

/**
 * Sets (or clears, with null) the webhook URL. An integration that had no
 * secret gets one, returned so the screen can show it once.
 */
export async function setWebhookUrl(integrationId: string, url: string | null, actorId: string | null): Promise<{ secret: string | null }> {
  return db.$transaction(async (tx) => {
    const integration = await tx.integration.findUnique({ where: { id: integrationId }, select: { webhookSecret: true, revokedAt: true } });
    if (!integration) throw new WebhookSettingsError("There is no integration with this id.");
    if (integration.revokedAt) throw new WebhookSettingsError("This integration was revoked.");
    const secret = url && !integration.webhookSecret ? newWebhookSecret() : null;
    await tx.integration.update({ where: { id: integrationId }, data: { webhookUrl: url, ...(secret ? { webhookSecret: secret } : {}) } });
    await writeAudit({ actorId, action: "integration.webhook_set", subjectType: "Integration", subjectId: integrationId, data: { url } }, tx);
    return { secret };
  });
}

/** A new signing secret; posts made from now on are signed with it. */
export async function rotateWebhookSecret(integrationId: string, actorId: string | null): Promise<{ secret: string }> {
  const secret = newWebhookSecret();
  const updated = await db.integration.updateMany({ where: { id: integrationId, revokedAt: null }, data: { webhookSecret: secret } });
  if (updated.count === 0) throw new WebhookSettingsError("There is no active integration with this id.");
  await writeAudit({ actorId, action: "integration.webhook_secret_rotated", subjectType: "Integration", subjectId: integrationId });
  return { secret };
}

/** Per integration: its webhook URL, whether it has a secret, and its outbox counts by state. */
export async function webhookOverview(): Promise<Map<string, { webhookUrl: string | null; hasSecret: boolean; queued: number; sent: number; failed: number }>> {
  const [integrations, counts] = await Promise.all([
    db.integration.findMany({ select: { id: true, webhookUrl: true, webhookSecret: true } }),
    db.outboundMessage.groupBy({ by: ["integrationId", "state"], _count: { _all: true }, where: { integrationId: { not: null } } }),
  ]);
  const overview = new Map(
    integrations.map((i) => [i.id, { webhookUrl: i.webhookUrl, hasSecret: i.webhookSecret !== null, queued: 0, sent: 0, failed: 0 }])
  );
  for (const row of counts) {
    const entry = row.integrationId ? overview.get(row.integrationId) : undefined;
    if (entry) entry[row.state] = row._count._all;
  }
  return overview;
}
