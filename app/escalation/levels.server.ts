// Reads the escalation tiers (EscalationLevel rows, seeded by the migration).
import type { PrismaClient } from "@prisma/client";
import { getDb } from "~/db/db.server";
import type { EscalationLevelDef } from "./levels";

type Client = Pick<PrismaClient, "escalationLevel">;

export async function loadEscalationLevels(client: Client = getDb()): Promise<EscalationLevelDef[]> {
  return client.escalationLevel.findMany({ orderBy: { level: "asc" }, select: { level: true, name: true, roles: true } });
}
