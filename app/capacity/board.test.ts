import { describe, expect, it } from "vitest";
import { evaluateThresholds } from "./alerts";
import { buildBoard, type BoardInput } from "./board";
import { serviceLevel } from "./staffing";

const now = new Date("2026-12-05T10:30:00Z");
const base: BoardInput = {
  now,
  channels: [
    { id: "whatsapp", name: "WhatsApp", kind: "messaging", concurrency: 3 },
    { id: "email", name: "Email", kind: "email", concurrency: 1 },
  ],
  open: [
    { channelId: "whatsapp", language: "nl", waiting: 40, withAgent: 5, escalated: 2, oldestWaitingAt: new Date("2026-12-05T09:00:00Z") },
    { channelId: "email", language: "en", waiting: 100, withAgent: 1, escalated: 0, oldestWaitingAt: new Date("2026-12-04T10:30:00Z") },
  ],
  recent: [
    { channelId: "whatsapp", language: "nl", arrivals15: 30, arrivals60: 120, deflected60: 6, resolved60: 50, met60: 6, missed60: 4, targetMinutes: 15 },
    { channelId: "email", language: "en", arrivals15: 5, arrivals60: 12, deflected60: 0, resolved60: 10, met60: 9, missed60: 0, targetMinutes: 240 },
  ],
  handle: [{ channelId: "whatsapp", language: "nl", handled: 100, handleSeconds: 100 * 600 }],
  agents: [
    { userId: "a", channels: ["whatsapp"], languages: ["nl", "en"], heldByChannel: { whatsapp: 3 } },
    { userId: "b", channels: ["whatsapp", "email"], languages: ["nl"], heldByChannel: { whatsapp: 1 } },
    { userId: "c", channels: ["email"], languages: ["en"], heldByChannel: { email: 1 } },
  ],
  history: { arrivals: new Map([["whatsapp|nl", Array.from({ length: 48 }, () => 100)]]), yesterdayStart: 24 },
};

describe("capacity board", () => {
  const board = buildBoard(base);
  const wa = board.rows.find((r) => r.key === "whatsapp|nl")!;
  const email = board.rows.find((r) => r.key === "email|en")!;

  it("counts each row's cases, agents, slots and service level", () => {
    expect(wa).toMatchObject({ open: 47, waiting: 40, escalated: 2, oldestWaitMinutes: 90, arrivals15: 30, arrivals60: 120, agentsOnline: 2, slots: 6, freeSlots: 2 });
    expect(wa.occupancy).toBeCloseTo(4 / 6, 10);
    expect(wa.serviceLevel).toBeCloseTo(0.6, 10);
    expect(email).toMatchObject({ open: 101, agentsOnline: 1, slots: 1, freeSlots: 0, oldestWaitMinutes: 24 * 60, serviceLevel: 1 });
  });

  it("advises with Erlang C on the live channel (its own handling time, concurrency 3) and workload on email", () => {
    expect(wa.model).toBe("erlang_c");
    expect(wa.inputs).toMatchObject({ arrivalsPerHour: 120, handleMinutes: 10, concurrency: 3, targetMinutes: 15, backlog: 40, agents: 2 });
    // 120 an hour × 10 min = 20 Erlangs over 6 slots.
    expect(wa.advice.traffic).toBeCloseTo(20, 10);
    expect(wa.advice.serviceLevel).toBe(serviceLevel(6, 20, 600, 900));
    expect(email.model).toBe("workload");
    // No email handled yet: the default 10 minutes of the email kind.
    expect(email.inputs.handleMinutes).toBe(10);
  });

  it("marks rows under target with their reasons in words", () => {
    expect(wa.underTarget).toEqual(["service level 60% is below the 80% target", `short of ${wa.advice.gap} agents`]);
    expect(wa.advice.gap).toBeGreaterThan(0);
  });

  it("forecasts 4 hours from the next full hour, with advice for each and yesterday's error", () => {
    expect(wa.forecast.map((f) => f.at)).toEqual(["2026-12-05T11:00:00.000Z", "2026-12-05T12:00:00.000Z", "2026-12-05T13:00:00.000Z", "2026-12-05T14:00:00.000Z"]);
    expect(wa.forecast.every((f) => f.arrivals === 100)).toBe(true);
    expect(wa.forecastError).toMatchObject({ meanAbsoluteError: 0 });
    expect(email.forecast[0]!.arrivals).toBe(0);
  });

  it("totals per channel and language count each agent once", () => {
    const whatsapp = board.byChannel.find((c) => c.channelId === "whatsapp")!;
    expect(whatsapp).toMatchObject({ open: 47, agentsOnline: 2, slots: 6 });
    const dutch = board.byLanguage.find((l) => l.language === "nl")!;
    // Agent b serves Dutch on WhatsApp (3 slots) and email (1 slot).
    expect(dutch).toMatchObject({ agentsOnline: 2, slots: 7 });
    expect(board.total).toMatchObject({ open: 148, agentsOnline: 3, slots: 8, met60: 15, missed60: 4 });
  });

  it("evaluates alert thresholds per channel, language or everything", () => {
    const results = evaluateThresholds(
      [
        { id: "1", metric: "backlog", channelId: "email", language: null, value: 100 },
        { id: "2", metric: "oldest_wait", channelId: null, language: "nl", value: 120 },
        { id: "3", metric: "service_level", channelId: null, language: null, value: 80 },
      ],
      board.rows,
    );
    expect(results.map((r) => [r.value, r.breached])).toEqual([
      [101, true],
      [90, false],
      [78.9, true],
    ]);
  });
});
