// Vocabulary shared by the case rule modules: loyalty ranking, topic slugs and
// the statuses that mean "someone is already handling this case".
import type { CaseStatus, LoyaltyTier } from "@prisma/client";
import { z } from "zod";

export type { CaseComplexity, CaseStatus, LoyaltyTier } from "@prisma/client";

/** Loyalty tiers from lowest to highest; the index is the rank. */
export const LOYALTY_TIERS = ["none", "silver", "gold", "platinum"] as const satisfies readonly LoyaltyTier[];

/** Tiers a rule can ask for ("at least silver" ...); "none" would match everyone. */
export const MEMBER_LOYALTY_TIERS = ["silver", "gold", "platinum"] as const;
export type MemberLoyaltyTier = (typeof MEMBER_LOYALTY_TIERS)[number];

export function loyaltyTierAtLeast(actual: LoyaltyTier, minimum: LoyaltyTier): boolean {
  return LOYALTY_TIERS.indexOf(actual) >= LOYALTY_TIERS.indexOf(minimum);
}

export const LOYALTY_TIER_LABELS: Record<LoyaltyTier, string> = {
  none: "Not a member",
  silver: "Silver",
  gold: "Gold",
  platinum: "Platinum",
};

/** Statuses of a case an agent already works on (a duplicate of it is stale). */
export const HANDLED_CASE_STATUSES = ["assigned", "escalated", "on_hold"] as const satisfies readonly CaseStatus[];

export function isBeingHandled(status: CaseStatus): boolean {
  return (HANDLED_CASE_STATUSES as readonly CaseStatus[]).includes(status);
}

/** Topic tags are lowercase slugs such as "refund-status" or "group-booking". */
export const TOPIC_SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const topicSlugSchema = z
  .string()
  .max(60, { error: "A topic is at most 60 characters" })
  .regex(TOPIC_SLUG_PATTERN, {
    error: (issue) => `Topic "${String(issue.input)}" must be a lowercase slug such as "refund-status"`,
  });
