// The clean-up half of the "bot": open cases that no longer need an agent,
// either because the flight left and the question only mattered before
// departure, or because the same customer already has the same question on a
// case someone is handling. Returns what to close and what to tell the
// customer; closing, recording and reversing is the caller's job.
import type { CaseStatus } from "./case-fields";
import { isBeingHandled } from "./case-fields";
import { DUPLICATE_MESSAGES, FLIGHT_DEPARTED_MESSAGES, inLanguage } from "./customer-replies";
import { normalizeForMatching } from "./keyword-match";

/** Questions that only matter before departure. */
export const DEFAULT_TIME_BOUND_TOPICS = ["flight-status", "check-in", "seat", "boarding-pass"];

export interface SweepOpenCase {
  id: string;
  language: string;
  customerId: string;
  bookingReference?: string | null;
  departureAt?: Date | null;
  subject: string;
  topics: readonly string[];
}

export interface SweepHandledCase {
  id: string;
  customerId: string;
  bookingReference?: string | null;
  subject: string;
  status: CaseStatus;
}

export interface StaleCase {
  caseId: string;
  reason: "flight_departed" | "duplicate";
  /** The case being handled that this one duplicates. */
  duplicateOf?: string;
  /** What to send the customer, in the case language (English fallback). */
  customerMessage: string;
}

export interface StaleSweepOptions {
  timeBoundTopics?: readonly string[];
  /** Share of subject words two cases must have in common (Jaccard, 0..1) to be duplicates. */
  subjectSimilarity?: number;
}

/**
 * Duplicates are checked first, so the customer hears that a colleague is
 * already on it rather than only that the flight left. A case whose topics
 * are not all time-bound (say "flight-status" and "refund-status") stays open:
 * part of the question still applies after departure.
 */
export function findStaleCases(
  openCases: readonly SweepOpenCase[],
  casesBeingHandled: readonly SweepHandledCase[],
  now: Date,
  options: StaleSweepOptions = {},
): StaleCase[] {
  const timeBoundTopics = options.timeBoundTopics ?? DEFAULT_TIME_BOUND_TOPICS;
  const threshold = options.subjectSimilarity ?? 0.5;
  const handledByBooking = groupByCustomerAndBooking(casesBeingHandled.filter((handled) => isBeingHandled(handled.status)));

  const stale: StaleCase[] = [];
  for (const open of openCases) {
    const duplicateOf = findDuplicate(open, handledByBooking, threshold);
    if (duplicateOf) {
      stale.push({
        caseId: open.id,
        reason: "duplicate",
        duplicateOf,
        customerMessage: inLanguage(DUPLICATE_MESSAGES, open.language),
      });
      continue;
    }
    if (hasDeparted(open, now) && isTimeBound(open, timeBoundTopics))
      stale.push({
        caseId: open.id,
        reason: "flight_departed",
        customerMessage: inLanguage(FLIGHT_DEPARTED_MESSAGES, open.language),
      });
  }
  return stale;
}

// Same moment as the priority model: at the departure time the flight has left.
function hasDeparted(open: SweepOpenCase, now: Date): boolean {
  return open.departureAt != null && open.departureAt.getTime() <= now.getTime();
}

function isTimeBound(open: SweepOpenCase, timeBoundTopics: readonly string[]): boolean {
  return open.topics.length > 0 && open.topics.every((topic) => timeBoundTopics.includes(topic));
}

function customerBookingKey(customerId: string, bookingReference: string): string {
  return JSON.stringify([customerId, bookingReference.trim().toUpperCase()]);
}

function groupByCustomerAndBooking(handled: readonly SweepHandledCase[]): Map<string, SweepHandledCase[]> {
  const groups = new Map<string, SweepHandledCase[]>();
  for (const entry of handled) {
    if (!entry.bookingReference?.trim()) continue;
    const key = customerBookingKey(entry.customerId, entry.bookingReference);
    groups.set(key, [...(groups.get(key) ?? []), entry]);
  }
  return groups;
}

// Without a booking reference two cases of one customer may be about anything,
// so they are never treated as duplicates.
function findDuplicate(
  open: SweepOpenCase,
  handledByBooking: Map<string, SweepHandledCase[]>,
  threshold: number,
): string | undefined {
  if (!open.bookingReference?.trim()) return undefined;
  const candidates = handledByBooking.get(customerBookingKey(open.customerId, open.bookingReference)) ?? [];
  let best: { id: string; similarity: number } | undefined;
  for (const handled of candidates) {
    if (handled.id === open.id) continue;
    const similarity = subjectSimilarity(open.subject, handled.subject, open.language);
    if (similarity >= threshold && (!best || similarity > best.similarity)) best = { id: handled.id, similarity };
  }
  return best?.id;
}

// "Re:", "Fwd:", "AW:", "TR:", "RV:", "SV:" added by mail clients say nothing about the question.
const REPLY_PREFIX = /^(?:\s*(?:re|fw|fwd|aw|wg|tr|rv|sv|antw|回复|回覆|答复|転送)\s*[:：])+/iu;

const segmenters = new Map<string, Intl.Segmenter>();

function subjectWords(subject: string, language: string): Set<string> {
  let segmenter = segmenters.get(language);
  if (!segmenter) {
    // Intl.Segmenter splits Chinese and Japanese into words using ICU dictionaries.
    segmenter = new Intl.Segmenter(language, { granularity: "word" });
    segmenters.set(language, segmenter);
  }
  const text = normalizeForMatching(subject.replace(REPLY_PREFIX, ""));
  const words = new Set<string>();
  for (const segment of segmenter.segment(text)) if (segment.isWordLike) words.add(segment.segment);
  return words;
}

/** Jaccard similarity of the subjects' word sets; two empty subjects count as the same. */
export function subjectSimilarity(a: string, b: string, language: string): number {
  const wordsA = subjectWords(a, language);
  const wordsB = subjectWords(b, language);
  if (wordsA.size === 0 && wordsB.size === 0) return 1;
  let shared = 0;
  for (const word of wordsA) if (wordsB.has(word)) shared += 1;
  return shared / (wordsA.size + wordsB.size - shared);
}
