// The payload channel connectors post to the intake API: one case, or a batch.
// Every problem is reported with its path so a 400 can list them all, and the
// parsed values are ready to store (trimmed, upper-cased references, Dates).
import { z } from "zod";
import { refineText, type TextKind } from "~/forms/text-rule";
import { CHANNEL_IDS, SUPPORTED_LANGUAGES } from "~/reference/channels";
import { LOYALTY_TIERS, topicSlugSchema } from "./case-fields";
import { validateWith, type ValidationProblem } from "./validation-problems";

/** Most cases one batch request may carry. */
export const INTAKE_BATCH_MAX = 500;

export const INTAKE_LIMITS = {
  idempotencyKey: 200,
  customerId: 100,
  customerName: 200,
  bookingReference: 20,
  subject: 300,
  body: 20_000,
  topics: 20,
} as const;

const FLIGHT_NUMBER_PATTERN = /^(?:[A-Z]{2,3}|[A-Z][0-9]|[0-9][A-Z])[0-9]{1,4}[A-Z]?$/;

function text(field: string, max: number, kind: TextKind = "text") {
  return z
    .string({ error: `${field} must be text` })
    .superRefine(refineText(kind, field))
    .trim()
    .max(max, { error: `${field} is at most ${max} characters` });
}

function requiredText(field: string, max: number, kind: TextKind = "text") {
  return text(field, max, kind).min(1, { error: `${field} is required` });
}

// Connectors and CSV exports send "" for "not known"; store that as null.
function optional<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (value === "" ? null : value), schema.nullish());
}

const isoDateTime = (field: string) =>
  z
    .iso.datetime({
      offset: true,
      error: `${field} must be an ISO 8601 date and time with a time zone, such as 2024-03-15T14:30:00Z`,
    })
    .transform((value) => new Date(value));

export const intakeCaseSchema = z.object({
  /** Chosen by the connector; a retried delivery with the same key never makes a second case. */
  idempotencyKey: requiredText("idempotencyKey", INTAKE_LIMITS.idempotencyKey),
  channelId: z.enum(CHANNEL_IDS, { error: `channelId must be one of ${CHANNEL_IDS.join(", ")}` }),
  language: z.enum(SUPPORTED_LANGUAGES, { error: `language must be one of ${SUPPORTED_LANGUAGES.join(", ")}` }),
  customerId: requiredText("customerId", INTAKE_LIMITS.customerId),
  customerName: requiredText("customerName", INTAKE_LIMITS.customerName, "name"),
  loyaltyTier: z.enum(LOYALTY_TIERS, { error: `loyaltyTier must be one of ${LOYALTY_TIERS.join(", ")}` }).default("none"),
  bookingReference: optional(
    text("bookingReference", INTAKE_LIMITS.bookingReference)
      .toUpperCase()
      .regex(/^[A-Z0-9]+$/, { error: "bookingReference must be letters and digits, such as ABC123" }),
  ),
  flightNumber: optional(
    z
      .string({ error: "flightNumber must be text" })
      .transform((value) => value.replace(/\s+/g, "").toUpperCase())
      // IATA designator (two characters, not both digits) or ICAO (three letters), 1-4 digits, optional suffix.
      .pipe(z.string().regex(FLIGHT_NUMBER_PATTERN, { error: "flightNumber must look like KL1234" })),
  ),
  /** Scheduled departure; any offset is accepted and stored as UTC. */
  departureAt: optional(isoDateTime("departureAt")),
  subject: text("subject", INTAKE_LIMITS.subject).default(""),
  body: requiredText("body", INTAKE_LIMITS.body),
  /** When the customer sent the message; the server uses the arrival time when missing. */
  receivedAt: optional(isoDateTime("receivedAt")),
  liveConversation: z.boolean({ error: "liveConversation must be true or false" }).default(false),
  paymentLinkUnpaid: z.boolean({ error: "paymentLinkUnpaid must be true or false" }).default(false),
  topics: z
    .array(topicSlugSchema, { error: "topics must be a list of topic slugs" })
    .max(INTAKE_LIMITS.topics, { error: `At most ${INTAKE_LIMITS.topics} topics` })
    .default([])
    .transform((topics) => [...new Set(topics)]),
});

export const intakeBatchSchema = z
  .object({
    cases: z
      .array(intakeCaseSchema, { error: "cases must be a list" })
      .min(1, { error: "A batch needs at least one case" })
      .max(INTAKE_BATCH_MAX, { error: `A batch has at most ${INTAKE_BATCH_MAX} cases` }),
  })
  .superRefine(
    (batch, ctx) => {
      if (!Array.isArray(batch.cases)) return;
      const firstIndexOfKey = new Map<string, number>();
      batch.cases.forEach((entry: unknown, index) => {
        const key = (entry as { idempotencyKey?: unknown } | null)?.idempotencyKey;
        if (typeof key !== "string") return;
        const first = firstIndexOfKey.get(key.trim());
        if (first === undefined) firstIndexOfKey.set(key.trim(), index);
        else
          ctx.addIssue({
            code: "custom",
            path: ["cases", index, "idempotencyKey"],
            message: `idempotencyKey "${key}" is also used by case ${first} of this batch`,
          });
      });
    },
    { when: () => true },
  );

export type IntakeCase = z.output<typeof intakeCaseSchema>;
export type IntakeCaseInput = z.input<typeof intakeCaseSchema>;

export type IntakeParseResult =
  | { ok: true; batch: boolean; cases: IntakeCase[] }
  | { ok: false; problems: ValidationProblem[] };

/**
 * Parses a request body: an object with a "cases" list is a batch, any other
 * object one case. All or nothing: one invalid case rejects the whole batch,
 * so nothing is half-written.
 */
export function parseIntakePayload(body: unknown): IntakeParseResult {
  if (typeof body !== "object" || body === null || Array.isArray(body))
    return { ok: false, problems: [{ path: "", message: 'Send one case as a JSON object, or a batch as { "cases": [...] }' }] };
  if ("cases" in body) {
    const result = validateWith(intakeBatchSchema, body);
    return result.ok ? { ok: true, batch: true, cases: result.value.cases } : result;
  }
  const result = validateWith(intakeCaseSchema, body);
  return result.ok ? { ok: true, batch: false, cases: [result.value] } : result;
}

/**
 * Messages of the same customer about the same booking thread onto one open
 * case. Without a booking reference there is nothing to tie them together, so
 * the key is null and the message opens its own case.
 */
export function threadKeyFor(fields: { customerId: string; bookingReference?: string | null }): string | null {
  const booking = fields.bookingReference?.trim().toUpperCase();
  if (!booking) return null;
  // JSON keeps the two parts apart whatever characters a customer id contains.
  return JSON.stringify([fields.customerId.trim(), booking]);
}
