// Alert thresholds (set by supervisors) and the alerts they raise. The alert
// job runs in every app instance; a transaction-level advisory lock lets one
// instance evaluate at a time, so a breach opens one alert and closes it once.
import type { CapacityMetric } from "@prisma/client";
import { writeAudit } from "~/audit/audit-log.server";
import { db } from "~/db/db.server";
import { evaluateThresholds, type ThresholdFact } from "./alerts";
import { buildBoard } from "./board";
import { boardInput } from "./capacity.server";

const LOCK = "surge_capacity_alerts";

export interface ThresholdValues {
  metric: CapacityMetric;
  channelId: string | null;
  language: string | null;
  value: number;
}

export async function listThresholds(): Promise<ThresholdFact[]> {
  return db.capacityThreshold.findMany({ orderBy: [{ metric: "asc" }, { createdAt: "asc" }], select: { id: true, metric: true, channelId: true, language: true, value: true } });
}

export async function addThreshold(values: ThresholdValues, actorId: string): Promise<string> {
  return db.$transaction(async (tx) => {
    const created = await tx.capacityThreshold.create({ data: { ...values, updatedById: actorId } });
    await writeAudit({ actorId, action: "capacity.threshold_added", subjectType: "CapacityThreshold", subjectId: created.id, data: { ...values } }, tx);
    return created.id;
  });
}

/** Removing a threshold ends its open alert now. */
export async function removeThreshold(id: string, actorId: string): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const removed = await tx.capacityThreshold.deleteMany({ where: { id } });
    if (removed.count === 0) return false;
    await tx.capacityAlert.updateMany({ where: { thresholdId: null, endedAt: null }, data: { endedAt: new Date() } });
    await writeAudit({ actorId, action: "capacity.threshold_removed", subjectType: "CapacityThreshold", subjectId: id }, tx);
    return true;
  });
}

/** Opens alerts for thresholds newly breached, ends those no longer breached; returns what changed. */
export async function evaluateCapacityAlerts(now = new Date()): Promise<{ opened: number; ended: number; skipped: boolean }> {
  const thresholds = await listThresholds();
  const open = await db.capacityAlert.count({ where: { endedAt: null } });
  if (thresholds.length === 0 && open === 0) return { opened: 0, ended: 0, skipped: false };
  const board = buildBoard(await boardInput(now));
  const measured = evaluateThresholds(thresholds, board.rows);
  return db.$transaction(async (tx) => {
    const [lock] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(hashtext(${LOCK})) AS locked`;
    if (!lock?.locked) return { opened: 0, ended: 0, skipped: true };
    const current = await tx.capacityAlert.findMany({ where: { endedAt: null } });
    let opened = 0;
    let ended = 0;
    for (const alert of current) {
      const m = measured.find((x) => x.threshold.id === alert.thresholdId);
      if (!m || !m.breached) {
        await tx.capacityAlert.update({ where: { id: alert.id }, data: { endedAt: now } });
        ended += 1;
        continue;
      }
      const worse = alert.metric === "service_level" ? m.value! < alert.worstValue : m.value! > alert.worstValue;
      if (worse) await tx.capacityAlert.update({ where: { id: alert.id }, data: { worstValue: m.value! } });
    }
    for (const m of measured) {
      if (!m.breached || current.some((a) => a.thresholdId === m.threshold.id)) continue;
      const t = m.threshold;
      await tx.capacityAlert.create({
        data: { thresholdId: t.id, metric: t.metric, channelId: t.channelId, language: t.language, limit: t.value, startValue: m.value!, worstValue: m.value!, startedAt: now },
      });
      opened += 1;
    }
    return { opened, ended, skipped: false };
  });
}

export const capacityAlertJob = { name: "capacity alerts", everyMs: 15_000, run: () => evaluateCapacityAlerts() };

export interface AlertView {
  id: string;
  metric: CapacityMetric;
  channelId: string | null;
  language: string | null;
  limit: number;
  startValue: number;
  worstValue: number;
  startedAt: Date;
  endedAt: Date | null;
}

const alertFields = { id: true, metric: true, channelId: true, language: true, limit: true, startValue: true, worstValue: true, startedAt: true, endedAt: true } as const;

/** Alerts going on now (the banner). */
export async function openAlerts(): Promise<AlertView[]> {
  return db.capacityAlert.findMany({ where: { endedAt: null }, orderBy: { startedAt: "asc" }, select: alertFields, take: 20 });
}

/** The latest alerts, going on or ended, with their start and end. */
export async function recentAlerts(take = 100): Promise<AlertView[]> {
  return db.capacityAlert.findMany({ orderBy: { startedAt: "desc" }, select: alertFields, take });
}
