// Who may take which case: every routing rule, named once. The ability
// (app/permissions/ability.ts), "Next case" (routing.server.ts and the
// surge_next_cases SQL function, which gets its lists from routingFilterFor),
// manual assignment and the bot all derive from the functions here.
//
//   * roles: volunteers and agents take cases (CASE_TAKING_ROLES);
//   * certification: a volunteer takes cases only once every required
//     training module is passed (status certified or active);
//   * skills: the case's language and channel skills;
//   * complexity: volunteers take simple cases only, and anybody speaking a
//     language at basic level takes only simple cases in it;
//   * topics: a volunteer takes a case only when they hold the skill of every
//     topic it carries (the Topic table maps topics to skills);
//   * capacity: nobody goes over the per-channel concurrent-case limit,
//     counting cases in SLOT_STATUSES;
//   * escalations: someone who works at escalation level L >= 1 also takes
//     escalated cases waiting at levels 1..L, in one priority order with the
//     open cases (or before them, with the "escalations first" setting);
//     volunteers never do (escalationLevelsFor);
//   * relaxation: cases that waited long enough reach a wider pool
//     (relaxation.ts, relaxedPoolsFor);
//   * presence: an agent whose heartbeat lapsed is offline (isPresent).
//
// Atomicity is NOT this module's job: two agents (or two app instances) asking
// at the same moment are separated by the database, which locks the case it
// hands out with FOR UPDATE SKIP LOCKED.
import type { Role, VolunteerStatus } from "@prisma/client";
import { CHANNELS } from "~/reference/channels";
import { levelOfRole, levelsWorkedBy, type EscalationLevelDef } from "~/escalation/levels";
import type { CaseComplexity } from "./case-fields";
import { relaxedPoolsFor, type RelaxationSettings, type RelaxedPool } from "./relaxation";

export interface RoutingAgent {
  id: string;
  role: Role;
  /** The volunteer profile's status; null or absent for staff. */
  volunteerStatus?: VolunteerStatus | null;
  /** Skill ids such as "channel:whatsapp", "language:nl", "topic:refunds". */
  skills: readonly string[];
  /** Languages whose skill is held at basic proficiency. */
  basicLanguages?: readonly string[];
  /** Topics whose skill (Topic.skillId) the agent does not hold. */
  missingTopics?: readonly string[];
  /** Cases the agent holds right now (assigned, not yet resolved), per channel id. */
  openCasesByChannel: Readonly<Partial<Record<string, number>>>;
}

/** Channel id -> how many cases of that channel one agent handles at once. */
export type ChannelCapacities = Readonly<Partial<Record<string, number>>>;

export interface RoutableCase {
  channelId: string;
  language: string;
  complexity: CaseComplexity;
  topics?: readonly string[];
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
  /** Of `languages`, those taken in simple cases only. */
  basicLanguages: string[];
  /** Cases carrying any of these topics are not for the agent. */
  blockedTopics: string[];
  /** Escalation levels whose waiting escalated cases the agent takes (empty: none). */
  escalationLevels: number[];
  /** Whether escalated cases come before open ones (the supervisor's setting). */
  escalationsFirst: boolean;
  /** Pools opened by skill relaxation (cases that waited long enough). */
  relaxed: RelaxedPool[];
}

/** What routing needs beyond the agent: supervisor settings and the escalation levels. */
export interface RoutingContext {
  escalationLevels?: readonly EscalationLevelDef[];
  escalationsFirst?: boolean;
  relaxation?: RelaxationSettings;
  now?: Date;
}

/** The capacities of app/reference/channels.ts, for when the Channel table has none. */
export const DEFAULT_CHANNEL_CAPACITIES: ChannelCapacities = Object.fromEntries(
  CHANNELS.map((channel) => [channel.id, channel.maxConcurrentPerAgent])
);

/** Roles that take cases ("Next case", manual assignment). Supervisors assign, they do not take. */
export const CASE_TAKING_ROLES: readonly Role[] = ["volunteer", "agent"];

/** A volunteer in one of these statuses has passed every required module and is not paused or released. */
export const CASE_TAKING_VOLUNTEER_STATUSES: readonly VolunteerStatus[] = ["certified", "active"];

/** Case statuses that take one of the agent's slots on the case's channel. */
export const SLOT_STATUSES = ["assigned", "on_hold"] as const;

export function channelSkill(channelId: string): string {
  return `channel:${channelId}`;
}

export function languageSkill(language: string): string {
  return `language:${language}`;
}

function channelName(channelId: string): string {
  return CHANNELS.find((channel) => channel.id === channelId)?.name ?? channelId;
}

export type TakingRefusal = { reason: "not_allowed" | "not_certified"; message: string };

/** Why this person may not take cases at all, or null when they may. */
export function takingRefusal(agent: Pick<RoutingAgent, "role" | "volunteerStatus">): TakingRefusal | null {
  if (!CASE_TAKING_ROLES.includes(agent.role)) return { reason: "not_allowed", message: `A ${agent.role} does not take cases.` };
  if (agent.role === "volunteer" && !CASE_TAKING_VOLUNTEER_STATUSES.includes(agent.volunteerStatus ?? "invited")) {
    if (agent.volunteerStatus === "paused" || agent.volunteerStatus === "released")
      return { reason: "not_allowed", message: `Your volunteer account is ${agent.volunteerStatus}, so you take no cases.` };
    return { reason: "not_certified", message: "You take cases once you have passed every required training module." };
  }
  return null;
}

/** Complexities the role may take: volunteers simple only. */
export function complexitiesFor(role: Role): CaseComplexity[] {
  if (!CASE_TAKING_ROLES.includes(role)) return [];
  return role === "volunteer" ? ["simple"] : ["simple", "complex"];
}

/** Whether cases are gated by topic skills for this role (experienced agents take every topic). */
export function topicsGated(role: Role): boolean {
  return role === "volunteer";
}

/**
 * The escalation levels whose queues the agent takes from: 1..their level
 * (levelOfRole of the configured levels). Volunteers never take escalated
 * cases, whatever the levels say.
 */
export function escalationLevelsFor(agent: Pick<RoutingAgent, "role" | "volunteerStatus">, levels: readonly EscalationLevelDef[]): number[] {
  if (agent.role === "volunteer" || takingRefusal(agent)) return [];
  return levelsWorkedBy(levelOfRole(agent.role, levels), levels);
}

/** Presence: online by choice and heard from (a heartbeat, a request) within the silence allowed. */
export function isPresent(presence: { online: boolean; lastSeenAt: Date } | null | undefined, now: Date, silenceMs: number): boolean {
  return Boolean(presence?.online) && now.getTime() - presence!.lastSeenAt.getTime() <= silenceMs;
}

/** Free slots per channel; a channel missing from `capacities` has none (it is not routed). */
export function freeSlots(agent: RoutingAgent, channelId: string, capacities: ChannelCapacities): number {
  const capacity = capacities[channelId] ?? 0;
  return Math.max(0, capacity - (agent.openCasesByChannel[channelId] ?? 0));
}

function blockedTopicsOf(agent: RoutingAgent): string[] {
  return topicsGated(agent.role) ? [...new Set(agent.missingTopics ?? [])].sort() : [];
}

export function agentCanTake(
  agent: RoutingAgent,
  kase: RoutableCase,
  capacities: ChannelCapacities = DEFAULT_CHANNEL_CAPACITIES
): Eligibility {
  const channel = channelName(kase.channelId);
  const refusal = takingRefusal(agent);
  if (refusal) return { ok: false, reason: refusal.message.replace(/^Your/, "The") };
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
  if (kase.complexity !== "simple" && (agent.basicLanguages ?? []).includes(kase.language))
    return {
      ok: false,
      reason: `Basic ${kase.language} only: simple cases in this language; this case is complex`,
    };
  const blocked = blockedTopicsOf(agent).filter((topic) => (kase.topics ?? []).includes(topic));
  if (blocked.length > 0)
    return {
      ok: false,
      reason: `Topic ${blocked.map((topic) => `"${topic}"`).join(", ")} needs a skill from training`,
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
 * mean the agent can take nothing now (not allowed, no skills, or every
 * channel full).
 */
export function routingFilterFor(
  agent: RoutingAgent,
  capacities: ChannelCapacities = DEFAULT_CHANNEL_CAPACITIES,
  context: RoutingContext = {},
): RoutingFilter {
  const complexities = takingRefusal(agent) ? [] : complexitiesFor(agent.role);
  const escalationsFirst = context.escalationsFirst ?? false;
  if (complexities.length === 0)
    return { channelIds: [], languages: [], complexities: [], basicLanguages: [], blockedTopics: [], escalationLevels: [], escalationsFirst, relaxed: [] };
  const channelIds = skillValues(agent.skills, "channel:").filter((channelId) => freeSlots(agent, channelId, capacities) > 0);
  const languages = skillValues(agent.skills, "language:");
  const basicLanguages = [...new Set(agent.basicLanguages ?? [])].filter((language) => languages.includes(language)).sort();
  const relaxed = context.relaxation
    ? relaxedPoolsFor(
        { role: agent.role, channels: skillValues(agent.skills, "channel:"), languages, basicLanguages, complexities },
        context.relaxation,
        context.now ?? new Date(),
      ).filter((pool) => freeSlots(agent, pool.channel, capacities) > 0)
    : [];
  return {
    channelIds,
    languages,
    complexities,
    basicLanguages,
    blockedTopics: blockedTopicsOf(agent),
    escalationLevels: escalationLevelsFor(agent, context.escalationLevels ?? []),
    escalationsFirst,
    relaxed,
  };
}

export interface DequeueRequest {
  agent: string;
  /** The agent's channel skills; the database keeps only those with a free slot. */
  channels: string[];
  languages: string[];
  complexities: CaseComplexity[];
  /** Languages taken in simple cases only (basic proficiency). */
  basicLanguages?: string[];
  /** Cases with any of these topics are skipped (topic skill missing). */
  blockedTopics?: string[];
  /** Escalation levels whose waiting escalated cases the agent takes too (experts). */
  escalationLevels?: number[];
  /** Escalated cases before open ones (the supervisor's setting). */
  escalationsFirst?: boolean;
  /** Pools opened by skill relaxation. */
  relaxed?: RelaxedPool[];
}

/**
 * What the dequeue is sent for one agent, from their routing filter: the
 * one place the request is built (the bench's bare-dequeue baseline sends
 * the very same request). Optional parts are left out when empty, so a
 * volunteer's request stays small.
 */
export function dequeueRequestFor(agent: string, filter: RoutingFilter): DequeueRequest {
  return {
    agent,
    channels: filter.channelIds,
    languages: filter.languages,
    complexities: filter.complexities,
    basicLanguages: filter.basicLanguages,
    blockedTopics: filter.blockedTopics,
    ...(filter.escalationLevels.length ? { escalationLevels: filter.escalationLevels, escalationsFirst: filter.escalationsFirst } : {}),
    ...(filter.relaxed.length ? { relaxed: filter.relaxed } : {}),
  };
}

/**
 * The same rules as conditions on Case rows, for the ability's "take" rules:
 * one condition object per group of languages, and the topics to refuse.
 * Capacity is left out (it depends on other rows; the dequeue checks it).
 */
export function takeConditionsFor(agent: RoutingAgent): {
  allowed: { channelId: { in: string[] }; language: { in: string[] }; complexity: { in: CaseComplexity[] } }[];
  blockedTopics: string[];
} {
  const filter = routingFilterFor({ ...agent, openCasesByChannel: {} }, Object.fromEntries(skillValues(agent.skills, "channel:").map((id) => [id, 1])));
  if (filter.complexities.length === 0) return { allowed: [], blockedTopics: [] };
  const fluent = filter.languages.filter((language) => !filter.basicLanguages.includes(language));
  const allowed = [];
  if (fluent.length) allowed.push({ channelId: { in: filter.channelIds }, language: { in: fluent }, complexity: { in: filter.complexities } });
  if (filter.basicLanguages.length)
    allowed.push({ channelId: { in: filter.channelIds }, language: { in: filter.basicLanguages }, complexity: { in: ["simple" as const] } });
  // No skills yet still means "may ask for a case" (and be told why there is none).
  if (allowed.length === 0) allowed.push({ channelId: { in: [] }, language: { in: [] }, complexity: { in: [] } });
  return { allowed, blockedTopics: filter.blockedTopics };
}

function skillValues(skills: readonly string[], prefix: string): string[] {
  const values = skills.filter((skill) => skill.startsWith(prefix)).map((skill) => skill.slice(prefix.length));
  return [...new Set(values)].sort();
}
