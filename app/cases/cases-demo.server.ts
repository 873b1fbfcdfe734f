// Demo rows for the case engine: one intake integration with a known token
// (printed with the demo sign-ins) and routing skills for the demo agent.
import type { PrismaClient } from "@prisma/client";
import { CHANNELS } from "~/reference/channels";
import { hashToken } from "~/auth/token-hash.server";

/** Demo only: a known token so the intake API can be tried right after `npm start`. */
export const DEMO_INTEGRATION = { name: "demo-connector", token: "surge-demo-intake-token-do-not-use-in-production" };

export async function seedCaseDemo(db: PrismaClient): Promise<void> {
  await db.integration.upsert({
    where: { name: DEMO_INTEGRATION.name },
    update: {},
    create: { name: DEMO_INTEGRATION.name, tokenHash: hashToken(DEMO_INTEGRATION.token) },
  });
  const agent = await db.user.findUnique({ where: { email: "agent@surge.test" } });
  if (agent)
    await db.userSkill.createMany({
      data: [...CHANNELS.map((c) => `channel:${c.id}`), "language:en", "language:nl", "language:fr", "language:de"].map((skillId) => ({
        userId: agent.id,
        skillId,
        source: "planner" as const,
      })),
      skipDuplicates: true,
    });
}

export function demoIntegrationLine(): string {
  return `  intake API  POST /api/cases  Authorization: Bearer ${DEMO_INTEGRATION.token}`;
}
