// Settings of escalation, read once from the environment (see the README's table).
function whole(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number, not "${raw}".`);
  return value;
}

export const escalationSettings = {
  /** A case a volunteer has held this long without a reply escalates by itself (0: never). */
  heldWithoutReplyMinutes: whole("SURGE_AUTO_ESCALATE_HELD_MINUTES", 30),
  /** Whether a held case whose due time is breached escalates by itself (1 or 0). */
  escalateOnBreach: whole("SURGE_AUTO_ESCALATE_ON_BREACH", 1) === 1,
  /** Escalating one reason this many times within trainingWindowDays offers its training module again (0: never). */
  trainingOfferThreshold: whole("SURGE_ESCALATION_TRAINING_THRESHOLD", 3),
  trainingWindowDays: whole("SURGE_ESCALATION_TRAINING_DAYS", 7),
};

export type EscalationSettings = typeof escalationSettings;
