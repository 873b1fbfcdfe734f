// The environment an app instance starts with, checked once before anything
// else runs: a malformed value stops the start with one line that names the
// variable, instead of a NaN timer or a connection error minutes later.
// The modules that use a setting still read it where it is used (the README's
// settings table lists them); this is the gate in front of them.
import { z } from "zod";
import { configuredPublicOrigin } from "./public-origin.server";

const wholeNumber = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, "must be a whole number")
    .transform(Number)
    .refine((value) => value >= min && value <= max, `must be between ${min} and ${max}`);

const positiveNumber = z
  .string()
  .trim()
  .refine((raw) => raw !== "" && Number.isFinite(Number(raw)) && Number(raw) > 0, "must be a positive number");

const flag = z.enum(["0", "1"], { message: 'must be "0" or "1"' });

const databaseUrl = z.string().refine((raw) => {
  try {
    const url = new URL(raw);
    return (url.protocol === "postgresql:" || url.protocol === "postgres:") && url.hostname !== "" && url.pathname.length > 1;
  } catch {
    return false;
  }
}, "must be a postgresql://user:password@host:5432/database URL");

const httpUrl = z.string().refine((raw) => {
  try {
    return ["http:", "https:"].includes(new URL(raw).protocol);
  } catch {
    return false;
  }
}, "must be an http:// or https:// URL");

const publicOrigin = z.string().superRefine((raw, context) => {
  try {
    configuredPublicOrigin(raw);
  } catch {
    context.addIssue({ code: "custom", message: "must be an origin such as https://surge.example.org (no path)" });
  }
});

const sessionSecret = z
  .string()
  .refine(
    (raw) => raw.split(",").map((s) => s.trim()).filter(Boolean).every((secret) => secret.length >= 16),
    "must be at least 16 characters (each value, when comma-separated)",
  );

/** Every variable the app reads at run time, with its rule. Unset means its default. */
const settings = {
  DATABASE_URL: databaseUrl,
  SESSION_SECRET: sessionSecret,
  PORT: wholeNumber(0, 65535),
  SURGE_PUBLIC_ORIGIN: publicOrigin,
  SURGE_PUBLIC_URL: httpUrl,
  SURGE_SINK_URL: httpUrl,
  SURGE_COOKIE_SECURE: flag,
  SURGE_SEED_DEMO: flag,
  SURGE_SEED_FORCE: flag,
  SURGE_UPKEEP: flag,
  SURGE_DELIVERY: flag,
  SURGE_EMBEDDED_DB_PORT: wholeNumber(0, 65535),
  DATABASE_POOL_MAX: wholeNumber(1, 1000),
  SURGE_DEQUEUE_CONNECTIONS: wholeNumber(1, 100),
  SURGE_VACUUM_AFTER_DEAD_ROWS: wholeNumber(0),
  SURGE_VACUUM_COST_DELAY_MS: wholeNumber(0, 100),
  SURGE_SHUTDOWN_TIMEOUT_MS: wholeNumber(0),
  SURGE_IMPORT_LEASE_MS: wholeNumber(1),
  SURGE_HEAP_GROWTH_PERCENT: wholeNumber(0, 1000),
  SURGE_HOLD_SLOT_MINUTES: wholeNumber(0),
  SURGE_REOPEN_DAYS: wholeNumber(0),
  SURGE_DELIVERY_MAX_ATTEMPTS: positiveNumber,
  SURGE_DELIVERY_RETRY_BASE_MS: positiveNumber,
  SURGE_DELIVERY_RETRY_MAX_MS: positiveNumber,
  SURGE_DELIVERY_LEASE_MS: positiveNumber,
  SURGE_DELIVERY_TIMEOUT_MS: positiveNumber,
  SURGE_DELIVERY_POLL_MS: positiveNumber,
  SURGE_DELIVERY_BATCH: positiveNumber,
  SURGE_DELIVERY_CONCURRENCY: positiveNumber,
  SURGE_CAPACITY_JOBS: flag,
  SURGE_PRESENCE_SILENCE_SECONDS: wholeNumber(1),
  SURGE_PUSH_TIMEOUT_SECONDS: wholeNumber(0),
  SURGE_AUTO_ESCALATE_HELD_MINUTES: wholeNumber(0),
  SURGE_AUTO_ESCALATE_ON_BREACH: flag,
  SURGE_ESCALATION_TRAINING_THRESHOLD: wholeNumber(0),
  SURGE_ESCALATION_TRAINING_DAYS: wholeNumber(1),
  SURGE_LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
    message: "must be one of fatal, error, warn, info, debug, trace, silent",
  }),
  SURGE_LOG_FORMAT: z.enum(["json", "text"], { message: 'must be "json" or "text"' }),
} satisfies Record<string, z.ZodType<unknown, string>>;

export type SettingName = keyof typeof settings;

/**
 * The problems with this environment, one readable line each; empty when it
 * is fine. `embedded` is true when no DATABASE_URL was given and the app
 * runs on its embedded database (which keeps its own session secret).
 */
export function configurationProblems(env: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  for (const [name, rule] of Object.entries(settings) as [SettingName, z.ZodType<unknown, string>][]) {
    const raw = env[name];
    if (raw === undefined || raw === "") continue;
    const checked = rule.safeParse(raw);
    if (!checked.success) problems.push(`${name} ${checked.error.issues[0]?.message ?? "is not valid"}`);
  }
  if (env.DATABASE_URL && !env.SESSION_SECRET?.trim()) {
    problems.push("SESSION_SECRET must be set when DATABASE_URL is set (the same value on every instance; e.g. openssl rand -base64 32)");
  }
  return problems;
}

/**
 * A whole-number setting (0 or more) as a module reads it once at load: its
 * value, or `fallback` when unset. The start-up check above has refused a
 * malformed value already; this throws for one set after start (tests).
 */
export function wholeNumberSetting(name: string, fallback: number, env: Record<string, string | undefined> = process.env): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number, not "${raw}".`);
  return value;
}

/** One line for the operator: what is wrong, and where to read about it. */
export function configurationError(problems: readonly string[]): string {
  return `Surge cannot start: ${problems.join("; ")}. See the settings table in README.md.`;
}
