import { createHash } from "node:crypto";

// Secrets Surge hands out (invitation and reset links, integration tokens) are
// stored only as this hash: a copy of the database does not let anyone in.
// The tokens are long and random, so a plain SHA-256 is enough (no salt or
// slow hash needed, unlike passwords).
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
