// Settings of escalation, read once from the environment (see the README's table).
import { wholeNumberSetting } from "~/server/configuration";

export const escalationSettings = {
  /** A case a volunteer has held this long without a reply escalates by itself (0: never). */
  heldWithoutReplyMinutes: wholeNumberSetting("SURGE_AUTO_ESCALATE_HELD_MINUTES", 30),
  /** Whether a held case whose due time is breached escalates by itself (1 or 0). */
  escalateOnBreach: wholeNumberSetting("SURGE_AUTO_ESCALATE_ON_BREACH", 1) === 1,
  /** Escalating one reason this many times within trainingWindowDays offers its training module again (0: never). */
  trainingOfferThreshold: wholeNumberSetting("SURGE_ESCALATION_TRAINING_THRESHOLD", 3),
  trainingWindowDays: wholeNumberSetting("SURGE_ESCALATION_TRAINING_DAYS", 7),
};

export type EscalationSettings = typeof escalationSettings;
