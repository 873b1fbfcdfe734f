// The supervisor's routing settings (RoutingSettings, one row): escalations
// first or in one priority order with open cases, and the skill-relaxation
// steps per channel. Read by every "Next case" through a per-process cache
// of 3 s (a save applies at once in the instance that saved it).
import type { Prisma } from "@prisma/client";
import { writeAudit } from "~/audit/audit-log.server";
import { db } from "~/db/db.server";
import type { EscalationLevelDef } from "~/escalation/levels";
import { loadEscalationLevels } from "~/escalation/levels.server";
import { parseRelaxationSettings, type RelaxationSettings } from "./relaxation";
import type { RoutingContext } from "./routing";
import { sharedRead } from "./shared-read";

type Client = Prisma.TransactionClient | typeof db;

export interface RoutingSettingsValue {
  escalationsFirst: boolean;
  relaxation: RelaxationSettings;
  version: number;
}

export async function loadRoutingSettings(client: Client = db): Promise<RoutingSettingsValue> {
  const row = await client.routingSettings.findUnique({ where: { id: 1 } });
  if (!row) return { escalationsFirst: false, relaxation: {}, version: 0 };
  const parsed = parseRelaxationSettings(row.relaxation);
  // A stored value that no longer validates (a code change) relaxes nothing rather than breaking routing.
  return { escalationsFirst: row.escalationsFirst, relaxation: parsed.ok ? parsed.value : {}, version: row.version };
}

export class RoutingSettingsConflictError extends Error {}

/** Saves both settings if the form was opened on the current version; audited. */
export async function saveRoutingSettings(
  value: { escalationsFirst: boolean; relaxation: RelaxationSettings },
  expectedVersion: number,
  actor: { id: string },
): Promise<RoutingSettingsValue> {
  const saved = await db.$transaction(async (tx) => {
    const current = await tx.routingSettings.findUnique({ where: { id: 1 } });
    if ((current?.version ?? 0) !== expectedVersion) throw new RoutingSettingsConflictError("Someone changed the routing settings meanwhile. Reload and try again.");
    const row = await tx.routingSettings.upsert({
      where: { id: 1 },
      update: { escalationsFirst: value.escalationsFirst, relaxation: value.relaxation as Prisma.InputJsonValue, version: { increment: 1 }, updatedById: actor.id },
      create: { id: 1, escalationsFirst: value.escalationsFirst, relaxation: value.relaxation as Prisma.InputJsonValue, version: 1, updatedById: actor.id },
    });
    await writeAudit(
      { actorId: actor.id, action: "routing.settings_updated", subjectType: "RoutingSettings", subjectId: "1", data: { escalationsFirst: value.escalationsFirst, relaxation: value.relaxation } },
      tx,
    );
    return row;
  });
  contextCache.forget();
  return { escalationsFirst: saved.escalationsFirst, relaxation: value.relaxation, version: saved.version };
}

type RoutingContextValue = Required<Omit<RoutingContext, "now">>;

const contextCache = sharedRead<RoutingContextValue>(3000);

async function loadRoutingContext(client: Client): Promise<RoutingContextValue> {
  const [settings, levels] = await Promise.all([loadRoutingSettings(client), loadEscalationLevels(client)]);
  const escalationLevels: readonly EscalationLevelDef[] = levels;
  return { escalationLevels, escalationsFirst: settings.escalationsFirst, relaxation: settings.relaxation };
}

/** The escalation levels and the settings routing needs, cached 3 s per process (one load shared by the requests that find it stale). */
export function routingContext(client: Client = db): Promise<RoutingContextValue> {
  // The load is shared, so it never runs inside one caller's transaction.
  return contextCache.get(() => loadRoutingContext("$transaction" in client ? client : db));
}

export function forgetRoutingContext(): void {
  contextCache.forget();
}
