import { beforeAll, describe, expect, it } from "vitest";
import { importCasesCsv } from "../app/cases/case-import.server";
import { createIntegration } from "../app/cases/intake.server";
import { getDb } from "../app/db/db.server";
import { DEMO_ACCOUNTS, seedDemoData } from "../prisma/seed";
import { signedIn } from "./support/app-client";
import { intakeCase, postIntake } from "./support/case-fixtures";

const db = getDb();
const supervisor = DEMO_ACCOUNTS.find((a) => a.role === "supervisor")!;

beforeAll(async () => {
  await seedDemoData(db, { cases: 0 });
});

describe("intake API", () => {
  it("refuses requests without a valid integration token (401) and stores nothing", async () => {
    const before = await db.case.count();
    expect((await postIntake(intakeCase(), null)).status).toBe(401);
    expect((await postIntake(intakeCase(), "not-a-real-token-at-all-0123")).status).toBe(401);
    const revoked = await createIntegration("revoked-connector", null);
    await db.integration.update({ where: { id: revoked.id }, data: { revokedAt: new Date() } });
    expect((await postIntake(intakeCase(), revoked.token)).status).toBe(401);
    expect(await db.case.count()).toBe(before);
  });

  it("creates a scored, classified case with its rule and reason", async () => {
    const departure = new Date(Date.now() + 3 * 3_600_000);
    const response = await postIntake(
      intakeCase({ flightNumber: "kl 1234", departureAt: departure.toISOString(), topics: ["rebooking-simple"] })
    );
    expect(response.status).toBe(201);
    const body = (await response.json()) as { caseId: string; caseNumber: number; outcome: string };
    expect(body.outcome).toBe("created");
    const stored = await db.case.findUniqueOrThrow({ where: { id: body.caseId } });
    expect(stored.number).toBe(body.caseNumber);
    expect(stored.flightNumber).toBe("KL1234");
    expect(stored.priorityTier).toBe(1);
    expect(stored.priorityRuleId).toBe("departs-within-4h");
    expect(stored.priorityReason).toContain("Flight KL1234 departs in 2 h");
    expect(stored.priorityRecheckAt?.getTime()).toBe(departure.getTime());
    expect(stored.complexity).toBe("simple");
    expect(stored.complexityRuleId).toBe("elementary-topics");
    expect(stored.threadKey).toBeTruthy();
  });

  it("lists every problem of an invalid payload with a 400 and writes nothing", async () => {
    const before = { cases: await db.case.count(), deliveries: await db.intakeDelivery.count() };
    const response = await postIntake({
      cases: [
        intakeCase(),
        intakeCase({ language: "xx", channelId: "pigeon", body: "", departureAt: "tomorrow" }),
        intakeCase({ topics: ["Not A Slug"] }),
      ],
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { problems: { path: string; message: string }[] };
    const paths = body.problems.map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining(["cases.1.language", "cases.1.channelId", "cases.1.body", "cases.1.departureAt", "cases.2.topics.0"])
    );
    expect(await db.case.count()).toBe(before.cases);
    expect(await db.intakeDelivery.count()).toBe(before.deliveries);
    expect((await postIntake("just a string")).status).toBe(400);
    const notJson = await postIntake(undefined);
    expect(notJson.status).toBe(400);
  });

  it("is idempotent: a retried delivery returns the same case and makes no second one", async () => {
    const payload = intakeCase({ idempotencyKey: "retry-me-1" });
    const first = await postIntake(payload);
    expect(first.status).toBe(201);
    const firstBody = (await first.json()) as { caseId: string; replayed: boolean };
    const count = await db.case.count();
    const again = await postIntake(payload);
    expect(again.status).toBe(200);
    const againBody = (await again.json()) as { caseId: string; replayed: boolean };
    expect(againBody.caseId).toBe(firstBody.caseId);
    expect(againBody.replayed).toBe(true);
    // Even concurrent retries.
    const racing = await Promise.all([postIntake(payload), postIntake(payload), postIntake(payload)]);
    for (const r of racing) expect(((await r.json()) as { caseId: string }).caseId).toBe(firstBody.caseId);
    expect(await db.case.count()).toBe(count);
    expect(await db.intakeDelivery.count({ where: { idempotencyKey: "retry-me-1" } })).toBe(1);
    // First deliveries racing each other (no booking, so nothing serialises them before the insert).
    const unbooked = intakeCase({ idempotencyKey: "race-me-1", bookingReference: null });
    const firsts = await Promise.all([postIntake(unbooked), postIntake(unbooked), postIntake(unbooked)]);
    const ids = await Promise.all(firsts.map(async (r) => ((await r.json()) as { caseId: string }).caseId));
    expect(firsts.map((r) => r.status).sort()).toEqual([200, 200, 201]);
    expect(new Set(ids).size).toBe(1);
    expect(await db.intakeDelivery.count({ where: { idempotencyKey: "race-me-1" } })).toBe(1);
  });

  it("refuses a reused idempotency key with a different payload (409), storing nothing, and still replays the same payload", async () => {
    const payload = intakeCase({ idempotencyKey: "reused-key-1", body: "My flight was cancelled, what now?" });
    const first = await postIntake(payload);
    expect(first.status).toBe(201);
    const { caseId } = (await first.json()) as { caseId: string };
    const before = { cases: await db.case.count(), events: await db.caseEvent.count() };

    const changed = await postIntake({ ...payload, body: "A different message that must not be dropped silently" });
    expect(changed.status).toBe(409);
    const problem = (await changed.json()) as { error: string; problems: { path: string }[] };
    expect(problem.error).toContain("reused-key-1");
    expect(problem.problems[0]!.path).toBe("idempotencyKey");
    // In a batch too; the other, new case of the batch is not stored either.
    const batch = await postIntake({ cases: [intakeCase(), { ...payload, subject: "Changed subject" }] });
    expect(batch.status).toBe(409);
    expect(((await batch.json()) as { problems: { path: string }[] }).problems[0]!.path).toBe("cases.1.idempotencyKey");
    expect({ cases: await db.case.count(), events: await db.caseEvent.count() }).toEqual(before);

    const replay = await postIntake(payload);
    expect(replay.status).toBe(200);
    expect(await replay.json()).toMatchObject({ caseId, replayed: true });
  });

  it("threads a message of the same customer and booking onto the open case", async () => {
    const first = (await (await postIntake(intakeCase({ customerId: "THREAD-1", bookingReference: "thr001" }))).json()) as {
      caseId: string;
    };
    const response = await postIntake(
      intakeCase({ customerId: "THREAD-1", bookingReference: "THR001", subject: "Re: my booking", body: "Any news?" })
    );
    expect(response.status).toBe(201);
    const second = (await response.json()) as { caseId: string; outcome: string };
    expect(second).toMatchObject({ caseId: first.caseId, outcome: "threaded" });
    const events = await db.caseEvent.findMany({ where: { caseId: first.caseId, type: "message" } });
    expect(events).toHaveLength(1);
    expect((events[0]!.data as { body: string }).body).toBe("Any news?");
    expect(await db.case.count({ where: { customerId: "THREAD-1" } })).toBe(1);
    // A retried message still says what happened the first time, and is not added twice.
    const retried = intakeCase({ customerId: "THREAD-1", bookingReference: "THR001", idempotencyKey: "thread-retry-1" });
    expect(((await (await postIntake(retried)).json()) as { outcome: string }).outcome).toBe("threaded");
    expect(await (await postIntake(retried)).json()).toMatchObject({ caseId: first.caseId, outcome: "threaded", replayed: true });
    expect(await db.caseEvent.count({ where: { caseId: first.caseId, type: "message" } })).toBe(2);
    // Another booking of the same customer is its own case.
    const other = (await (await postIntake(intakeCase({ customerId: "THREAD-1", bookingReference: "THR999" }))).json()) as {
      caseId: string;
    };
    expect(other.caseId).not.toBe(first.caseId);
    // Within one batch, the second message threads onto the first.
    const batch = (await (
      await postIntake({
        cases: [
          intakeCase({ customerId: "THREAD-2", bookingReference: "B2" }),
          intakeCase({ customerId: "THREAD-2", bookingReference: "B2" }),
        ],
      })
    ).json()) as { cases: { caseId: string; outcome: string }[] };
    expect(batch.cases[1]).toMatchObject({ caseId: batch.cases[0]!.caseId, outcome: "threaded" });
  });

  it("stores a valid batch completely, and an invalid one not at all", async () => {
    const good = { cases: Array.from({ length: 25 }, () => intakeCase()) };
    const response = await postIntake(good);
    expect(response.status).toBe(201);
    const body = (await response.json()) as { cases: { caseId: string }[] };
    expect(body.cases).toHaveLength(25);
    expect(await db.case.count({ where: { id: { in: body.cases.map((c) => c.caseId) } } })).toBe(25);

    const before = await db.case.count();
    const bad = { cases: [...Array.from({ length: 10 }, () => intakeCase()), intakeCase({ customerName: "" })] };
    const rejected = await postIntake(bad);
    expect(rejected.status).toBe(400);
    expect(((await rejected.json()) as { problems: { path: string }[] }).problems.map((p) => p.path)).toEqual(["cases.10.customerName"]);
    expect(await db.case.count()).toBe(before);
  });

  it("deflects a plain refund question with the approved template, closes it, counts it, and can reopen it", async () => {
    const response = await postIntake(
      intakeCase({
        language: "nl",
        topics: ["refund-status"],
        customerName: "Daan Bakker",
        subject: "Terugbetaling",
        body: "Waar blijft mijn terugbetaling?",
      })
    );
    const body = (await response.json()) as { caseId: string; outcome: string };
    expect(body.outcome).toBe("deflected");
    const kase = await db.case.findUniqueOrThrow({ where: { id: body.caseId }, include: { events: true } });
    expect(kase.status).toBe("closed");
    expect(kase.deflectedAt).not.toBeNull();
    const deflected = kase.events.find((e) => e.type === "deflected")!;
    const reply = (deflected.data as { reply: string }).reply;
    expect(reply).toContain("Beste Daan Bakker");
    expect(reply).toContain("https://airline.example/refund");

    const staff = await signedIn(supervisor.email, supervisor.password);
    const page = await (await staff.get("/rules/bot")).text();
    expect(page).toMatch(/Answered and closed \(deflected\), last 24 h<\/dt><dd>[1-9]/);
    expect(page).toContain(`href="/cases/${kase.id}"`);
    const reopened = await staff.post("/rules/bot", { intent: "reopen", caseId: kase.id, reason: "Customer also asks about baggage" });
    expect(reopened.status).toBe(200);
    const after = await db.case.findUniqueOrThrow({ where: { id: kase.id } });
    expect(after.status).toBe("open");
    expect(await db.caseEvent.count({ where: { caseId: kase.id, type: "reopened" } })).toBe(1);
    // The deflection stays counted in the event log.
    expect(await db.caseEvent.count({ where: { caseId: kase.id, type: "deflected" } })).toBe(1);
  });
});

describe("CSV import", () => {
  const header =
    "idempotencyKey,channelId,language,customerId,customerName,loyaltyTier,bookingReference,subject,body,liveConversation,topics";

  it("imports every row, or none when any row is invalid (each problem with its row)", async () => {
    const before = await db.case.count();
    const bad = [header, "csv-1,email,en,C1,Ann,gold,AB12,Hello,Body,no,seat", "csv-2,fax,en,C2,Bob,none,,Hi,,maybe,"].join("\n");
    const rejected = await importCasesCsv(bad);
    expect(rejected.ok).toBe(false);
    if (!rejected.ok) {
      const paths = rejected.problems.map((p) => p.path);
      expect(paths).toEqual(expect.arrayContaining(["row 3.channelId", "row 3.body", "row 3.liveConversation"]));
    }
    expect(await db.case.count()).toBe(before);

    const good = [
      header,
      "csv-1,email,en,C1,Ann,gold,AB12,Hello,Body,no,seat;check-in",
      "csv-2,whatsapp,de,C2,Bob,none,,Hallo,Wo ist mein Koffer,yes,",
    ].join("\n");
    const imported = await importCasesCsv(good);
    expect(imported.ok && imported.created).toBe(2);
    const again = await importCasesCsv(good);
    expect(again.ok && again.replayed).toBe(2);
    expect(await db.case.count()).toBe(before + 2);
  });

  it("is available to supervisors as an upload", async () => {
    const staff = await signedIn(supervisor.email, supervisor.password);
    const csrf = await staff.csrfToken();
    const form = new FormData();
    form.set("csrf", csrf);
    form.set(
      "file",
      new Blob([[header, "up-1,email,en,U1,Uma,none,,Upload,Uploaded body,no,seat"].join("\n")], { type: "text/csv" }),
      "cases.csv"
    );
    const response = await staff.request("/cases/import", { method: "POST", body: form });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Imported: 1 new case(s)");
    expect(await db.case.count({ where: { customerId: "U1" } })).toBe(1);
  });
});
