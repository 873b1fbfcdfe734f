// Scores one case against the supervisor's rule set: which rule catches it,
// the tier, a sentence saying why, and when time alone could change that
// (so the database re-scores only cases whose recheckAt has passed instead
// of the whole queue on every request).
import type { LoyaltyTier } from "./case-fields";
import { LOYALTY_TIER_LABELS, loyaltyTierAtLeast } from "./case-fields";
import { findKeyword, keywordsForLanguage } from "./keyword-match";
import type { PriorityCondition, PriorityRule, PriorityRuleSet } from "./priority-rules";

/** The case fields the priority model reads (a subset of the Case row). */
export interface PriorityCaseFields {
  language: string;
  subject: string;
  body: string;
  flightNumber?: string | null;
  departureAt?: Date | null;
  receivedAt: Date;
  liveConversation: boolean;
  paymentLinkUnpaid: boolean;
  loyaltyTier: LoyaltyTier;
  topics: readonly string[];
}

export interface PriorityResult {
  tier: number;
  /** The rule that set the tier; null when no rule caught the case (fallback tier). */
  ruleId: string | null;
  /** Shown on the case, e.g. "Flight KL1234 departs in 3 h 10 min (...) (rule: Departs within 4 hours)". */
  reason: string;
  /** Earliest future moment at which the passing of time alone could change ruleId or tier. */
  recheckAt: Date | null;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** Half-open interval [from, until) in epoch ms during which a time condition holds. */
interface TimeWindow {
  from: number;
  until: number;
}

const ALWAYS: TimeWindow = { from: -Infinity, until: Infinity };
const NEVER: TimeWindow = { from: Infinity, until: -Infinity };

// "Departs within H hours" holds from exactly H hours before departure (4 h 0 s
// matches, 4 h + 1 s does not) until the moment of departure: a flight that
// has left no longer matches.
function timeWindowOf(condition: PriorityCondition, fields: PriorityCaseFields): TimeWindow | null {
  switch (condition.type) {
    case "departsWithinHours": {
      const departure = fields.departureAt?.getTime();
      if (departure === undefined || Number.isNaN(departure)) return NEVER;
      return { from: departure - condition.hours * HOUR_MS, until: departure };
    }
    case "olderThanMinutes":
      return { from: fields.receivedAt.getTime() + condition.minutes * MINUTE_MS, until: Infinity };
    default:
      return null;
  }
}

/** Whether a condition that does not depend on the clock holds. */
function staticConditionHolds(condition: PriorityCondition, fields: PriorityCaseFields): boolean {
  switch (condition.type) {
    case "keywordsAny":
      return matchedKeyword(condition, fields) !== null;
    case "liveConversation":
      return fields.liveConversation;
    case "loyaltyTierAtLeast":
      return loyaltyTierAtLeast(fields.loyaltyTier, condition.tier);
    case "paymentLinkUnpaid":
      return fields.paymentLinkUnpaid;
    case "topicAny":
      return fields.topics.some((topic) => condition.topics.includes(topic));
    case "departsWithinHours":
    case "olderThanMinutes":
      return true;
  }
}

function matchedKeyword(
  condition: Extract<PriorityCondition, { type: "keywordsAny" }>,
  fields: PriorityCaseFields,
): string | null {
  return findKeyword(
    `${fields.subject}\n${fields.body}`,
    keywordsForLanguage(condition.keywords, fields.language),
    keywordsForLanguage(condition.except ?? {}, fields.language),
  );
}

interface RuleState {
  staticHolds: boolean;
  window: TimeWindow;
}

function ruleState(rule: PriorityRule, fields: PriorityCaseFields): RuleState {
  let window = ALWAYS;
  let staticHolds = true;
  for (const condition of rule.conditions) {
    const conditionWindow = timeWindowOf(condition, fields);
    if (conditionWindow)
      window = {
        from: Math.max(window.from, conditionWindow.from),
        until: Math.min(window.until, conditionWindow.until),
      };
    else if (!staticConditionHolds(condition, fields)) staticHolds = false;
  }
  return { staticHolds, window };
}

function holdsAt(state: RuleState, nowMs: number): boolean {
  return state.staticHolds && state.window.from <= nowMs && nowMs < state.window.until;
}

export function evaluatePriority(fields: PriorityCaseFields, ruleSet: PriorityRuleSet, now: Date): PriorityResult {
  const nowMs = now.getTime();
  let recheckMs = Infinity;
  for (const rule of ruleSet.rules) {
    if (!rule.enabled) continue;
    const state = ruleState(rule, fields);
    if (holdsAt(state, nowMs)) {
      // The winner stops catching the case when its time window closes.
      recheckMs = Math.min(recheckMs, state.window.until);
      return {
        tier: rule.tier,
        ruleId: rule.id,
        reason: `${describeMatch(rule, fields, now)} (rule: ${rule.name})`,
        recheckAt: Number.isFinite(recheckMs) ? new Date(recheckMs) : null,
      };
    }
    // A more urgent rule that only waits for its time window could take over.
    const window = state.window;
    if (state.staticHolds && window.from < window.until && window.from > nowMs)
      recheckMs = Math.min(recheckMs, window.from);
  }
  return {
    tier: ruleSet.fallbackTier,
    ruleId: null,
    reason: `No rule applies (rule: ${ruleSet.fallbackName})`,
    recheckAt: Number.isFinite(recheckMs) ? new Date(recheckMs) : null,
  };
}

function describeMatch(rule: PriorityRule, fields: PriorityCaseFields, now: Date): string {
  return rule.conditions.map((condition) => describeCondition(condition, fields, now)).join("; ");
}

function describeCondition(condition: PriorityCondition, fields: PriorityCaseFields, now: Date): string {
  switch (condition.type) {
    case "departsWithinHours": {
      const departure = fields.departureAt as Date;
      const flight = fields.flightNumber ? `Flight ${fields.flightNumber}` : "The flight";
      return `${flight} departs in ${formatDuration(departure.getTime() - now.getTime())} (${formatUtc(departure)})`;
    }
    case "keywordsAny":
      return `Mentions "${matchedKeyword(condition, fields)}"`;
    case "liveConversation":
      return "Customer is in a live conversation";
    case "loyaltyTierAtLeast":
      return `${LOYALTY_TIER_LABELS[fields.loyaltyTier]} member`;
    case "paymentLinkUnpaid":
      return "Payment link sent but not yet paid";
    case "topicAny": {
      const topics = fields.topics.filter((topic) => condition.topics.includes(topic));
      return `Topic ${topics.map((topic) => `"${topic}"`).join(", ")}`;
    }
    case "olderThanMinutes":
      return `Waiting for ${formatDuration(now.getTime() - fields.receivedAt.getTime())}`;
  }
}

/** "3 h 10 min", "45 min", "2 d 3 h"; rounded down to the minute. */
export function formatDuration(ms: number): string {
  const totalMinutes = Math.floor(ms / MINUTE_MS);
  if (totalMinutes < 1) return "less than a minute";
  const days = Math.floor(totalMinutes / (24 * 60));
  const hours = Math.floor((totalMinutes % (24 * 60)) / 60);
  const minutes = totalMinutes % 60;
  if (days >= 2) return hours ? `${days} d ${hours} h` : `${days} d`;
  const allHours = days * 24 + hours;
  if (allHours === 0) return `${minutes} min`;
  return minutes ? `${allHours} h ${minutes} min` : `${allHours} h`;
}

function formatUtc(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

export interface RulePreviewRow {
  ruleId: string;
  name: string;
  tier: number;
  enabled: boolean;
  count: number;
}

export interface RulePreview {
  rules: RulePreviewRow[];
  /** Cases no rule catches; they get the fallback tier. */
  fallback: { name: string; tier: number; count: number };
  total: number;
}

/** How many of the given (open) cases each rule would catch, first matching rule wins. */
export function rulePreview(cases: readonly PriorityCaseFields[], ruleSet: PriorityRuleSet, now: Date): RulePreview {
  const counts = new Map<string, number>();
  let fallbackCount = 0;
  for (const fields of cases) {
    const { ruleId } = evaluatePriority(fields, ruleSet, now);
    if (ruleId === null) fallbackCount += 1;
    else counts.set(ruleId, (counts.get(ruleId) ?? 0) + 1);
  }
  return {
    rules: ruleSet.rules.map((rule) => ({
      ruleId: rule.id,
      name: rule.name,
      tier: rule.tier,
      enabled: rule.enabled,
      count: counts.get(rule.id) ?? 0,
    })),
    fallback: { name: ruleSet.fallbackName, tier: ruleSet.fallbackTier, count: fallbackCount },
    total: cases.length,
  };
}
