import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { resolveAuth, startSession } from "../app/auth/session.server";
import { heartbeatEveryMs } from "../app/cases/presence.server";
import { nextCaseFor, takeNextCases } from "../app/cases/routing.server";
import { getDb } from "../app/db/db.server";
import { DEMO_ACCOUNTS, seedDemoData } from "../prisma/seed";
import { signedIn, Visitor } from "./support/app-client";
import { createAgent, insertOpenCases } from "./support/case-fixtures";

const db = getDb();
const account = (role: string) => DEMO_ACCOUNTS.find((a) => a.role === role)!;
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

beforeAll(async () => {
  await seedDemoData(db, { cases: 0 });
});

describe("Next case over HTTP", () => {
  it("opens the most urgent case the agent may take, then says clearly when there is nothing", async () => {
    const [later, urgent] = await insertOpenCases(db, [
      {
        channelId: "email",
        language: "fr",
        priorityTier: 5,
        receivedAt: minutesAgo(50),
      },
      {
        channelId: "whatsapp",
        language: "fr",
        priorityTier: 2,
        receivedAt: minutesAgo(10),
      },
    ]);
    const agent = await signedIn(account("agent").email, account("agent").password);
    const first = await agent.post("/cases/next", {});
    expect(first.status).toBe(302);
    expect(first.headers.get("Location")).toBe(`/cases/${urgent}`);
    const view = await agent.get(`/cases/${urgent}`);
    expect(view.status).toBe(200);
    const second = await agent.post("/cases/next", {});
    expect(second.headers.get("Location")).toBe(`/cases/${later}`);
    const none = await agent.post("/cases/next", {});
    expect(none.status).toBe(200);
    expect(await none.text()).toContain("Nothing for you right now");
    const assigned = await db.case.findUniqueOrThrow({
      where: { id: urgent! },
    });
    expect(assigned.status).toBe("assigned");
    expect(
      (
        await db.agentPresence.findUniqueOrThrow({
          where: { userId: assigned.assigneeId! },
        })
      ).online
    ).toBe(true);
    expect(await db.caseEvent.count({ where: { caseId: urgent!, type: "assigned" } })).toBe(1);
  });

  it("needs a CSRF token and the take ability", async () => {
    const agent = await signedIn(account("agent").email, account("agent").password);
    expect((await agent.post("/cases/next", {}, { csrf: "wrong-token-wrong-token-wrong-token" })).status).toBe(403);
    const planner = await signedIn(account("planner").email, account("planner").password);
    expect((await planner.post("/cases/next", {})).status).toBe(403);
  });
});

describe("routing rules", () => {
  it("honours language and channel skills, and gives volunteers simple cases only", async () => {
    const skills = ["channel:line", "language:ja"];
    const [wrongLanguage, wrongChannel, complex, simple] = await insertOpenCases(db, [
      {
        channelId: "line",
        language: "ko",
        priorityTier: 1,
        receivedAt: minutesAgo(40),
      },
      {
        channelId: "kakaotalk",
        language: "ja",
        priorityTier: 1,
        receivedAt: minutesAgo(40),
      },
      {
        channelId: "line",
        language: "ja",
        priorityTier: 3,
        complexity: "complex",
        receivedAt: minutesAgo(30),
      },
      {
        channelId: "line",
        language: "ja",
        priorityTier: 4,
        complexity: "simple",
        receivedAt: minutesAgo(20),
      },
    ]);
    const volunteer = await createAgent(db, { role: "volunteer", skills });
    const agent = await createAgent(db, { role: "agent", skills });
    expect(await nextCaseFor(volunteer.id)).toMatchObject({
      ok: true,
      caseId: simple,
    });
    expect(await nextCaseFor(agent.id)).toMatchObject({
      ok: true,
      caseId: complex,
    });
    expect(await nextCaseFor(agent.id)).toMatchObject({
      ok: false,
      reason: "queue_empty",
    });
    const untouched = await db.case.findMany({
      where: { id: { in: [wrongLanguage!, wrongChannel!] } },
    });
    expect(untouched.every((c) => c.status === "open")).toBe(true);
    const nobody = await createAgent(db, { skills: [] });
    expect(await nextCaseFor(nobody.id)).toMatchObject({
      ok: false,
      reason: "no_skills",
    });
  });

  it("takes oldest first inside a tier", async () => {
    const [newer, older] = await insertOpenCases(db, [
      {
        channelId: "wechat",
        language: "zh",
        priorityTier: 6,
        receivedAt: minutesAgo(5),
      },
      {
        channelId: "wechat",
        language: "zh",
        priorityTier: 6,
        receivedAt: minutesAgo(90),
      },
    ]);
    const agent = await createAgent(db, {
      skills: ["channel:wechat", "language:zh"],
    });
    expect(await nextCaseFor(agent.id)).toMatchObject({ caseId: older });
    expect(await nextCaseFor(agent.id)).toMatchObject({ caseId: newer });
  });

  it("keeps each agent within the per-channel capacity (1 email, 3 chats) and the channel setting", async () => {
    await insertOpenCases(db, [
      ...Array.from({ length: 3 }, () => ({
        channelId: "email",
        language: "it",
        receivedAt: minutesAgo(30),
      })),
      ...Array.from({ length: 5 }, () => ({
        channelId: "messenger",
        language: "it",
        receivedAt: minutesAgo(20),
      })),
    ]);
    const agent = await createAgent(db, {
      skills: ["channel:email", "channel:messenger", "language:it"],
    });
    const taken = [];
    for (let i = 0; i < 6; i++) taken.push(await nextCaseFor(agent.id));
    const held = await db.case.groupBy({
      by: ["channelId"],
      where: { assigneeId: agent.id },
      _count: { _all: true },
    });
    expect(Object.fromEntries(held.map((h) => [h.channelId, h._count._all]))).toEqual({ email: 1, messenger: 3 });
    expect(taken.slice(0, 4).every((t) => t.ok)).toBe(true);
    expect(taken[4]).toMatchObject({ ok: false, reason: "at_capacity" });
    // A supervisor raises email capacity to 2: one more email case.
    await db.channel.update({
      where: { id: "email" },
      data: { maxConcurrentPerAgent: 2 },
    });
    const { forgetChannelCapacities } = await import("../app/cases/routing.server");
    forgetChannelCapacities();
    expect(await nextCaseFor(agent.id)).toMatchObject({ ok: true });
    expect(
      await db.case.count({
        where: { assigneeId: agent.id, channelId: "email" },
      })
    ).toBe(2);
    await db.channel.update({
      where: { id: "email" },
      data: { maxConcurrentPerAgent: 1 },
    });
    forgetChannelCapacities();
  });
});

describe("dequeue batches", () => {
  it("gives each agent of one batch a different case, most urgent first, and nothing to an agent at capacity", async () => {
    const [tier1Old, tier1New, tier2, otherLanguage] = await insertOpenCases(db, [
      {
        channelId: "x",
        language: "pt",
        priorityTier: 1,
        receivedAt: minutesAgo(60),
      },
      {
        channelId: "x",
        language: "pt",
        priorityTier: 1,
        receivedAt: minutesAgo(5),
      },
      {
        channelId: "apple_messages",
        language: "pt",
        priorityTier: 2,
        receivedAt: minutesAgo(90),
      },
      {
        channelId: "x",
        language: "sv",
        priorityTier: 1,
        receivedAt: minutesAgo(120),
      },
    ]);
    const skills = ["channel:x", "channel:apple_messages", "language:pt"];
    const agents = await Promise.all([1, 2, 3, 4].map(() => createAgent(db, { skills })));
    const full = await createAgent(db, {
      skills: ["channel:email", "language:pt"],
    });
    const [held] = await insertOpenCases(db, [{ channelId: "email", language: "pt" }]);
    await db.case.update({
      where: { id: held! },
      data: { status: "assigned", assigneeId: full.id },
    });
    const request = (agent: { id: string }, channels: string[]) => ({
      agent: agent.id,
      channels,
      languages: ["pt"],
      complexities: ["simple" as const, "complex" as const],
    });
    const taken = await takeNextCases([...agents.map((a) => request(a, ["x", "apple_messages"])), request(full, ["email"])]);
    // The batch runs in lock order, not request order: which agent gets which
    // case varies, but the three cases are the three most urgent.
    expect(
      taken
        .filter(Boolean)
        .map((t) => t!.id)
        .sort()
    ).toEqual([tier1Old!, tier1New!, tier2!].sort());
    expect(taken.filter((t) => t === null)).toHaveLength(2);
    expect(taken[4]).toBeNull();
    expect((await db.case.findUniqueOrThrow({ where: { id: otherLanguage! } })).status).toBe("open");
    const owners = await db.case.findMany({
      where: { id: { in: [tier1Old!, tier1New!, tier2!] } },
      select: { id: true, assigneeId: true },
    });
    for (const [i, result] of taken.entries()) if (result) expect(owners.find((o) => o.id === result.id)!.assigneeId).toBe(agents[i]!.id);
    expect(
      await db.caseEvent.count({
        where: {
          caseId: { in: [tier1Old!, tier1New!, tier2!] },
          type: "assigned",
        },
      })
    ).toBe(3);
  });

  it("finds the agent's case behind any number of cases the agent cannot take", async () => {
    await insertOpenCases(
      db,
      Array.from({ length: 60 }, (_, i) => ({
        channelId: "line",
        language: i % 2 ? "ko" : "ja",
        priorityTier: 1,
        receivedAt: minutesAgo(200 - i),
      }))
    );
    const [mine] = await insertOpenCases(db, [
      {
        channelId: "line",
        language: "de",
        priorityTier: 7,
        receivedAt: minutesAgo(1),
      },
    ]);
    const agent = await createAgent(db, {
      skills: ["channel:line", "language:de"],
    });
    expect(await nextCaseFor(agent.id)).toMatchObject({
      ok: true,
      caseId: mine,
    });
  });

  it("opens a relaxed pool to someone who takes no escalations: old enough open cases only, with the step recorded", async () => {
    // The dequeue has one statement per kind of agent; this is the kind that
    // takes complex cases but no escalations, with a pool open.
    const [young, escalated, pooled] = await insertOpenCases(db, [
      { channelId: "line", language: "it", complexity: "complex", priorityTier: 1, receivedAt: minutesAgo(5) },
      { channelId: "line", language: "it", complexity: "complex", priorityTier: 1, receivedAt: minutesAgo(90) },
      { channelId: "line", language: "it", complexity: "complex", priorityTier: 3, receivedAt: minutesAgo(80) },
    ]);
    await db.case.update({ where: { id: escalated! }, data: { status: "escalated", escalationLevel: 1 } });
    const agent = await createAgent(db, { skills: ["channel:facebook", "language:it"] });
    const request = {
      agent: agent.id,
      channels: ["facebook"],
      languages: ["it"],
      complexities: ["simple" as const, "complex" as const],
      relaxed: [{ channel: "line", language: "it", complexity: "complex" as const, before: minutesAgo(30).toISOString(), step: 2, widen: "other-channel" as const }],
    };
    const [taken] = await takeNextCases([request]);
    expect(taken?.id).toBe(pooled);
    const event = await db.caseEvent.findFirstOrThrow({ where: { caseId: pooled!, type: "assigned" } });
    expect(event.data).toEqual({ to: agent.id, via: "next_case", relaxationStep: 2, relaxation: "other-channel" });
    // Nothing else: the young case is not old enough, the escalated one is not theirs.
    expect(await takeNextCases([request])).toEqual([null]);
    const left = await db.case.findMany({ where: { id: { in: [young!, escalated!] } }, select: { status: true } });
    expect(left.map((c) => c.status).sort()).toEqual(["escalated", "open"]);
  });

  it("refuses a batch naming one agent twice (two slots could be filled when one is free)", async () => {
    const agent = await createAgent(db, {
      skills: ["channel:x", "language:pt"],
    });
    const request = {
      agent: agent.id,
      channels: ["x"],
      languages: ["pt"],
      complexities: ["simple" as const],
    };
    await expect(takeNextCases([request, request])).rejects.toThrow("once per dequeue batch");
  });

  it("serves many agents asking at the same moment, each once, none twice", async () => {
    const ids = await insertOpenCases(
      db,
      Array.from({ length: 30 }, (_, i) => ({
        channelId: "facebook",
        language: "es",
        priorityTier: 1 + (i % 3),
        receivedAt: minutesAgo(i),
      }))
    );
    const agents = await Promise.all(Array.from({ length: 12 }, () => createAgent(db, { skills: ["channel:facebook", "language:es"] })));
    const results = await Promise.all(agents.flatMap((a) => [nextCaseFor(a.id), nextCaseFor(a.id)]));
    const taken = results.flatMap((r) => (r.ok ? [r.caseId] : []));
    expect(taken).toHaveLength(24);
    expect(new Set(taken).size).toBe(24);
    expect(taken.every((id) => ids.includes(id))).toBe(true);
    // Facebook allows 2 cases at a time per agent: each agent got exactly its two.
    const held = await db.case.groupBy({
      by: ["assigneeId"],
      where: { id: { in: taken } },
      _count: { _all: true },
    });
    expect(held).toHaveLength(12);
    expect(held.every((h) => h._count._all === 2)).toBe(true);
  });
});

describe("supervisor assignment", () => {
  it("assigns, reassigns and returns to the queue, with events; refuses people who may not take the case", async () => {
    const [caseId] = await insertOpenCases(db, [
      {
        channelId: "x",
        language: "pt",
        complexity: "complex",
        receivedAt: minutesAgo(5),
      },
    ]);
    const first = await createAgent(db, {
      skills: ["channel:x", "language:pt"],
      name: "First Agent",
    });
    const second = await createAgent(db, {
      skills: ["channel:x", "language:pt"],
      name: "Second Agent",
    });
    const volunteer = await createAgent(db, {
      role: "volunteer",
      skills: ["channel:x", "language:pt"],
    });
    const supervisor = await signedIn(account("supervisor").email, account("supervisor").password);
    const page = await (await supervisor.get(`/cases/${caseId}`)).text();
    expect(page).toContain("First Agent");
    expect(page).not.toContain(volunteer.id);

    let response = await supervisor.post(`/cases/${caseId}/assign`, {
      assigneeId: first.id,
    });
    expect(response.status).toBe(302);
    expect((await db.case.findUniqueOrThrow({ where: { id: caseId! } })).assigneeId).toBe(first.id);
    response = await supervisor.post(`/cases/${caseId}/assign`, {
      assigneeId: second.id,
      reason: "First agent is overloaded",
    });
    expect((await db.case.findUniqueOrThrow({ where: { id: caseId! } })).assigneeId).toBe(second.id);
    response = await supervisor.post(`/cases/${caseId}/assign`, {
      assigneeId: volunteer.id,
    });
    expect(decodeURIComponent(response.headers.get("Location")!.replaceAll("+", " "))).toContain("Volunteers take simple cases only");
    expect((await db.case.findUniqueOrThrow({ where: { id: caseId! } })).assigneeId).toBe(second.id);
    await supervisor.post(`/cases/${caseId}/assign`, { assigneeId: "" });
    const back = await db.case.findUniqueOrThrow({ where: { id: caseId! } });
    expect(back).toMatchObject({ status: "open", assigneeId: null });
    const types = (
      await db.caseEvent.findMany({
        where: { caseId: caseId! },
        orderBy: { createdAt: "asc" },
      })
    ).map((e) => e.type);
    expect(types).toEqual(["assigned", "reassigned", "returned_to_queue"]);

    const agent = await signedIn(account("agent").email, account("agent").password);
    expect((await agent.post(`/cases/${caseId}/assign`, { assigneeId: first.id })).status).toBe(403);
  });
});

describe("going offline", () => {
  it("returns the cases the agent has not touched to the queue and keeps the ones they work on", async () => {
    const volunteer = account("volunteer");
    const user = await db.user.findUniqueOrThrow({
      where: { email: volunteer.email },
    });
    await insertOpenCases(db, [
      { channelId: "whatsapp", language: "nl", receivedAt: minutesAgo(400) },
      { channelId: "whatsapp", language: "nl", receivedAt: minutesAgo(300) },
    ]);
    const session = await signedIn(volunteer.email, volunteer.password);
    const a = await session.post("/cases/next", {});
    const b = await session.post("/cases/next", {});
    const touchedId = a.headers.get("Location")!.split("/").pop()!;
    const untouchedId = b.headers.get("Location")!.split("/").pop()!;
    await db.caseEvent.create({
      data: {
        caseId: touchedId,
        type: "reply",
        actorId: user.id,
        data: { body: "Hello!" },
      },
    });
    const response = await session.post("/presence", { intent: "offline" });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("went back to the queue");
    expect(await db.case.findUniqueOrThrow({ where: { id: untouchedId } })).toMatchObject({ status: "open", assigneeId: null });
    expect(await db.case.findUniqueOrThrow({ where: { id: touchedId } })).toMatchObject({ status: "assigned", assigneeId: user.id });
    expect(
      await db.caseEvent.count({
        where: { caseId: untouchedId, type: "returned_to_queue" },
      })
    ).toBe(1);
    expect((await db.agentPresence.findUniqueOrThrow({ where: { userId: user.id } })).online).toBe(false);
  });
});

describe("the request path of Next case", () => {
  /** A visitor signed in as `userId` (a session as the sign-in page creates it). */
  async function sessionOf(userId: string): Promise<Visitor> {
    const visitor = new Visitor();
    const [name, value] = (await startSession(userId)).split(";")[0]!.split("=");
    visitor.cookies.set(name!, value!);
    return visitor;
  }
  const presenceOf = (userId: string) => db.agentPresence.findUniqueOrThrow({ where: { userId } });

  it("reads the session, the user, the ability facts and presence in one statement", async () => {
    const agent = await createAgent(db, { skills: ["channel:kakaotalk", "language:ko"] });
    const cookie = (await startSession(agent.id)).split(";")[0]!;
    const query = pg.Client.prototype.query;
    let statements = 0;
    pg.Client.prototype.query = function counted(this: pg.Client, ...args: unknown[]) {
      statements += 1;
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof query;
    try {
      const { user } = await resolveAuth(cookie);
      expect(user).toMatchObject({ id: agent.id, role: "agent", skills: ["channel:kakaotalk", "language:ko"], presence: null });
    } finally {
      pg.Client.prototype.query = query;
    }
    expect(statements).toBe(1);
  });

  it("puts the agent online, writes presence only when it changes, and again after going offline elsewhere", async () => {
    const agent = await createAgent(db, { skills: ["channel:kakaotalk", "language:ko"] });
    await insertOpenCases(db, Array.from({ length: 4 }, () => ({ channelId: "kakaotalk", language: "ko" })));
    const session = await sessionOf(agent.id);
    expect((await session.post("/cases/next", {})).status).toBe(302);
    const first = await presenceOf(agent.id);
    expect(first.online).toBe(true);

    // Online already and seen a moment ago: nothing to write.
    expect((await session.post("/cases/next", {})).status).toBe(302);
    expect((await presenceOf(agent.id)).lastSeenAt).toEqual(first.lastSeenAt);

    // Seen longer ago than the refresh period: lastSeenAt moves on.
    const stale = new Date(Date.now() - heartbeatEveryMs() - 1000);
    await db.agentPresence.update({ where: { userId: agent.id }, data: { lastSeenAt: stale } });
    expect((await session.post("/cases/next", {})).status).toBe(302);
    expect((await presenceOf(agent.id)).lastSeenAt.getTime()).toBeGreaterThan(stale.getTime());

    // Offline as another instance (or a release) recorded it: the next request puts them online again.
    await db.agentPresence.update({ where: { userId: agent.id }, data: { online: false } });
    await db.case.updateMany({ where: { assigneeId: agent.id }, data: { status: "resolved" } }); // a free chat slot
    expect(await (await session.get("/cases/next")).text()).toContain("Asking for a case puts you online.");
    expect((await session.post("/cases/next", {})).status).toBe(302);
    expect((await presenceOf(agent.id)).online).toBe(true);
    expect(await (await session.get("/cases/next")).text()).toContain("You are online.");
  });

  it("applies a changed skill or role on the very next request", async () => {
    const agent = await createAgent(db, { skills: ["channel:kakaotalk", "language:it", "language:es"] });
    await insertOpenCases(db, [
      { channelId: "kakaotalk", language: "es", priorityTier: 1 },
      { channelId: "kakaotalk", language: "es", priorityTier: 1 },
    ]);
    const session = await sessionOf(agent.id);
    expect((await session.post("/cases/next", {})).status).toBe(302);
    // The Spanish skill is revoked: the other Spanish case is no longer theirs, from the next request on.
    await db.userSkill.delete({ where: { userId_skillId: { userId: agent.id, skillId: "language:es" } } });
    const after = await session.post("/cases/next", {});
    expect(after.status).toBe(200);
    expect(await after.text()).toContain("Nothing for you right now");
    // Made a planner: no more cases at all.
    await db.user.update({ where: { id: agent.id }, data: { role: "planner" } });
    expect((await session.post("/cases/next", {})).status).toBe(403);
  });

  it("applies a revoked skill to the case handed out on resolving, too", async () => {
    const agent = await createAgent(db, { skills: ["channel:kakaotalk", "language:it", "language:pt"] });
    await insertOpenCases(db, Array.from({ length: 3 }, () => ({ channelId: "kakaotalk", language: "pt", priorityTier: 1 })));
    const session = await sessionOf(agent.id);
    const thanks = await db.replyTemplate.findFirstOrThrow({ where: { name: "Thanks, we are on it", language: "en" } });
    const caseOf = (response: Response) => new URL(response.headers.get("location")!, "http://surge.test").pathname.split("/").pop()!;
    const resolveAndGoOn = async (caseId: string) => {
      expect((await session.post(`/cases/${caseId}`, { intent: "reply", templateId: thanks.id, text: "" })).status).toBe(200);
      const resolved = await session.post(`/cases/${caseId}`, { intent: "resolve", reasons: ["refund"], autoNext: "on" });
      expect(resolved.status).toBe(302);
      return resolved;
    };
    const taken = await session.post("/cases/next", {});
    expect(taken.status).toBe(302);
    // Resolved with "next case" on: the second Portuguese case.
    const second = await resolveAndGoOn(caseOf(taken));
    expect(second.headers.get("location")).toMatch(/^\/cases\/c/);
    // The Portuguese skill is revoked a moment later: the third case is no longer theirs.
    await db.userSkill.delete({ where: { userId_skillId: { userId: agent.id, skillId: "language:pt" } } });
    const third = await resolveAndGoOn(caseOf(second));
    expect(third.headers.get("location")).toMatch(/^\/cases\/next\?message=Resolved/);
    expect(await db.case.count({ where: { assigneeId: agent.id, status: "assigned" } })).toBe(0);
  });
});

describe("the dequeue's plans", () => {
  it("never scan a whole table or a bitmap, whatever the statistics said when they were made", async () => {
    // Generic plans are made once per connection and kept; a plan made while
    // the queues were nearly empty must not sort every waiting case once
    // 200,000 wait (prisma/migrations/20261208100000_resolution_breach_index).
    const rows = await db.$queryRaw<{ config: string[] | null }[]>`SELECT proconfig AS config FROM pg_proc WHERE proname = 'surge_next_cases'`;
    expect(rows).toHaveLength(1);
    expect(rows[0]!.config).toEqual(expect.arrayContaining(["plan_cache_mode=force_generic_plan", "enable_seqscan=off", "enable_bitmapscan=off"]));
  });
});
