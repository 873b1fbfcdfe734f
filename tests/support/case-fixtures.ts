// Helpers for the case engine tests: intake payloads, posting to the intake
// API with the demo integration's token, and agents with routing skills.
import type { PrismaClient, Role, VolunteerStatus } from "@prisma/client";
import { DEMO_INTEGRATION } from "../../app/cases/cases-demo.server";
import { Visitor } from "./app-client";

let counter = 0;

export function intakeCase(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  counter += 1;
  return {
    idempotencyKey: `key-${counter}-${Math.random().toString(36).slice(2)}`,
    channelId: "whatsapp",
    language: "en",
    customerId: `CUST-${counter}`,
    customerName: "Eva de Vries",
    loyaltyTier: "none",
    bookingReference: `BK${String(counter).padStart(4, "0")}`,
    subject: "Question about my booking",
    body: "Can you help me with my booking please?",
    topics: ["flight-status"],
    ...overrides,
  };
}

export async function postIntake(body: unknown, token: string | null = DEMO_INTEGRATION.token): Promise<Response> {
  return new Visitor().request("/api/cases", {
    method: "POST",
    headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
}

export async function createAgent(
  db: PrismaClient,
  options: { role?: Role; skills: string[]; email?: string; name?: string; volunteerStatus?: VolunteerStatus },
): Promise<{ id: string }> {
  counter += 1;
  const user = await db.user.create({
    data: {
      email: options.email ?? `agent-${counter}-${Math.random().toString(36).slice(2)}@surge.test`,
      name: options.name ?? `Agent ${counter}`,
      role: options.role ?? "agent",
    },
  });
  // A volunteer takes cases once certified (app/cases/routing.ts): give them a profile that is.
  if ((options.role ?? "agent") === "volunteer") {
    await db.volunteer.create({
      data: { userId: user.id, employeeNumber: `FX${counter}${Math.random().toString(36).slice(2, 8)}`, origin: "cabin_crew", status: options.volunteerStatus ?? "certified" },
    });
  }
  await db.userSkill.createMany({
    data: options.skills.map((skillId) => ({ userId: user.id, skillId, source: "planner" as const })),
  });
  return { id: user.id };
}

/** Inserts open cases directly (for routing tests), scored as given. */
export async function insertOpenCases(
  db: PrismaClient,
  rows: { channelId?: string; language?: string; complexity?: "simple" | "complex"; priorityTier?: number; receivedAt?: Date; subject?: string; topics?: string[] }[],
): Promise<string[]> {
  const ids: string[] = [];
  for (const row of rows) {
    counter += 1;
    const created = await db.case.create({
      data: {
        channelId: row.channelId ?? "whatsapp",
        language: row.language ?? "en",
        customerId: `ROUTE-${counter}`,
        customerName: "Routing Test",
        subject: row.subject ?? `Routing case ${counter}`,
        body: "Body",
        complexity: row.complexity ?? "simple",
        topics: row.topics ?? [],
        priorityTier: row.priorityTier ?? 8,
        receivedAt: row.receivedAt ?? new Date(Date.now() - counter * 1000),
      },
    });
    ids.push(created.id);
  }
  return ids;
}
