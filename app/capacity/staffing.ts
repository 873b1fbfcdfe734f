// Staffing models for the capacity board: how many agents a channel and
// language needs, and what a given number of agents achieves.
//
// Live channels (chat, messaging, social): Erlang C (an M/M/N queue). Each
// agent holds `concurrency` conversations at once, so the servers of the
// queue are slots (agents x concurrency) and the service time is the
// measured wall-clock handling time of one case (assignment to resolution),
// which already includes the slowing down that working several cases brings.
// Email-like channels: a workload model (arrivals and backlog to clear,
// times handling time, over what one agent gets through at a target
// occupancy). Formulas, inputs and limits: docs/capacity.md.

export type StaffingModel = "erlang_c" | "workload";

/**
 * Erlang C: the probability that an arrival waits, for `servers` servers and
 * `traffic` Erlangs of offered load. Computed through the Erlang B recursion
 * (B(0) = 1, B(k) = A·B(k-1) / (k + A·B(k-1))), which needs no factorials
 * and stays exact for thousands of servers.
 */
export function erlangC(servers: number, traffic: number): number {
  if (traffic <= 0) return 0;
  if (servers <= traffic) return 1;
  let b = 1;
  for (let k = 1; k <= servers; k++) b = (traffic * b) / (k + traffic * b);
  return erlangCFromB(servers, traffic, b);
}

function erlangCFromB(servers: number, traffic: number, b: number): number {
  return (servers * b) / (servers - traffic * (1 - b));
}

/** Share answered within `targetSeconds`: 1 − C · e^(−(N − A) · t / AHT). */
export function serviceLevel(servers: number, traffic: number, handleSeconds: number, targetSeconds: number): number {
  if (traffic <= 0) return 1;
  if (servers <= traffic) return 0;
  return serviceLevelFromC(erlangC(servers, traffic), servers, traffic, handleSeconds, targetSeconds);
}

function serviceLevelFromC(c: number, servers: number, traffic: number, handleSeconds: number, targetSeconds: number): number {
  return Math.max(0, 1 - c * Math.exp((-(servers - traffic) * targetSeconds) / handleSeconds));
}

/** Average speed of answer (seconds): C · AHT / (N − A); infinite when N ≤ A. */
export function averageSpeedOfAnswer(servers: number, traffic: number, handleSeconds: number): number {
  if (traffic <= 0) return 0;
  if (servers <= traffic) return Number.POSITIVE_INFINITY;
  return (erlangC(servers, traffic) * handleSeconds) / (servers - traffic);
}

/**
 * The fewest servers that reach `goal` (0..1) within `targetSeconds`, and at
 * most `maxOccupancy` busy. One pass of the Erlang B recursion: O(answer).
 */
export function serversForServiceLevel(traffic: number, handleSeconds: number, targetSeconds: number, goal: number, maxOccupancy = 1): number {
  if (traffic <= 0) return 0;
  let b = 1;
  for (let n = 1; ; n++) {
    b = (traffic * b) / (n + traffic * b);
    if (n <= traffic || traffic / n > maxOccupancy) continue;
    const c = erlangCFromB(n, traffic, b);
    if (serviceLevelFromC(c, n, traffic, handleSeconds, targetSeconds) >= goal) return n;
  }
}

export interface StaffingInput {
  model: StaffingModel;
  /** Cases arriving per hour. */
  arrivalsPerHour: number;
  /** Wall-clock minutes from assignment to resolution of one case. */
  handleMinutes: number;
  /** Cases one agent works at once on this channel. */
  concurrency: number;
  /** First reply target (minutes): Erlang C's answer time. */
  targetMinutes: number;
  /** Share of cases to answer within the target (0..1). */
  goal: number;
  /** Cases waiting now, and the hours to clear them in (0: do not plan to clear the backlog). */
  backlog: number;
  clearHours: number;
  /** Workload model: share of an agent's time spent on cases (0..1). */
  occupancy: number;
  /** Agents available (online now, or the what-if's number). */
  agents: number;
}

export interface StaffingAdvice {
  model: StaffingModel;
  /** Offered load in Erlangs (slots busy on average): arrivals per hour × handling hours. */
  traffic: number;
  /** Agents for the arrivals alone (Erlang C, or workload), and for clearing the backlog. */
  agentsForArrivals: number;
  agentsForBacklog: number;
  agentsNeeded: number;
  /** agentsNeeded − agents (positive: short). */
  gap: number;
  /** What `agents` achieve: service level (Erlang C; null for workload) and occupancy of their slots. */
  serviceLevel: number | null;
  occupancy: number;
  /** Hours the given agents need to clear the backlog while arrivals continue (null: never at this rate). */
  hoursToClear: number | null;
}

/** Agents to clear `backlog` in `clearHours` at `perAgentPerHour` cases each. */
function backlogAgents(backlog: number, clearHours: number, perAgentPerHour: number): number {
  if (backlog <= 0 || clearHours <= 0 || perAgentPerHour <= 0) return 0;
  return Math.ceil(backlog / clearHours / perAgentPerHour);
}

export function staffingAdvice(input: StaffingInput): StaffingAdvice {
  const concurrency = Math.max(1, input.concurrency);
  const handleHours = Math.max(input.handleMinutes, 0.01) / 60;
  const traffic = Math.max(0, input.arrivalsPerHour) * handleHours;
  const slots = Math.max(0, input.agents) * concurrency;
  const occupancyTarget = Math.min(1, Math.max(0.05, input.occupancy));
  let agentsForArrivals: number;
  let level: number | null = null;
  let perAgentPerHour: number;
  if (input.model === "erlang_c") {
    const handleSeconds = handleHours * 3600;
    const slotsNeeded = serversForServiceLevel(traffic, handleSeconds, input.targetMinutes * 60, Math.min(0.999, Math.max(0, input.goal)));
    agentsForArrivals = Math.ceil(slotsNeeded / concurrency);
    level = serviceLevel(slots, traffic, handleSeconds, input.targetMinutes * 60);
    // Clearing a backlog runs the slots flat out: each slot finishes 1/handleHours cases an hour.
    perAgentPerHour = concurrency / handleHours;
  } else {
    perAgentPerHour = (concurrency * occupancyTarget) / handleHours;
    agentsForArrivals = Math.ceil(input.arrivalsPerHour / perAgentPerHour - 1e-9);
  }
  const agentsForBacklog = backlogAgents(input.backlog, input.clearHours, perAgentPerHour);
  const agentsNeeded = agentsForArrivals + agentsForBacklog;
  const spare = input.agents * perAgentPerHour - input.arrivalsPerHour;
  return {
    model: input.model,
    traffic,
    agentsForArrivals,
    agentsForBacklog,
    agentsNeeded,
    gap: agentsNeeded - input.agents,
    serviceLevel: level,
    occupancy: slots > 0 ? Math.min(1, traffic / slots) : traffic > 0 ? 1 : 0,
    hoursToClear: input.backlog <= 0 ? 0 : spare > 0 ? input.backlog / spare : null,
  };
}
