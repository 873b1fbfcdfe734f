import { describe, expect, it } from "vitest";
import { averageSpeedOfAnswer, erlangC, serversForServiceLevel, serviceLevel, staffingAdvice, type StaffingInput } from "./staffing";

describe("Erlang C against published worked examples", () => {
  // Call Centre Helper, "Erlang C Formula – Made Simple With an Easy Worked
  // Example" (callcentrehelper.com): 100 calls per half hour, AHT 180 s,
  // 80% answered within 20 s. Traffic intensity 10 Erlangs; starting from
  // 11 agents the probability a call waits is 68.21%; the service level is
  // met with 14 agents (88.84%).
  it("Call Centre Helper: 200 calls an hour of 180 s, 80/20", () => {
    const traffic = (200 * 180) / 3600;
    expect(traffic).toBe(10);
    expect(erlangC(11, traffic)).toBeCloseTo(0.6821, 4);
    expect(serviceLevel(13, traffic, 180, 20)).toBeLessThan(0.8);
    expect(serviceLevel(14, traffic, 180, 20)).toBeCloseTo(0.8884, 4);
    expect(serversForServiceLevel(traffic, 180, 20, 0.8)).toBe(14);
  });

  // Westbay Engineers (erlang.com), forum thread "CCXLService", 12 January
  // 2021: 57 calls an hour lasting 1,110 s with 21 agents give 80.7% within
  // 180 s (CC-Excel and the Westbay Traffic Calculators agree); with a
  // 20-second target, 80% needs 23 agents instead of 21.
  it("Westbay CCXLService: 57 calls an hour of 1,110 s", () => {
    const traffic = (57 * 1110) / 3600;
    expect(serviceLevel(21, traffic, 1110, 180)).toBeCloseTo(0.807, 3);
    expect(serversForServiceLevel(traffic, 1110, 180, 0.8)).toBe(21);
    expect(serversForServiceLevel(traffic, 1110, 20, 0.8)).toBe(23);
  });

  it("agrees with the textbook closed forms for one and two servers (M/M/1: P(wait) = ρ; M/M/2: 2ρ²/(1+ρ))", () => {
    expect(erlangC(1, 0.6)).toBeCloseTo(0.6, 10);
    const rho = 0.7;
    expect(erlangC(2, 2 * rho)).toBeCloseTo((2 * rho * rho) / (1 + rho), 10);
    // M/M/1 mean wait in queue: ρ / (μ − λ); with AHT 60 s and ρ = 0.5: 60 s.
    expect(averageSpeedOfAnswer(1, 0.5, 60)).toBeCloseTo(60, 10);
  });

  it("stays finite for thousands of servers and is 1 when the load reaches the servers", () => {
    expect(erlangC(2000, 1900)).toBeGreaterThan(0);
    expect(erlangC(2000, 1900)).toBeLessThan(1);
    expect(erlangC(10, 10)).toBe(1);
    expect(serviceLevel(10, 12, 180, 20)).toBe(0);
    expect(serversForServiceLevel(0, 180, 20, 0.8)).toBe(0);
  });
});

const live: StaffingInput = {
  model: "erlang_c",
  arrivalsPerHour: 200,
  handleMinutes: 3,
  concurrency: 1,
  targetMinutes: 20 / 60,
  goal: 0.8,
  backlog: 0,
  clearHours: 4,
  occupancy: 0.85,
  agents: 10,
};

describe("concurrency adjustment", () => {
  it("counts slots (agents × concurrent cases) as the servers, so 3 chats each need a third of the agents, rounded up", () => {
    const single = staffingAdvice(live);
    expect(single.agentsForArrivals).toBe(14);
    const three = staffingAdvice({ ...live, concurrency: 3 });
    // 14 slots needed → 5 agents of 3 slots.
    expect(three.agentsForArrivals).toBe(5);
    expect(three.agentsNeeded).toBe(5);
    // 10 agents × 3 slots = 30 servers for 10 Erlangs.
    expect(three.serviceLevel).toBeCloseTo(serviceLevel(30, 10, 180, 20), 10);
    expect(three.occupancy).toBeCloseTo(10 / 30, 10);
    expect(three.gap).toBe(-5);
  });

  it("what-if: more agents raise the service level", () => {
    const now = staffingAdvice({ ...live, agents: 11 });
    const more = staffingAdvice({ ...live, agents: 14 });
    expect(now.serviceLevel).toBeCloseTo(serviceLevel(11, 10, 180, 20), 10);
    expect(more.serviceLevel!).toBeGreaterThan(now.serviceLevel!);
    expect(more.gap).toBe(0);
  });
});

describe("workload model (email-like channels)", () => {
  const email: StaffingInput = { ...live, model: "workload", arrivalsPerHour: 60, handleMinutes: 10, concurrency: 1, occupancy: 0.8, agents: 10 };

  it("needs arrivals × handling time over the target occupancy", () => {
    // 60 an hour × 10 min = 10 agent-hours an hour; at 80% occupancy: 12.5 → 13 agents.
    const advice = staffingAdvice(email);
    expect(advice.traffic).toBeCloseTo(10, 10);
    expect(advice.agentsForArrivals).toBe(13);
    expect(advice.serviceLevel).toBeNull();
    expect(advice.hoursToClear).toBe(0);
  });

  it("adds the agents to clear the backlog in the given hours, and says how long the current agents take", () => {
    // 480 waiting, to clear in 8 h: 60 more an hour at 4.8 per agent-hour → 12.5 → 13 agents.
    const advice = staffingAdvice({ ...email, backlog: 480, clearHours: 8, agents: 20 });
    expect(advice.agentsForBacklog).toBe(13);
    expect(advice.agentsNeeded).toBe(26);
    expect(advice.gap).toBe(6);
    // 20 agents clear 20 × 4.8 − 60 = 36 an hour net: 480 / 36 h.
    expect(advice.hoursToClear).toBeCloseTo(480 / 36, 10);
    expect(staffingAdvice({ ...email, backlog: 480, agents: 5 }).hoursToClear).toBeNull();
  });
});
