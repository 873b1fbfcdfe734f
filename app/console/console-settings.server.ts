// Settings of the console, read once from the environment (see README).
import { wholeNumberSetting } from "~/server/configuration";

export const consoleSettings = {
  /** How long a case on hold keeps its agent's slot before the slot is freed. */
  holdSlotMinutes: wholeNumberSetting("SURGE_HOLD_SLOT_MINUTES", 60),
  /** A resolved case that gets a customer message within this many days reopens. */
  reopenDays: wholeNumberSetting("SURGE_REOPEN_DAYS", 7),
};
