import { beforeAll, describe, expect, it } from "vitest";
import { CaseMovedError, caseMovedResponse, changeCaseState } from "../app/cases/case-state.server";
import { getDb } from "../app/db/db.server";
import { seedDemoData } from "../prisma/seed";
import { createAgent, insertOpenCases } from "./support/case-fixtures";

const db = getDb();
let agent: { id: string };
let other: { id: string };

beforeAll(async () => {
  await seedDemoData(db, { cases: 0 });
  agent = await createAgent(db, { skills: ["channel:whatsapp", "language:en"] });
  other = await createAgent(db, { skills: ["channel:whatsapp", "language:en"] });
});

describe("changeCaseState", () => {
  it("changes a case that is still as the caller read it and writes the event with it", async () => {
    const [id] = await insertOpenCases(db, [{}]);
    const before = Date.now();
    const { eventId } = await changeCaseState(
      id!,
      { status: "open", assigneeId: null },
      { status: "assigned", assigneeId: agent.id, assignedAt: true },
      { type: "assigned", actorId: agent.id, data: { to: agent.id } },
    );
    const kase = await db.case.findUniqueOrThrow({ where: { id: id! } });
    expect(kase).toMatchObject({ status: "assigned", assigneeId: agent.id });
    // Stamped at the time of the write, in UTC.
    expect(Math.abs(kase.assignedAt!.getTime() - before)).toBeLessThan(5_000);
    const event = await db.caseEvent.findUniqueOrThrow({ where: { id: eventId } });
    expect(event).toMatchObject({ caseId: id, type: "assigned", actorId: agent.id, data: { to: agent.id } });
    expect(event.createdAt.getTime()).toBe(kase.updatedAt.getTime());
  });

  it("refuses a change on a stale read, writes nothing, and says what the case is now", async () => {
    const [id] = await insertOpenCases(db, [{}]);
    await db.case.update({ where: { id: id! }, data: { status: "assigned", assigneeId: other.id } });
    const error = await changeCaseState(
      id!,
      { status: "assigned", assigneeId: agent.id },
      { status: "open", assigneeId: null, assignedAt: null },
      { type: "returned_to_queue", actorId: agent.id },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CaseMovedError);
    expect((error as CaseMovedError).current).toEqual({ status: "assigned", assigneeId: other.id });
    expect(caseMovedResponse(error as CaseMovedError).status).toBe(409);
    expect(await db.case.findUniqueOrThrow({ where: { id: id! } })).toMatchObject({ status: "assigned", assigneeId: other.id });
    expect(await db.caseEvent.count({ where: { caseId: id! } })).toBe(0);
  });

  it("lets exactly one of many racing changes win", async () => {
    const [id] = await insertOpenCases(db, [{}]);
    const agents = await Promise.all(Array.from({ length: 6 }, () => createAgent(db, { skills: [] })));
    const results = await Promise.allSettled(
      agents.map((a) =>
        changeCaseState(id!, { status: "open", assigneeId: null }, { status: "assigned", assigneeId: a.id, assignedAt: true }, { type: "assigned", actorId: a.id }),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.filter((r) => r.status === "rejected" && r.reason instanceof CaseMovedError)).toHaveLength(5);
    expect(await db.caseEvent.count({ where: { caseId: id!, type: "assigned" } })).toBe(1);
  });

  it("answers 404 for an unknown case", async () => {
    const error = await changeCaseState("nope", { status: "open" }, { status: "closed" }, { type: "closed", actorId: null }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CaseMovedError);
    expect(caseMovedResponse(error as CaseMovedError).status).toBe(404);
  });
});
