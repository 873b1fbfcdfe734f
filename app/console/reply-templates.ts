// Reply templates: approved answers with placeholders filled from the case.
// The same fill runs in the browser (preview) and on the server (what is sent).

/** The placeholders a template may use, and where each value comes from. */
export const TEMPLATE_PLACEHOLDERS = {
  customerName: "the customer's name",
  bookingReference: "the booking reference",
  flightNumber: "the flight number",
  departureDate: "the departure date (UTC)",
  caseNumber: "the case number",
  agentName: "your first name",
} as const;

export type TemplatePlaceholder = keyof typeof TEMPLATE_PLACEHOLDERS;

/** Placeholders that tell the customer something about their booking. */
const BOOKING_PLACEHOLDERS: readonly TemplatePlaceholder[] = ["bookingReference", "flightNumber", "departureDate"];

export interface TemplateContext {
  customerName: string;
  bookingReference: string | null;
  flightNumber: string | null;
  departureAt: Date | string | null;
  number: number;
  agentName: string;
}

const PLACEHOLDER = /\{([a-zA-Z]+)\}/g;

/** Placeholder names used in a template body, known or not. */
export function placeholdersIn(body: string): string[] {
  return [...new Set([...body.matchAll(PLACEHOLDER)].map((match) => match[1]!))];
}

/** Names in braces that are not placeholders (a supervisor's typo). */
export function unknownPlaceholders(body: string): string[] {
  return placeholdersIn(body).filter((name) => !(name in TEMPLATE_PLACEHOLDERS));
}

function valueOf(name: TemplatePlaceholder, context: TemplateContext): string | null {
  switch (name) {
    case "customerName":
      return context.customerName.trim() || null;
    case "bookingReference":
      return context.bookingReference;
    case "flightNumber":
      return context.flightNumber;
    case "departureDate":
      return context.departureAt ? new Date(context.departureAt).toISOString().slice(0, 10) : null;
    case "caseNumber":
      return String(context.number);
    case "agentName":
      return context.agentName.trim().split(/\s+/)[0] || null;
  }
}

export interface FilledTemplate {
  text: string;
  /** Placeholders the case has no value for: the reply cannot be sent as is. */
  missing: TemplatePlaceholder[];
}

export function fillTemplate(body: string, context: TemplateContext): FilledTemplate {
  const missing = new Set<TemplatePlaceholder>();
  const text = body.replace(PLACEHOLDER, (whole, name: string) => {
    if (!(name in TEMPLATE_PLACEHOLDERS)) return whole;
    const value = valueOf(name as TemplatePlaceholder, context);
    if (value === null) {
      missing.add(name as TemplatePlaceholder);
      return whole;
    }
    return value;
  });
  return { text, missing: [...missing] };
}

/** A template discloses the booking when its supervisor says so or it fills booking details in. */
export function templateDisclosesBooking(template: { body: string; disclosesBooking: boolean }): boolean {
  return template.disclosesBooking || placeholdersIn(template.body).some((name) => BOOKING_PLACEHOLDERS.includes(name as TemplatePlaceholder));
}

/** Free text discloses the booking when it names the booking reference or the flight. */
export function textDisclosesBooking(text: string, context: Pick<TemplateContext, "bookingReference" | "flightNumber">): boolean {
  const haystack = text.toUpperCase().replace(/\s+/g, "");
  return [context.bookingReference, context.flightNumber].some((value) => value && haystack.includes(value.toUpperCase().replace(/\s+/g, "")));
}
