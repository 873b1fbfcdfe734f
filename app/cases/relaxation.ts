// Skill relaxation: a case that has waited longer than a supervisor-set time
// for an exact match may be offered to a wider pool, step by step, per
// channel. Off by default (no channel has steps until a supervisor sets
// them). Plain data in, data out; routing.ts turns the pools into the
// dequeue's arguments and the SQL function only compares them.
//
// Two ways to widen, each a step with its own waiting time:
//   * "basic-language": people who speak the case's language at basic level
//     may take it even when it is complex;
//   * "other-channel": people serving one of the listed channels may take
//     the case although they lack its own channel skill.
// Steps add up: step 2 keeps what step 1 allowed. Volunteers are never
// widened: they work only what they were trained and certified for (their
// replies are limited to certified channels and languages, see the ability).
import type { Role } from "@prisma/client";
import { z } from "zod";
import { CHANNEL_IDS } from "~/reference/channels";
import type { CaseComplexity } from "./case-fields";

export const RELAXATION_WIDENINGS = ["basic-language", "other-channel"] as const;
export type RelaxationWidening = (typeof RELAXATION_WIDENINGS)[number];

export const MAX_RELAXATION_STEPS = 3;
/** A week: a step later than that would never apply to a live queue. */
export const MAX_RELAXATION_MINUTES = 7 * 24 * 60;

const stepSchema = z.discriminatedUnion("widen", [
  z.object({ widen: z.literal("basic-language"), afterMinutes: z.number().int().min(1).max(MAX_RELAXATION_MINUTES) }),
  z.object({
    widen: z.literal("other-channel"),
    afterMinutes: z.number().int().min(1).max(MAX_RELAXATION_MINUTES),
    channels: z.array(z.enum(CHANNEL_IDS)).min(1, "Pick at least one other channel"),
  }),
]);
export type RelaxationStep = z.infer<typeof stepSchema>;

const channelRelaxationSchema = z.object({
  enabled: z.boolean(),
  steps: z.array(stepSchema).max(MAX_RELAXATION_STEPS, `At most ${MAX_RELAXATION_STEPS} steps`),
});
export type ChannelRelaxation = z.infer<typeof channelRelaxationSchema>;

/** Case channel id -> its steps. A channel missing here is not relaxed. */
export type RelaxationSettings = Readonly<Partial<Record<string, ChannelRelaxation>>>;

export const relaxationSettingsSchema = z
  .partialRecord(z.enum(CHANNEL_IDS), channelRelaxationSchema)
  .superRefine((settings, ctx) => {
    for (const [channelId, relaxation] of Object.entries(settings)) {
      relaxation.steps.forEach((step, index) => {
        const previous = relaxation.steps[index - 1];
        if (previous && step.afterMinutes <= previous.afterMinutes)
          ctx.addIssue({ code: "custom", path: [channelId, "steps", index, "afterMinutes"], message: "Each step waits longer than the one before" });
        if (step.widen === "other-channel" && (step.channels as string[]).includes(channelId))
          ctx.addIssue({ code: "custom", path: [channelId, "steps", index, "channels"], message: "Another channel, not the case's own" });
      });
      if (relaxation.enabled && relaxation.steps.length === 0)
        ctx.addIssue({ code: "custom", path: [channelId, "enabled"], message: "Add a step before turning relaxation on" });
    }
  });

export function parseRelaxationSettings(input: unknown): { ok: true; value: RelaxationSettings } | { ok: false; problems: string[] } {
  const parsed = relaxationSettingsSchema.safeParse(input);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, problems: parsed.error.issues.map((issue) => (issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message)) };
}

/** Cases of one channel, language and complexity the agent may take once they have waited since `receivedBefore`. */
export interface RelaxedPool {
  channel: string;
  language: string;
  complexity: CaseComplexity;
  /** ISO time: only cases received at or before it. */
  before: string;
  /** 1-based step of the case channel's relaxation that opens this pool. */
  step: number;
  widen: RelaxationWidening;
}

export interface RelaxationAgent {
  role: Role;
  /** Channel ids the agent serves (their channel skills). */
  channels: readonly string[];
  languages: readonly string[];
  basicLanguages: readonly string[];
  /** Complexities the role takes at all (volunteers: simple). */
  complexities: readonly CaseComplexity[];
}

/** Whether the agent's role may be offered relaxed cases at all. */
export function relaxationWidens(role: Role): boolean {
  return role !== "volunteer";
}

/**
 * The pools beyond the agent's exact matches, each opened at the first step
 * that allows it. Exact matches (own channel, fluent language or a simple
 * case) are never listed: they need no waiting.
 */
export function relaxedPoolsFor(agent: RelaxationAgent, settings: RelaxationSettings, now: Date): RelaxedPool[] {
  if (!relaxationWidens(agent.role)) return [];
  const pools = new Map<string, RelaxedPool>();
  for (const [caseChannel, relaxation] of Object.entries(settings)) {
    if (!relaxation?.enabled) continue;
    const ownChannel = agent.channels.includes(caseChannel);
    let basicAllowed = false;
    const viaChannels = new Set<string>();
    relaxation.steps.forEach((step, index) => {
      if (step.widen === "basic-language") basicAllowed = true;
      else step.channels.forEach((channel) => viaChannels.add(channel));
      const serves = ownChannel || agent.channels.some((channel) => viaChannels.has(channel));
      if (!serves) return;
      for (const language of agent.languages) {
        const basic = agent.basicLanguages.includes(language);
        for (const complexity of agent.complexities) {
          const exact = ownChannel && !(basic && complexity !== "simple");
          if (exact) continue;
          if (basic && complexity !== "simple" && !basicAllowed) continue;
          const key = `${caseChannel}|${language}|${complexity}`;
          if (pools.has(key)) continue;
          pools.set(key, {
            channel: caseChannel,
            language,
            complexity,
            before: new Date(now.getTime() - step.afterMinutes * 60_000).toISOString(),
            step: index + 1,
            widen: step.widen,
          });
        }
      }
    });
  }
  return [...pools.values()].sort((a, b) => `${a.channel}|${a.language}|${a.complexity}`.localeCompare(`${b.channel}|${b.language}|${b.complexity}`));
}

const WIDENING_LABELS: Record<RelaxationWidening, string> = {
  "basic-language": "speakers of the language at basic level",
  "other-channel": "agents of another channel",
};

export function wideningLabel(widen: RelaxationWidening): string {
  return WIDENING_LABELS[widen];
}

/** One sentence for a step, as shown on the settings screen. */
export function describeStep(step: RelaxationStep, channelName: (id: string) => string = (id) => id): string {
  const after = `after ${step.afterMinutes} min without an exact match`;
  if (step.widen === "basic-language") return `${after}: also ${WIDENING_LABELS[step.widen]} (complex cases too)`;
  return `${after}: also agents serving ${step.channels.map(channelName).join(", ")}`;
}
