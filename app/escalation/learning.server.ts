// The learning loop: what became of the cases a person escalated (outcome,
// the expert's advice), the training module offered again to who escalates
// one reason often, and the escalation rates planners watch.
import { db } from "~/db/db.server";
import { getTrainingCatalog } from "~/training/catalog.server";
import { AUTOMATIC_REASONS, frequentReasons, ratesPerPerson, ratesPerReason } from "./escalation";
import type { EscalationSettings } from "./escalation-settings.server";

const DAY_MS = 86_400_000;

/** The cases this person escalated, newest first, with what became of each. */
export async function myEscalations(userId: string) {
  return db.escalation.findMany({
    where: { raisedById: userId },
    orderBy: { createdAt: "desc" },
    take: 100,
    select: {
      id: true, reason: true, reasonCode: true, automatic: true, note: true, status: true, outcome: true, advice: true, createdAt: true, resolvedAt: true,
      toLevel: true,
      expert: { select: { name: true } },
      case: { select: { id: true, number: true, subject: true, status: true } },
    },
  });
}

/** id -> title of the training modules (the first language version found). */
async function moduleTitles(): Promise<Map<string, string>> {
  const catalog = await getTrainingCatalog();
  const titles = new Map<string, string>();
  for (const module of catalog.modules) if (!titles.has(module.id) || module.language === "en") titles.set(module.id, module.title);
  return titles;
}

export interface TrainingOffer {
  reasonCode: string;
  reasonLabel: string;
  count: number;
  moduleId: string;
  moduleTitle: string;
}

/** Modules offered again: reasons this person escalated at least the threshold times in the window, that point to a module. */
export async function trainingOffers(userId: string, settings: Pick<EscalationSettings, "trainingOfferThreshold" | "trainingWindowDays">, now = new Date()): Promise<TrainingOffer[]> {
  if (settings.trainingOfferThreshold <= 0) return [];
  const rows = await db.escalation.findMany({
    where: { raisedById: userId, automatic: false, createdAt: { gte: new Date(now.getTime() - settings.trainingWindowDays * DAY_MS) } },
    select: { reasonCode: true },
  });
  const frequent = frequentReasons(rows, settings.trainingOfferThreshold);
  if (frequent.length === 0) return [];
  const [reasons, titles] = await Promise.all([
    db.escalationReason.findMany({ where: { id: { in: frequent.map((f) => f.reasonCode) }, trainingModuleId: { not: null } } }),
    moduleTitles(),
  ]);
  return frequent.flatMap((f) => {
    const reason = reasons.find((r) => r.id === f.reasonCode);
    const moduleTitle = reason?.trainingModuleId ? titles.get(reason.trainingModuleId) : undefined;
    if (!reason?.trainingModuleId || !moduleTitle) return [];
    return [{ reasonCode: f.reasonCode, reasonLabel: reason.label, count: f.count, moduleId: reason.trainingModuleId, moduleTitle }];
  });
}

/** The planners' view over the last `days` days: rates per person and per reason, and each reason's training module. */
export async function escalationReport(days: number, now = new Date()) {
  const since = new Date(now.getTime() - days * DAY_MS);
  const [perPerson, resolvedBy, perReason, reasons, titles] = await Promise.all([
    db.$queryRaw<{ userId: string; name: string; role: string; count: number }[]>`
      SELECT u.id AS "userId", u.name, u.role::text AS role, count(*)::int AS count
      FROM "Escalation" e JOIN "User" u ON u.id = e."raisedById"
      WHERE e.automatic = false AND e."createdAt" >= ${since}
      GROUP BY u.id, u.name, u.role`,
    db.$queryRaw<{ userId: string; count: number }[]>`
      SELECT "actorId" AS "userId", count(DISTINCT "caseId")::int AS count FROM "CaseEvent"
      WHERE type = 'resolved' AND "actorId" IS NOT NULL AND "createdAt" >= ${since}
      GROUP BY "actorId"`,
    db.$queryRaw<{ reasonCode: string; count: number }[]>`
      SELECT "reasonCode", count(*)::int AS count FROM "Escalation" WHERE "createdAt" >= ${since} GROUP BY "reasonCode"`,
    db.escalationReason.findMany({ orderBy: [{ position: "asc" }, { label: "asc" }] }),
    moduleTitles(),
  ]);
  const labelOf = (code: string) => reasons.find((r) => r.id === code)?.label ?? AUTOMATIC_REASONS[code as keyof typeof AUTOMATIC_REASONS] ?? code;
  const roles = new Map(perPerson.map((p) => [p.userId, p.role]));
  return {
    days,
    people: ratesPerPerson(perPerson, resolvedBy).map((p) => ({ ...p, role: roles.get(p.userId) ?? "" })),
    reasons: ratesPerReason(perReason).map((r) => ({ ...r, label: labelOf(r.reasonCode) })),
    mapping: reasons.map((r) => ({
      id: r.id,
      label: r.label,
      active: r.active,
      trainingModuleId: r.trainingModuleId,
      moduleTitle: r.trainingModuleId ? (titles.get(r.trainingModuleId) ?? null) : null,
    })),
  };
}

/** Training modules a supervisor may point a reason to. */
export async function trainingModuleChoices(): Promise<{ id: string; title: string }[]> {
  const titles = await moduleTitles();
  return [...titles].map(([id, title]) => ({ id, title })).sort((a, b) => a.title.localeCompare(b.title));
}
