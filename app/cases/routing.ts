// Who may take which case. Pure eligibility rules: the agent needs the case's
// language and channel skills, volunteers take simple cases only, and nobody
// goes over the per-channel concurrent-case capacity.
//
// Atomicity is NOT this module's job: two agents (or two app instances) asking
// at the same moment are separated by the database, which locks the case it
// hands out with FOR UPDATE SKIP LOCKED (surge_next_cases, called by
// routing.server.ts). routingFilterFor gives the arrays that call needs.
import type { Role } from "@prisma/client";
import { CHANNELS } from "~/reference/channels";
import type { CaseComplexity } from "./case-fields";

export interface RoutingAgent {
  id: string;
  role: Role;
  /** Skill ids such as "channel:whatsapp", "language:nl", "topic:refund-status". */
  skills: readonly string[];
  /** Cases the agent holds right now (assigned, not yet resolved), per channel id. */
  openCasesByChannel: Readonly<Partial<Record<string, number>>>;
}

/** Channel id -> how many cases of that channel one agent handles at once. */
export type ChannelCapacities = Readonly<Partial<Record<string, number>>>;

export interface RoutableCase {
  channelId: string;
  language: string;
  complexity: CaseComplexity;
}

export interface Eligibility {
  ok: boolean;
  reason: string;
}

export interface RoutingFilter {
  /** Channels where the agent has the skill and a free slot. */
  channelIds: string[];
  languages: string[];
  complexities: CaseComplexity[];
}

/** The capacities of app/reference/channels.ts, for when the Channel table has none. */
export const DEFAULT_CHANNEL_CAPACITIES: ChannelCapacities = Object.fromEntries(
  CHANNELS.map((channel) => [channel.id, channel.maxConcurrentPerAgent])
);

const CASE_TAKING_ROLES: readonly Role[] = ["volunteer", "agent", "supervisor"];

export function channelSkill(channelId: string): string {
  return `channel:${channelId}`;
}

export function languageSkill(language: string): string {
  return `language:${language}`;
}

function channelName(channelId: string): string {
  return CHANNELS.find((channel) => channel.id === channelId)?.name ?? channelId;
}

/** Complexities the role may take: volunteers simple only. */
export function complexitiesFor(role: Role): CaseComplexity[] {
  if (!CASE_TAKING_ROLES.includes(role)) return [];
  return role === "volunteer" ? ["simple"] : ["simple", "complex"];
}

/** Free slots per channel; a channel missing from `capacities` has none (it is not routed). */
export function freeSlots(agent: RoutingAgent, channelId: string, capacities: ChannelCapacities): number {
  const capacity = capacities[channelId] ?? 0;
  return Math.max(0, capacity - (agent.openCasesByChannel[channelId] ?? 0));
}

export function agentCanTake(
  agent: RoutingAgent,
  kase: RoutableCase,
  capacities: ChannelCapacities = DEFAULT_CHANNEL_CAPACITIES
): Eligibility {
  const channel = channelName(kase.channelId);
  if (!CASE_TAKING_ROLES.includes(agent.role)) return { ok: false, reason: `A ${agent.role} does not take cases` };
  if (!agent.skills.includes(languageSkill(kase.language)))
    return {
      ok: false,
      reason: `No language skill for "${kase.language}" (${languageSkill(kase.language)})`,
    };
  if (!agent.skills.includes(channelSkill(kase.channelId)))
    return {
      ok: false,
      reason: `No channel skill for ${channel} (${channelSkill(kase.channelId)})`,
    };
  if (!complexitiesFor(agent.role).includes(kase.complexity))
    return {
      ok: false,
      reason: "Volunteers take simple cases only; this case is complex",
    };
  const capacity = capacities[kase.channelId] ?? 0;
  const held = agent.openCasesByChannel[kase.channelId] ?? 0;
  if (held >= capacity)
    return {
      ok: false,
      reason: `At capacity on ${channel}: ${held} of ${capacity} cases open`,
    };
  return {
    ok: true,
    reason: `Has the ${kase.language} and ${channel} skills and ${capacity - held} of ${capacity} ${channel} slots free`,
  };
}

/**
 * The WHERE arguments of the dequeue statement for this agent. Empty arrays
 * mean the agent can take nothing now (no skills, or every channel full).
 */
export function routingFilterFor(agent: RoutingAgent, capacities: ChannelCapacities = DEFAULT_CHANNEL_CAPACITIES): RoutingFilter {
  const complexities = complexitiesFor(agent.role);
  if (complexities.length === 0) return { channelIds: [], languages: [], complexities: [] };
  const channelIds = skillValues(agent.skills, "channel:").filter((channelId) => freeSlots(agent, channelId, capacities) > 0);
  const languages = skillValues(agent.skills, "language:");
  return { channelIds, languages, complexities };
}

function skillValues(skills: readonly string[], prefix: string): string[] {
  const values = skills.filter((skill) => skill.startsWith(prefix)).map((skill) => skill.slice(prefix.length));
  return [...new Set(values)].sort();
}
