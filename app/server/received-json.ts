// Text received from outside (a webhook body, a live event) that should hold
// one JSON object. Its fields are still unchecked: each reader checks its own.

/** The parsed object; null for invalid JSON or anything but an object. */
export function parseJsonObject(raw: string): Record<string, unknown> | null {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null) return null;
  return value as Record<string, unknown>;
}
