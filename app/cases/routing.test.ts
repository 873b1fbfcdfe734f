import { describe, expect, it } from "vitest";
import { DEFAULT_ESCALATION_LEVELS } from "~/escalation/levels";
import { DEFAULT_CHANNEL_CAPACITIES, agentCanTake, dequeueRequestFor, escalationLevelsFor, isPresent, routingFilterFor, takeConditionsFor, takingRefusal, type RoutingAgent } from "./routing";

function anAgent(overrides: Partial<RoutingAgent> = {}): RoutingAgent {
  return {
    id: "u1",
    role: "volunteer",
    volunteerStatus: "certified",
    skills: ["language:nl", "language:en", "channel:whatsapp", "channel:email", "topic:refund-status"],
    openCasesByChannel: {},
    ...overrides,
  };
}

const capacities = { whatsapp: 3, email: 1, x: 2 };
const simpleDutchWhatsApp = { channelId: "whatsapp", language: "nl", complexity: "simple" } as const;

describe("agentCanTake", () => {
  it("lets a volunteer with the language and channel skills take a simple case", () => {
    expect(agentCanTake(anAgent(), simpleDutchWhatsApp, capacities)).toEqual({
      ok: true,
      reason: "Has the nl and WhatsApp skills and 3 of 3 WhatsApp slots free",
    });
  });

  it("requires the language skill and the channel skill", () => {
    expect(agentCanTake(anAgent(), { ...simpleDutchWhatsApp, language: "fr" }, capacities)).toEqual({
      ok: false,
      reason: 'No language skill for "fr" (language:fr)',
    });
    expect(agentCanTake(anAgent(), { ...simpleDutchWhatsApp, channelId: "x" }, capacities)).toEqual({
      ok: false,
      reason: "No channel skill for X (Twitter) (channel:x)",
    });
  });

  it("keeps complex cases from volunteers but not from agents", () => {
    const complexCase = { ...simpleDutchWhatsApp, complexity: "complex" } as const;
    expect(agentCanTake(anAgent(), complexCase, capacities)).toEqual({
      ok: false,
      reason: "Volunteers take simple cases only; this case is complex",
    });
    expect(agentCanTake(anAgent({ role: "agent" }), complexCase, capacities).ok).toBe(true);
    // Supervisors assign cases; the ability gives them no "take", and neither does routing.
    expect(agentCanTake(anAgent({ role: "supervisor" }), complexCase, capacities).ok).toBe(false);
  });

  it("refuses planners and admins, who do not work cases", () => {
    expect(agentCanTake(anAgent({ role: "planner" }), simpleDutchWhatsApp, capacities)).toEqual({
      ok: false,
      reason: "A planner does not take cases.",
    });
  });

  it("stops at the channel capacity: 3 chats, 1 email", () => {
    const busy = anAgent({ openCasesByChannel: { whatsapp: 2, email: 1 } });
    expect(agentCanTake(busy, simpleDutchWhatsApp, capacities).ok).toBe(true);
    const full = anAgent({ openCasesByChannel: { whatsapp: 3 } });
    expect(agentCanTake(full, simpleDutchWhatsApp, capacities)).toEqual({
      ok: false,
      reason: "At capacity on WhatsApp: 3 of 3 cases open",
    });
    expect(agentCanTake(busy, { ...simpleDutchWhatsApp, channelId: "email" }, capacities).reason).toBe(
      "At capacity on Email: 1 of 1 cases open",
    );
  });

  it("treats a channel without a configured capacity as closed and defaults to the reference capacities", () => {
    expect(agentCanTake(anAgent(), simpleDutchWhatsApp, { email: 1 }).ok).toBe(false);
    expect(DEFAULT_CHANNEL_CAPACITIES).toMatchObject({ whatsapp: 3, facebook: 2, email: 1 });
    expect(agentCanTake(anAgent({ openCasesByChannel: { whatsapp: 2 } }), simpleDutchWhatsApp).ok).toBe(true);
  });
});

describe("routingFilterFor", () => {
  it("lists skilled channels with free capacity, the languages and the allowed complexities", () => {
    expect(routingFilterFor(anAgent({ openCasesByChannel: { email: 1 } }), capacities)).toEqual({
      channelIds: ["whatsapp"],
      languages: ["en", "nl"],
      complexities: ["simple"],
      basicLanguages: [],
      blockedTopics: [],
      escalationLevels: [],
      escalationsFirst: false,
      relaxed: [],
    });
    expect(routingFilterFor(anAgent({ role: "agent", basicLanguages: ["nl"], missingTopics: ["refund-status"] }), capacities)).toEqual({
      channelIds: ["email", "whatsapp"],
      languages: ["en", "nl"],
      complexities: ["simple", "complex"],
      basicLanguages: ["nl"],
      // Experienced agents are not gated by topic.
      blockedTopics: [],
      escalationLevels: [],
      escalationsFirst: false,
      relaxed: [],
    });
  });

  it("agrees with agentCanTake for every channel, language and complexity", () => {
    const agent = anAgent({ openCasesByChannel: { whatsapp: 3 } });
    const filter = routingFilterFor(agent, capacities);
    for (const channelId of ["whatsapp", "email", "x"])
      for (const language of ["nl", "en", "fr"])
        for (const complexity of ["simple", "complex"] as const) {
          const inFilter =
            filter.channelIds.includes(channelId) &&
            filter.languages.includes(language) &&
            filter.complexities.includes(complexity);
          expect(agentCanTake(agent, { channelId, language, complexity }, capacities).ok).toBe(inFilter);
        }
  });

  it("gives an empty filter to an agent with every channel full or no case-taking role", () => {
    expect(routingFilterFor(anAgent({ openCasesByChannel: { whatsapp: 3, email: 1 } }), capacities).channelIds).toEqual([]);
    expect(routingFilterFor(anAgent({ role: "admin" }), capacities)).toEqual({
      channelIds: [],
      languages: [],
      complexities: [],
      basicLanguages: [],
      blockedTopics: [],
      escalationLevels: [],
      escalationsFirst: false,
      relaxed: [],
    });
  });
});

describe("escalations in routing", () => {
  const levels = DEFAULT_ESCALATION_LEVELS;

  it("gives an experienced agent the escalation levels up to their own, and volunteers none", () => {
    expect(routingFilterFor(anAgent({ role: "agent" }), capacities, { escalationLevels: levels }).escalationLevels).toEqual([1]);
    expect(routingFilterFor(anAgent(), capacities, { escalationLevels: levels }).escalationLevels).toEqual([]);
    // Even when a supervisor put volunteers into a level, they never take escalated cases.
    const withVolunteers = [{ level: 1, name: "Everyone", roles: ["volunteer", "agent"] as const }, ...levels.slice(1)];
    expect(escalationLevelsFor({ role: "volunteer", volunteerStatus: "active" }, withVolunteers)).toEqual([]);
    // Agents configured at level 2 take levels 1 and 2.
    expect(escalationLevelsFor({ role: "agent" }, [{ level: 1, name: "a", roles: [] }, { level: 2, name: "b", roles: ["agent"] }])).toEqual([1, 2]);
    expect(escalationLevelsFor({ role: "admin" }, levels)).toEqual([]);
  });

  it("passes the escalations-first setting through", () => {
    expect(routingFilterFor(anAgent({ role: "agent" }), capacities, { escalationLevels: levels, escalationsFirst: true }).escalationsFirst).toBe(true);
  });

  it("sends the dequeue an experienced agent's escalation levels and setting, and a volunteer's request without them", () => {
    const expert = routingFilterFor(anAgent({ role: "agent" }), capacities, { escalationLevels: levels, escalationsFirst: true });
    expect(dequeueRequestFor("u1", expert)).toEqual({
      agent: "u1",
      channels: expert.channelIds,
      languages: ["en", "nl"],
      complexities: ["simple", "complex"],
      basicLanguages: [],
      blockedTopics: [],
      escalationLevels: [1],
      escalationsFirst: true,
    });
    const volunteer = dequeueRequestFor("u1", routingFilterFor(anAgent(), capacities, { escalationLevels: levels, escalationsFirst: true }));
    expect(volunteer).not.toHaveProperty("escalationLevels");
    expect(volunteer).not.toHaveProperty("escalationsFirst");
    expect(volunteer).not.toHaveProperty("relaxed");
    expect(volunteer.complexities).toEqual(["simple"]);
  });
});

describe("presence", () => {
  const now = new Date("2026-12-05T10:00:00Z");
  it("is online by choice and heard from within the silence", () => {
    expect(isPresent({ online: true, lastSeenAt: new Date("2026-12-05T09:59:30Z") }, now, 60_000)).toBe(true);
    expect(isPresent({ online: true, lastSeenAt: new Date("2026-12-05T09:59:00Z") }, now, 60_000)).toBe(true);
    expect(isPresent({ online: true, lastSeenAt: new Date("2026-12-05T09:58:59Z") }, now, 60_000)).toBe(false);
    expect(isPresent({ online: false, lastSeenAt: now }, now, 60_000)).toBe(false);
    expect(isPresent(null, now, 60_000)).toBe(false);
  });
});

describe("the gates training opens", () => {
  const refundCase = { ...simpleDutchWhatsApp, topics: ["refund-status"] };

  it("gives a volunteer nothing before certification, and nothing while paused", () => {
    for (const volunteerStatus of ["invited", "training", null] as const) {
      expect(agentCanTake(anAgent({ volunteerStatus }), simpleDutchWhatsApp, capacities).ok).toBe(false);
      expect(routingFilterFor(anAgent({ volunteerStatus }), capacities).complexities).toEqual([]);
    }
    expect(takingRefusal(anAgent({ volunteerStatus: "training" }))?.reason).toBe("not_certified");
    expect(takingRefusal(anAgent({ volunteerStatus: "paused" }))?.reason).toBe("not_allowed");
    expect(takingRefusal(anAgent({ volunteerStatus: "active" }))).toBeNull();
  });

  it("keeps a topic from a volunteer who lacks its skill, and only from volunteers", () => {
    const lacking = anAgent({ missingTopics: ["refund-status", "voucher"] });
    expect(agentCanTake(lacking, refundCase, capacities)).toEqual({ ok: false, reason: 'Topic "refund-status" needs a skill from training' });
    expect(agentCanTake(lacking, { ...refundCase, topics: ["baggage-status"] }, capacities).ok).toBe(true);
    expect(agentCanTake(anAgent(), refundCase, capacities).ok).toBe(true);
    expect(agentCanTake({ ...lacking, role: "agent" }, refundCase, capacities).ok).toBe(true);
    expect(routingFilterFor(lacking, capacities).blockedTopics).toEqual(["refund-status", "voucher"]);
  });

  it("limits a language spoken at basic level to simple cases", () => {
    const agent = anAgent({ role: "agent", basicLanguages: ["nl"] });
    expect(agentCanTake(agent, simpleDutchWhatsApp, capacities).ok).toBe(true);
    expect(agentCanTake(agent, { ...simpleDutchWhatsApp, complexity: "complex" }, capacities).reason).toMatch(/Basic nl only/);
    expect(agentCanTake(agent, { ...simpleDutchWhatsApp, language: "en", complexity: "complex" }, capacities).ok).toBe(true);
    expect(takeConditionsFor(agent).allowed).toEqual([
      { channelId: { in: ["email", "whatsapp"] }, language: { in: ["en"] }, complexity: { in: ["simple", "complex"] } },
      { channelId: { in: ["email", "whatsapp"] }, language: { in: ["nl"] }, complexity: { in: ["simple"] } },
    ]);
  });
});
