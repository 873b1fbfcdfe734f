import { describe, expect, it } from "vitest";
import { describeStep, parseRelaxationSettings, relaxedPoolsFor, type RelaxationAgent, type RelaxationSettings } from "./relaxation";
import { routingFilterFor } from "./routing";

const now = new Date("2026-12-05T12:00:00.000Z");
const minutesAgo = (minutes: number) => new Date(now.getTime() - minutes * 60_000).toISOString();

const expert: RelaxationAgent = {
  role: "agent",
  channels: ["messenger"],
  languages: ["en", "nl"],
  basicLanguages: ["nl"],
  complexities: ["simple", "complex"],
};

const twoSteps: RelaxationSettings = {
  whatsapp: {
    enabled: true,
    steps: [
      { widen: "basic-language", afterMinutes: 10 },
      { widen: "other-channel", afterMinutes: 30, channels: ["messenger"] },
    ],
  },
  messenger: { enabled: true, steps: [{ widen: "basic-language", afterMinutes: 15 }] },
};

describe("relaxedPoolsFor", () => {
  it("opens nothing while relaxation is off (the default) or disabled for the channel", () => {
    expect(relaxedPoolsFor(expert, {}, now)).toEqual([]);
    expect(relaxedPoolsFor(expert, { messenger: { enabled: false, steps: [{ widen: "basic-language", afterMinutes: 5 }] } }, now)).toEqual([]);
  });

  it("step 1 (basic language) opens the complex cases of a language spoken at basic level, on the agent's own channel", () => {
    expect(relaxedPoolsFor(expert, { messenger: twoSteps.messenger }, now)).toEqual([
      { channel: "messenger", language: "nl", complexity: "complex", before: minutesAgo(15), step: 1, widen: "basic-language" },
    ]);
  });

  it("steps add up and each pool opens at the first step that allows it", () => {
    expect(relaxedPoolsFor(expert, { whatsapp: twoSteps.whatsapp }, now)).toEqual([
      // Step 2 (another channel's agents) opens every whatsapp case the agent could take on messenger ...
      { channel: "whatsapp", language: "en", complexity: "complex", before: minutesAgo(30), step: 2, widen: "other-channel" },
      { channel: "whatsapp", language: "en", complexity: "simple", before: minutesAgo(30), step: 2, widen: "other-channel" },
      // ... and keeps what step 1 allowed (complex in a basic language).
      { channel: "whatsapp", language: "nl", complexity: "complex", before: minutesAgo(30), step: 2, widen: "other-channel" },
      { channel: "whatsapp", language: "nl", complexity: "simple", before: minutesAgo(30), step: 2, widen: "other-channel" },
    ]);
  });

  it("never lists exact matches, and never widens a volunteer's pool", () => {
    const fluent = { ...expert, basicLanguages: [] };
    expect(relaxedPoolsFor(fluent, { messenger: twoSteps.messenger }, now)).toEqual([]);
    const volunteer: RelaxationAgent = { ...expert, role: "volunteer", complexities: ["simple"] };
    expect(relaxedPoolsFor(volunteer, twoSteps, now)).toEqual([]);
  });

  it("an agent serving neither the case's channel nor a listed one gets nothing", () => {
    expect(relaxedPoolsFor({ ...expert, channels: ["email"] }, twoSteps, now)).toEqual([]);
  });

  it("routingFilterFor passes the pools on, only for channels with a free slot", () => {
    const agent = { id: "a", role: "agent" as const, skills: ["channel:messenger", "language:nl"], basicLanguages: ["nl"], openCasesByChannel: {} };
    const open = routingFilterFor(agent, { messenger: 3, whatsapp: 3 }, { relaxation: twoSteps, now });
    expect(open.relaxed.map((pool) => `${pool.channel}/${pool.complexity}/${pool.step}`)).toEqual(["messenger/complex/1", "whatsapp/complex/2", "whatsapp/simple/2"]);
    const whatsappFull = routingFilterFor({ ...agent, openCasesByChannel: { whatsapp: 3 } }, { messenger: 3, whatsapp: 3 }, { relaxation: twoSteps, now });
    expect(whatsappFull.relaxed.map((pool) => pool.channel)).toEqual(["messenger"]);
  });
});

describe("parseRelaxationSettings", () => {
  it("accepts the steps a supervisor sets", () => {
    expect(parseRelaxationSettings(twoSteps)).toEqual({ ok: true, value: twoSteps });
    expect(parseRelaxationSettings({})).toEqual({ ok: true, value: {} });
  });

  it("lists every problem with its path", () => {
    const result = parseRelaxationSettings({
      whatsapp: {
        enabled: true,
        steps: [
          { widen: "other-channel", afterMinutes: 20, channels: ["whatsapp"] },
          { widen: "basic-language", afterMinutes: 20 },
        ],
      },
      email: { enabled: true, steps: [] },
      pigeon: { enabled: false, steps: [] },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual(
      expect.arrayContaining([
        "whatsapp.steps.0.channels: Another channel, not the case's own",
        "whatsapp.steps.1.afterMinutes: Each step waits longer than the one before",
        "email.enabled: Add a step before turning relaxation on",
      ]),
    );
    expect(result.problems.some((problem) => problem.includes('"pigeon"'))).toBe(true);
  });

  it("refuses waits under a minute or over a week, and more than three steps", () => {
    expect(parseRelaxationSettings({ email: { enabled: false, steps: [{ widen: "basic-language", afterMinutes: 0 }] } }).ok).toBe(false);
    expect(parseRelaxationSettings({ email: { enabled: false, steps: [{ widen: "basic-language", afterMinutes: 10_081 }] } }).ok).toBe(false);
    const four = [1, 2, 3, 4].map((afterMinutes) => ({ widen: "basic-language", afterMinutes }));
    expect(parseRelaxationSettings({ email: { enabled: true, steps: four } }).ok).toBe(false);
  });
});

describe("describeStep", () => {
  it("says what each step widens and after how long", () => {
    expect(describeStep({ widen: "basic-language", afterMinutes: 10 })).toBe(
      "after 10 min without an exact match: also speakers of the language at basic level (complex cases too)",
    );
    expect(describeStep({ widen: "other-channel", afterMinutes: 30, channels: ["messenger", "line"] }, (id) => id.toUpperCase())).toBe(
      "after 30 min without an exact match: also agents serving MESSENGER, LINE",
    );
  });
});
