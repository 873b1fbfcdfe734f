// The one rule for text that comes in (form fields, JSON bodies, query and
// route parameters): PostgreSQL cannot store NUL, nor a lone UTF-16
// surrogate (22021/22P05), and invisible control characters in a name make it
// look like another. Refused with a 400 wherever text enters, not turned into
// a server error by the database.

export type TextKind = "text" | "name";

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// C0 and C1 controls except tab, line feed and carriage return.
function isControl(code: number): boolean {
  return (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || (code >= 0x7f && code <= 0x9f);
}

// Line breaks, bidirectional overrides and isolates, zero-width characters,
// and other invisible format characters that make one name display as another.
const INVISIBLE_IN_NAMES: [number, number][] = [
  [0x09, 0x0d],
  [0xad, 0xad],
  [0x61c, 0x61c],
  [0x115f, 0x1160],
  [0x180e, 0x180e],
  [0x200b, 0x200f],
  [0x2028, 0x202e],
  [0x2060, 0x206f],
  [0x3164, 0x3164],
  [0xfe00, 0xfe0f],
  [0xfeff, 0xfeff],
  [0xffa0, 0xffa0],
  [0xfff9, 0xfffb],
];

function isInvisibleInName(code: number): boolean {
  return INVISIBLE_IN_NAMES.some(([from, to]) => code >= from && code <= to);
}

/** Why `value` is refused, or null when it is fine. */
export function textProblem(value: string, kind: TextKind = "text"): string | null {
  if (value.includes("\u0000")) return "contains a NUL character";
  if (LONE_SURROGATE.test(value)) return "contains an invalid character (a lone UTF-16 surrogate)";
  let invisible = false;
  for (const char of value) {
    const code = char.codePointAt(0)!;
    if (isControl(code)) return "contains a control character";
    if (kind === "name" && isInvisibleInName(code)) invisible = true;
  }
  return invisible ? "contains an invisible or direction-changing character" : null;
}

/** zod refinement for a text field: `.check(textRule("name"))` or via `safeText`/`safeName`. */
export function refineText(kind: TextKind, label: string) {
  return (value: string, ctx: { addIssue: (issue: { code: "custom"; message: string; input: string }) => void }) => {
    const problem = textProblem(value, kind);
    if (problem) ctx.addIssue({ code: "custom", message: `The ${label} ${problem}.`, input: value });
  };
}

/**
 * Why a URL's path or query is refused, or null: its decoded parameters and
 * path segments follow the text rule, and its percent-encoding is valid.
 */
export function urlTextProblem(pathname: string, search: string): string | null {
  try {
    for (const segment of pathname.split("/")) {
      const problem = textProblem(decodeURIComponent(segment));
      if (problem) return `The address ${problem}.`;
    }
  } catch {
    return "The address is not valid percent-encoded UTF-8.";
  }
  for (const [key, value] of new URLSearchParams(search)) {
    const problem = textProblem(key) ?? textProblem(value);
    if (problem) return `The query parameter "${key.slice(0, 40)}" ${problem}.`;
  }
  return null;
}

export interface TextProblemAt {
  path: string;
  message: string;
}

/**
 * The first unacceptable string (keys included) in a parsed JSON value, with
 * its path (cases.0.body), or null. JSON's \u0000 and \ud800 escapes only
 * appear here, after parsing.
 */
export function findTextProblem(value: unknown, path: (string | number)[] = []): TextProblemAt | null {
  if (typeof value === "string") {
    const problem = textProblem(value);
    return problem ? { path: path.join("."), message: `The text ${problem}` } : null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findTextProblem(value[i], [...path, i]);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === "object") {
    for (const [key, inner] of Object.entries(value)) {
      const keyProblem = textProblem(key);
      if (keyProblem) return { path: [...path, key].join("."), message: `The key ${keyProblem}` };
      const found = findTextProblem(inner, [...path, key]);
      if (found) return found;
    }
  }
  return null;
}
