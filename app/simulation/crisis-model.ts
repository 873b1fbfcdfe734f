// The crisis a rehearsal replays, as plain data and functions: how many cases
// arrive when (a day that ramps from the normal 5,000 cases a day to 50,000),
// what they look like (channels, languages, topics, departure times, loyalty
// tiers, follow-up messages), and how long people take to handle them. The
// mixes follow the March 2020 figures in the product brief: messaging
// channels dominate, ten languages, refunds and rebooking first.
import type { Random } from "./random";

export const BASELINE_CASES_PER_DAY = 5_000;
export const PEAK_CASES_PER_DAY = 50_000;
export const DAY_SECONDS = 24 * 3600;

export const CHANNEL_MIX = {
  whatsapp: 34,
  messenger: 14,
  facebook: 8,
  x: 7,
  wechat: 6,
  line: 5,
  kakaotalk: 4,
  apple_messages: 6,
  email: 16,
} as const;

export const LANGUAGE_MIX = { en: 30, nl: 22, fr: 9, de: 9, es: 7, it: 5, pt: 4, zh: 6, ja: 4, ko: 4 } as const;

/** Topic combinations a customer writes about, with their share. */
export const TOPIC_MIX = {
  "refund-status": 26,
  rebooking: 18,
  "rebooking-simple": 10,
  voucher: 10,
  "flight-status": 12,
  "baggage-status": 6,
  "check-in": 5,
  seat: 3,
  payment: 3,
  "complaint-compensation": 4,
  medical: 1,
  legal: 1,
  none: 1,
} as const;

export const LOYALTY_MIX = { none: 70, silver: 16, gold: 10, platinum: 4 } as const;

/** Hours until departure: many questions are about flights in the next days, some about today. */
export const DEPARTURE_MIX = { within4h: 6, within12h: 8, withinDay: 16, withinWeek: 40, later: 15, none: 15 } as const;

export type ChannelId = keyof typeof CHANNEL_MIX;
export type LanguageCode = keyof typeof LANGUAGE_MIX;

/**
 * Arrival rate over the day, relative: the normal rate until the news
 * breaks (a fifth into the day), then a steep ramp to ten times that rate
 * (logistic), which holds for the rest of the day.
 */
export function arrivalRate(dayFraction: number): number {
  const baseline = BASELINE_CASES_PER_DAY;
  const surge = PEAK_CASES_PER_DAY - BASELINE_CASES_PER_DAY;
  const ramp = 1 / (1 + Math.exp(-(dayFraction - 0.3) * 25));
  return baseline + surge * ramp;
}

/** Share of the day's cases arrived by dayFraction (numerically integrated, 0 to 1). */
export function cumulativeArrivals(dayFraction: number, steps = 2000): number {
  const total = integrateRate(1, steps);
  return total === 0 ? 0 : integrateRate(Math.min(1, Math.max(0, dayFraction)), steps) / total;
}

function integrateRate(upTo: number, steps: number): number {
  let sum = 0;
  const n = Math.max(1, Math.round(steps * upTo));
  const h = upTo / n;
  for (let i = 0; i < n; i++) sum += arrivalRate((i + 0.5) * h) * h;
  return sum;
}

/**
 * How many of `totalCases` should have arrived by `dayFraction`: the
 * generator posts the difference between this and what it posted so far.
 */
export function casesDueBy(totalCases: number, dayFraction: number): number {
  return Math.round(totalCases * cumulativeArrivals(dayFraction));
}

export interface SimulatedCase {
  idempotencyKey: string;
  channelId: ChannelId;
  language: LanguageCode;
  customerId: string;
  customerName: string;
  loyaltyTier: keyof typeof LOYALTY_MIX;
  bookingReference: string;
  flightNumber: string;
  departureAt?: string;
  subject: string;
  body: string;
  topics: string[];
  liveConversation: boolean;
  paymentLinkUnpaid: boolean;
}

const FIRST_NAMES = ["Eva", "Jan", "Sophie", "Luca", "Marie", "Chen", "Yuki", "Min-jun", "Ana", "Pieter", "Hannah", "Mateo"];
const LAST_NAMES = ["de Vries", "Jansen", "Martin", "Rossi", "Schmidt", "Wang", "Sato", "Kim", "Silva", "Bakker", "Garcia", "Dubois"];

/** What customers write, per topic (English; the language field says what the customer speaks). */
const TOPIC_TEXT: Record<string, string> = {
  "refund-status": "Where is my refund? My flight was cancelled last week.",
  rebooking: "My flight was cancelled, I need to travel as soon as possible. Can you rebook me?",
  "rebooking-simple": "Can I move my flight to next week instead?",
  voucher: "I received a voucher but I would like to know how to use it.",
  "flight-status": "Is my flight still going? I cannot find it in the app.",
  "baggage-status": "My suitcase did not arrive, where is it?",
  "check-in": "Online check-in does not work for my booking.",
  seat: "Can I still choose a seat for my flight?",
  payment: "I was charged twice for my booking.",
  "complaint-compensation": "I want compensation for the cancelled flight and the hotel I had to pay.",
  medical: "I need assistance at the airport because of a medical condition.",
  legal: "My lawyer will contact you about the denied boarding.",
  none: "Hello, I have a question about my trip.",
};

function departureOffsetHours(random: Random): number | null {
  switch (random.weighted(DEPARTURE_MIX)) {
    case "within4h":
      return 0.5 + random.next() * 3.5;
    case "within12h":
      return 4 + random.next() * 8;
    case "withinDay":
      return 12 + random.next() * 12;
    case "withinWeek":
      return 24 + random.next() * 144;
    case "later":
      return 168 + random.next() * 1000;
    default:
      return null;
  }
}

/**
 * One customer's case. `now` is the real time of posting: departure times
 * stay in real hours so the priority model (flights leaving within 4 or 12
 * hours) sees a realistic mix at any clock speed.
 */
export function generateCase(random: Random, runId: string, sequence: number, now: Date): SimulatedCase {
  const topic = random.weighted(TOPIC_MIX);
  const offset = departureOffsetHours(random);
  const urgent = offset !== null && offset < 12 && random.chance(0.5);
  const text = TOPIC_TEXT[topic]!;
  return {
    idempotencyKey: `${runId}-c${sequence}`,
    channelId: random.weighted(CHANNEL_MIX),
    language: random.weighted(LANGUAGE_MIX),
    customerId: `${runId}-cust${sequence}`,
    customerName: `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`,
    loyaltyTier: random.weighted(LOYALTY_MIX),
    bookingReference: bookingReference(random),
    flightNumber: `KL${random.int(600, 1999)}`,
    ...(offset === null ? {} : { departureAt: new Date(now.getTime() + offset * 3600_000).toISOString() }),
    subject: text.split(/[.?!]/)[0]!.slice(0, 80),
    body: urgent ? `Urgent: ${text} My flight is tomorrow.` : text,
    topics: topic === "none" ? [] : [topic],
    liveConversation: random.chance(0.05),
    paymentLinkUnpaid: topic === "payment" && random.chance(0.5),
  };
}

function bookingReference(random: Random): string {
  const letters = "ABCDEFGHJKLMNPQRSTUVWXYZ";
  return Array.from({ length: 6 }, () => letters[random.int(0, letters.length - 1)]).join("");
}

/** A customer writes again before the case is answered (threaded onto it by the intake). */
export const FOLLOW_UP_SHARE = 0.12;

export function followUpOf(original: SimulatedCase, sequence: number): SimulatedCase {
  return {
    ...original,
    idempotencyKey: `${original.idempotencyKey}-f${sequence}`,
    body: "Any news? I am still waiting for an answer.",
    subject: "Follow-up",
  };
}

/** Handling time in simulated seconds: log-normal, volunteers slower at first, faster once experienced. */
export function handlingSeconds(random: Random, person: { experienced: boolean; casesDone: number }): number {
  // Volunteers start at about 7 minutes a case and get 30% faster over their first 20 cases.
  const median = person.experienced ? 240 : 420 * (1 - 0.3 * Math.min(1, person.casesDone / 20));
  return Math.min(3600, Math.max(20, random.logNormal(median, 0.55)));
}

export type CaseAction = "reply_and_resolve" | "gesture_and_resolve" | "escalate";

/** What a person does with a case, by topic: compensation asks for a gesture, legal and medical go up. */
export function chooseAction(random: Random, kase: { topics: readonly string[] }, person: { experienced: boolean }): CaseAction {
  const topic = kase.topics[0] ?? "none";
  if ((topic === "legal" || topic === "medical") && !person.experienced) return "escalate";
  if (topic === "complaint-compensation" || topic === "voucher") return random.chance(0.6) ? "gesture_and_resolve" : "reply_and_resolve";
  if (!person.experienced && random.chance(0.04)) return "escalate";
  return random.chance(0.08) ? "gesture_and_resolve" : "reply_and_resolve";
}

/** A gesture a person gives: mostly within a volunteer's limits, sometimes above (then they escalate). */
export function chooseGesture(random: Random): { type: "miles" | "meal_voucher" | "fee_waiver"; amount: number } {
  const type = random.weighted({ miles: 5, meal_voucher: 4, fee_waiver: 1 });
  if (type === "fee_waiver") return { type, amount: 1 };
  if (type === "miles") return { type, amount: random.chance(0.15) ? 5_000 : random.pick([500, 1000, 1500, 2000]) };
  return { type, amount: random.chance(0.15) ? 2_500 : random.pick([500, 1000, 1500]) };
}
