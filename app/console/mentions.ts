// @mentions in internal notes. A person's handle is the part of their email
// before the @ ("@agent" for agent@surge.test), so it is unique enough to
// type and needs no column of its own.

const MENTION = /(^|[^\w.@])@([a-z0-9][a-z0-9._-]*[a-z0-9]|[a-z0-9])/gi;

export function handleOf(email: string): string {
  return email.slice(0, email.indexOf("@")).toLowerCase();
}

/** Handles mentioned in a note, lower-cased, each once, in order. */
export function mentionedHandles(body: string): string[] {
  return [...new Set([...body.matchAll(MENTION)].map((match) => match[2]!.toLowerCase()))];
}
