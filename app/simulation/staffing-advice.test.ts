import { describe, expect, it } from "vitest";
import { adviceFromBoardData, adviceIntervalMs, neededPerChannel, summariseAdvice, type AdviceSample } from "./staffing-advice";

// The board page's loader data as single fetch decodes it, trimmed to what a row and the total carry.
const row = (channelId: string, language: string, agentsNeeded: number, agentsOnline: number, arrivals60: number) => ({
  key: `${channelId}|${language}`,
  channelId,
  language,
  agentsOnline,
  arrivals60,
  waiting: 3,
  advice: { model: "erlang_c", agentsNeeded, gap: agentsNeeded - agentsOnline },
  forecast: [],
});
const pageData = {
  board: {
    at: "2026-12-05T02:00:00.000Z",
    rows: [row("email", "en", 2, 1, 10), row("whatsapp", "en", 3, 4, 20), row("whatsapp", "fr", 1, 0, 5)],
    total: { agentsNeeded: 6, agentsOnline: 4, arrivals60: 35 },
  },
  leads: null,
};

const sample = (simSeconds: number, agentsNeeded: number, agentsOnline: number): AdviceSample => ({ at: simSeconds, simSeconds, agentsNeeded, agentsOnline, arrivalsLastHour: 0, byCell: {} });

describe("reading the capacity board's advice", () => {
  it("keeps the total and each channel and language row: agents needed against agents online, and the last hour's arrivals", () => {
    expect(adviceFromBoardData(pageData)).toEqual({
      agentsNeeded: 6,
      agentsOnline: 4,
      arrivalsLastHour: 35,
      byCell: {
        "email|en": { agentsNeeded: 2, agentsOnline: 1 },
        "whatsapp|en": { agentsNeeded: 3, agentsOnline: 4 },
        "whatsapp|fr": { agentsNeeded: 1, agentsOnline: 0 },
      },
    });
  });

  it("refuses what is not the board (a sign-in page's data, advice that is not a number)", () => {
    expect(() => adviceFromBoardData(null)).toThrow(/not the capacity board's data: the page/);
    expect(() => adviceFromBoardData({ csrfToken: "x" })).toThrow(/not the capacity board's data: board:/);
    expect(() => adviceFromBoardData({ board: { ...pageData.board, total: { agentsNeeded: null, agentsOnline: 4 } } })).toThrow(/board\.total\.agentsNeeded/);
  });

  it("adds the rows of a channel up, as the board's channel totals do", () => {
    expect(neededPerChannel(adviceFromBoardData(pageData))).toEqual({ email: 2, whatsapp: 4 });
  });
});

describe("how often and what it came to", () => {
  it("reads once a simulated hour, but not more often than every 2 real seconds", () => {
    expect(adviceIntervalMs(288)).toBe(12_500);
    expect(adviceIntervalMs(4320)).toBe(2000);
  });

  it("summarises the reads: the peak of the advice, the last read, and how often fewer were online than advised", () => {
    const samples = [sample(0, 2, 2), sample(3600, 9, 5), sample(7200, 9, 9), sample(10_800, 4, 6)];
    expect(summariseAdvice(samples)).toEqual({ reads: 4, peak: samples[1], last: samples[3], short: 1 });
    expect(summariseAdvice([])).toBeNull();
  });
});
