// Settings of the console, read once from the environment (see README).
function minutes(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number of minutes or days, not "${raw}".`);
  return value;
}

export const consoleSettings = {
  /** How long a case on hold keeps its agent's slot before the slot is freed. */
  holdSlotMinutes: minutes("SURGE_HOLD_SLOT_MINUTES", 60),
  /** A resolved case that gets a customer message within this many days reopens. */
  reopenDays: minutes("SURGE_REOPEN_DAYS", 7),
};
