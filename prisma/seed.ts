// Demo data: one account per role, volunteers in every state and a few
// hundred realistic cases. `npm run db:seed`; `npm start` runs it on an empty
// database. Deterministic, so screenshots and tests can rely on it.
import { pathToFileURL } from "node:url";
import type { LoyaltyTier, Prisma, PrismaClient, Role, VolunteerOrigin, VolunteerStatus } from "@prisma/client";
import { hashPassword } from "../app/auth/password.server";
import { getDb } from "../app/db/db.server";
import { classifyCase, DEFAULT_CLASSIFICATION_RULE_SET } from "../app/cases/classification";
import { threadKeyFor } from "../app/cases/intake-schema";
import { demoIntegrationLine, seedCaseDemo } from "../app/cases/cases-demo.server";
import { evaluatePriority } from "../app/cases/priority-model";
import { DEFAULT_PRIORITY_RULE_SET } from "../app/cases/priority-rules";
import { CHANNELS, SUPPORTED_LANGUAGES } from "../app/reference/channels";
import { giveMissingDueTimes } from "../app/console/service-levels.server";
import { DEMO_REPLY_TEMPLATES } from "./demo-templates";
import { seedGestureLimits } from "../app/gestures/gestures.server";

export const DEMO_ACCOUNTS: { role: Role; email: string; name: string; password: string }[] = [
  { role: "admin", email: "admin@surge.test", name: "Ada Admin", password: "surge-admin-demo" },
  { role: "supervisor", email: "supervisor@surge.test", name: "Sanne Supervisor", password: "surge-supervisor-demo" },
  { role: "planner", email: "planner@surge.test", name: "Pieter Planner", password: "surge-planner-demo" },
  { role: "agent", email: "agent@surge.test", name: "Amira Agent", password: "surge-agent-demo" },
  { role: "volunteer", email: "volunteer@surge.test", name: "Vera Volunteer", password: "surge-volunteer-demo" },
];

// A tiny seeded generator so every seed gives the same data.
function generator(seed: number) {
  let state = seed;
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    chance: (p: number) => next() < p,
  };
}

const FIRST_NAMES = ["Anouk", "Bram", "Chloé", "Daan", "Eva", "Femke", "Giulia", "Hugo", "Ines", "Jasper", "Kenji", "Lotte", "Mei", "Noah", "Olga", "Pablo", "Quinten", "Rosa", "Sven", "Tess", "Umar", "Vince", "Wen", "Yara", "Zoë", "Min-jun", "Lucas", "Marta", "Sofia", "Thijs"];
const LAST_NAMES = ["de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "Dubois", "Rossi", "García", "Müller", "Tanaka", "Kim", "Chen", "Silva", "Peeters", "van Dijk", "Martin", "Moreau", "Schmidt", "Bos"];
const BASES = ["AMS", "CDG", "LHR", "FRA", "MAD", "FCO", "JFK", "NRT", "ICN", "PVG", "SIN", "DXB"];
const FLIGHT_PREFIXES = ["SG", "SG", "SG", "KL", "AF"];

const SUBJECTS: Record<string, { subject: string; body: string; topics: string[] }[]> = {
  en: [
    { subject: "Flight cancelled, need a new flight urgently", body: "My flight tomorrow morning was cancelled. I need to get home urgently, what are my options?", topics: ["rebooking"] },
    { subject: "Where is my refund?", body: "I requested a refund three weeks ago for booking {ref} and have not heard anything. How do I get my refund?", topics: ["refund-status"] },
    { subject: "Can I change my date for free?", body: "Because of the travel ban I would like to move my trip to next month. Is that possible without a fee?", topics: ["rebooking"] },
    { subject: "Voucher instead of refund", body: "I was offered a voucher but would prefer my money back. What are the conditions of the voucher?", topics: ["voucher"] },
    { subject: "Payment link not working", body: "I received a payment link for my seat upgrade but it gives an error.", topics: ["payment", "upgrade"] },
    { subject: "Baggage not arrived", body: "My suitcase did not arrive in {base}. File reference attached. When will it be delivered?", topics: ["baggage-status"] },
  ],
  nl: [
    { subject: "Vlucht geannuleerd, dringend nieuwe vlucht nodig", body: "Mijn vlucht van morgen is geannuleerd. Ik moet dringend naar huis. Wat kan ik doen?", topics: ["rebooking"] },
    { subject: "Waar blijft mijn terugbetaling?", body: "Ik heb drie weken geleden terugbetaling aangevraagd voor boeking {ref}. Hoe krijg ik mijn geld terug?", topics: ["refund-status"] },
    { subject: "Datum wijzigen zonder kosten?", body: "Door het reisverbod wil ik mijn reis een maand opschuiven. Kan dat gratis?", topics: ["rebooking"] },
  ],
  fr: [
    { subject: "Vol annulé, besoin urgent d'un nouveau vol", body: "Mon vol de demain a été annulé. Je dois rentrer de façon urgente. Quelles sont mes options ?", topics: ["rebooking"] },
    { subject: "Où est mon remboursement ?", body: "J'ai demandé un remboursement pour la réservation {ref} il y a trois semaines.", topics: ["refund-status"] },
  ],
  de: [
    { subject: "Flug gestrichen, brauche dringend Ersatz", body: "Mein Flug morgen wurde gestrichen. Ich muss dringend nach Hause.", topics: ["rebooking"] },
    { subject: "Gutschein statt Erstattung?", body: "Man hat mir einen Gutschein angeboten. Ich möchte lieber mein Geld zurück.", topics: ["voucher"] },
  ],
  es: [
    { subject: "Vuelo cancelado, necesito otro urgente", body: "Mi vuelo de mañana fue cancelado. Necesito volver a casa urgente.", topics: ["rebooking"] },
    { subject: "¿Dónde está mi reembolso?", body: "Solicité el reembolso de la reserva {ref} hace tres semanas.", topics: ["refund-status"] },
  ],
  it: [{ subject: "Volo cancellato, urgente", body: "Il mio volo di domani è stato cancellato. Devo tornare a casa, è urgente.", topics: ["rebooking"] }],
  pt: [{ subject: "Onde está o meu reembolso?", body: "Pedi o reembolso da reserva {ref} há três semanas.", topics: ["refund-status"] }],
  zh: [{ subject: "航班取消，紧急需要改签", body: "我明天的航班被取消了，我需要紧急回家。", topics: ["rebooking"] }],
  ja: [{ subject: "払い戻しはいつですか", body: "予約{ref}の払い戻しを三週間前に申請しました。", topics: ["refund-status"] }],
  ko: [{ subject: "항공편 취소, 긴급 변경 필요", body: "내일 항공편이 취소되었습니다. 긴급하게 집에 가야 합니다.", topics: ["rebooking"] }],
};

const ORIGINS: VolunteerOrigin[] = ["cabin_crew", "cabin_crew", "cabin_crew", "pilot", "ground", "office"];
const VOLUNTEER_STATES: VolunteerStatus[] = ["invited", "training", "training", "certified", "active", "active", "active", "paused", "released"];
const TIERS: LoyaltyTier[] = ["none", "none", "none", "none", "silver", "silver", "gold", "platinum"];

function bookingReference(rng: ReturnType<typeof generator>): string {
  const letters = "ABCDEFGHJKLMNPQRSTUVWXYZ";
  return Array.from({ length: 6 }, () => rng.pick([...letters])).join("");
}

export async function isDatabaseEmpty(db: PrismaClient = getDb()): Promise<boolean> {
  return (await db.user.count()) === 0;
}

// Every account the demo creates lives under the reserved .test domain.
const DEMO_EMAIL_DOMAINS = ["@surge.test", "@crew.surge.test"];

/** Accounts that the demo did not create: a sign of real data. */
export async function countNonDemoAccounts(db: PrismaClient = getDb()): Promise<number> {
  return db.user.count({ where: { NOT: { OR: DEMO_EMAIL_DOMAINS.map((domain) => ({ email: { endsWith: domain } })) } } });
}

/**
 * `npm run db:seed`: demo data has known passwords and a known intake token,
 * so it is refused on a database that holds accounts the demo did not create,
 * unless forced (--force or SURGE_SEED_FORCE=1). Returns the exit code.
 */
export async function runSeedCommand(
  db: PrismaClient,
  options: { force: boolean; log?: (line: string) => void; error?: (line: string) => void },
): Promise<number> {
  const log = options.log ?? console.log;
  const error = options.error ?? console.error;
  const foreign = await countNonDemoAccounts(db);
  if (foreign > 0 && !options.force) {
    error(
      `Refusing to add demo data: this database holds ${foreign} account${foreign === 1 ? "" : "s"} the demo did not create.\n` +
        "The demo adds accounts with published passwords (admin included) and a known intake token.\n" +
        "If this really is a test database, run `npm run db:seed -- --force` (or set SURGE_SEED_FORCE=1).",
    );
    return 1;
  }
  const wasEmpty = await isDatabaseEmpty(db);
  if (foreign > 0) error(`Forced: adding demo data next to ${foreign} other account${foreign === 1 ? "" : "s"}.`);
  await seedDemoData(db);
  log(wasEmpty ? "Demo data created." : "Demo data topped up (existing rows kept).");
  printDemoAccounts(log);
  return 0;
}

export async function seedDemoData(db: PrismaClient = getDb(), options: { cases?: number; now?: Date } = {}) {
  const rng = generator(20200315);
  const now = options.now ?? new Date();
  const caseCount = options.cases ?? 320;

  await db.channel.createMany({ data: CHANNELS.map((c) => ({ ...c })), skipDuplicates: true });
  await seedGestureLimits(db);
  await db.skill.createMany({
    data: [
      ...CHANNELS.map((c) => ({ id: `channel:${c.id}`, kind: "channel" as const, name: `Channel: ${c.name}` })),
      ...SUPPORTED_LANGUAGES.map((l) => ({ id: `language:${l}`, kind: "language" as const, name: `Language: ${l}` })),
      { id: "topic:refund-status", kind: "topic" as const, name: "Refund status questions" },
      { id: "topic:rebooking", kind: "topic" as const, name: "Simple rebooking" },
      { id: "task:console-basics", kind: "task" as const, name: "Console basics" },
    ],
    skipDuplicates: true,
  });

  const accounts: Record<string, string> = {};
  for (const account of DEMO_ACCOUNTS) {
    const user = await db.user.upsert({
      where: { email: account.email },
      update: {},
      create: { email: account.email, name: account.name, role: account.role, passwordHash: await hashPassword(account.password) },
    });
    accounts[account.role] = user.id;
  }

  // The demo volunteer is certified for WhatsApp and Messenger in English and Dutch.
  const volunteerId = accounts.volunteer!;
  await db.volunteer.upsert({
    where: { userId: volunteerId },
    update: {},
    create: {
      userId: volunteerId,
      employeeNumber: "KL100001",
      origin: "cabin_crew",
      homeBase: "AMS",
      timeZone: "Europe/Amsterdam",
      availability: "Early shifts, Mon-Fri",
      status: "active",
      startDate: now,
      languages: { create: [{ language: "nl", proficiency: "native" }, { language: "en", proficiency: "fluent" }] },
      channels: { connect: [{ id: "whatsapp" }, { id: "messenger" }] },
    },
  });
  await db.userSkill.createMany({
    data: ["channel:whatsapp", "channel:messenger", "language:en", "language:nl", "task:console-basics"].map((skillId) => ({
      userId: volunteerId,
      skillId,
      source: "training" as const,
    })),
    skipDuplicates: true,
  });

  // Forty redeployed colleagues in every state of the enrolment flow.
  for (let i = 0; i < 40; i++) {
    const first = rng.pick(FIRST_NAMES);
    const last = rng.pick(LAST_NAMES);
    const email = `${first}.${last}.${i}`.toLowerCase().normalize("NFD").replace(/[^a-z0-9.]/g, "") + "@crew.surge.test";
    const status = VOLUNTEER_STATES[i % VOLUNTEER_STATES.length]!;
    const languages = [...new Set([rng.pick(SUPPORTED_LANGUAGES), "en" as const])];
    const channels = [...new Set([rng.pick(CHANNELS).id, rng.pick(CHANNELS).id])];
    await db.user.upsert({
      where: { email },
      update: {},
      create: {
        email,
        name: `${first} ${last}`,
        role: "volunteer",
        status: status === "released" ? "disabled" : "active",
        volunteer: {
          create: {
            employeeNumber: `EMP${String(200000 + i)}`,
            origin: ORIGINS[i % ORIGINS.length]!,
            homeBase: rng.pick(BASES),
            timeZone: "Europe/Amsterdam",
            availability: rng.pick(["Early shifts", "Late shifts", "Weekends", "20 hours a week", "Night shifts"]),
            status,
            startDate: new Date(now.getTime() - rng.int(0, 10) * 86_400_000),
            releasedAt: status === "released" ? now : null,
            languages: {
              create: languages.map((language, index) => ({ language, proficiency: index === 0 ? ("native" as const) : ("fluent" as const) })),
            },
            channels: { connect: channels.map((id) => ({ id })) },
          },
        },
      },
    });
  }

  if ((await db.case.count()) === 0) {
    const cases: Prisma.CaseCreateManyInput[] = [];
    for (let i = 0; i < caseCount; i++) {
      const language = rng.chance(0.45) ? "en" : rng.pick(SUPPORTED_LANGUAGES);
      const template = rng.pick(SUBJECTS[language] ?? SUBJECTS.en!);
      const ref = bookingReference(rng);
      const base = rng.pick(BASES);
      const hasFlight = rng.chance(0.8);
      const departureAt = hasFlight ? new Date(now.getTime() + rng.int(-6, 96) * 3_600_000 + rng.int(0, 59) * 60_000) : null;
      const loyaltyTier = rng.pick(TIERS);
      const liveConversation = rng.chance(0.08);
      const paymentLinkUnpaid = template.topics.includes("payment") || rng.chance(0.05);
      const first = rng.pick(FIRST_NAMES);
      const channelId = language === "zh" ? rng.pick(["wechat", "email"]) : language === "ja" ? "line" : language === "ko" ? "kakaotalk" : rng.pick(CHANNELS).id;
      const subject = template.subject;
      const body = template.body.replace("{ref}", ref).replace("{base}", base);
      const receivedAt = new Date(now.getTime() - rng.int(1, 60 * 36) * 60_000);
      const flightNumber = hasFlight ? `${rng.pick(FLIGHT_PREFIXES)}${rng.int(100, 1999)}` : null;
      const customerId = `CUST${String(rng.int(10000, 99999))}`;
      const fields = { channelId, language, subject, body, departureAt, flightNumber, receivedAt, liveConversation, paymentLinkUnpaid, loyaltyTier, topics: template.topics };
      const priority = evaluatePriority(fields, DEFAULT_PRIORITY_RULE_SET, now);
      const classification = classifyCase(fields, { earlierCases: 0, earlierEscalations: 0 }, DEFAULT_CLASSIFICATION_RULE_SET);
      cases.push({
        channelId,
        language,
        customerId,
        customerName: `${first} ${rng.pick(LAST_NAMES)}`,
        loyaltyTier,
        bookingReference: ref,
        flightNumber,
        departureAt,
        subject,
        body,
        receivedAt,
        liveConversation,
        paymentLinkUnpaid,
        topics: template.topics,
        threadKey: threadKeyFor({ customerId, bookingReference: ref }),
        complexity: classification.complexity,
        complexityReason: classification.reason,
        complexityRuleId: classification.ruleId,
        priorityTier: priority.tier,
        priorityReason: priority.reason,
        priorityRuleId: priority.ruleId,
        priorityRecheckAt: priority.recheckAt,
      });
    }
    await db.case.createMany({ data: cases });
    // Give the demo volunteer and agent some work, and escalate a few cases.
    const simpleForVolunteer = await db.case.findMany({
      where: { channelId: { in: ["whatsapp", "messenger"] }, language: { in: ["en", "nl"] }, complexity: "simple" },
      take: 3,
      orderBy: { number: "asc" },
    });
    for (const c of simpleForVolunteer) {
      // Opened already (openedAt): cases being worked, which the push time-out leaves alone.
      await db.case.update({ where: { id: c.id }, data: { status: "assigned", assigneeId: volunteerId, assignedAt: now, openedAt: now } });
      await db.caseEvent.create({ data: { caseId: c.id, type: "assigned", data: { to: volunteerId } } });
    }
    const forAgent = await db.case.findMany({ where: { status: "open", complexity: "complex" }, take: 4, orderBy: { number: "asc" } });
    for (const [index, c] of forAgent.entries()) {
      if (index < 2) {
        await db.case.update({ where: { id: c.id }, data: { status: "assigned", assigneeId: accounts.agent!, assignedAt: now, openedAt: now } });
      } else {
        // Waiting for an experienced agent (level 1): one the volunteer escalated, one the escalation job did.
        await db.case.update({ where: { id: c.id }, data: { status: "escalated", escalationLevel: 1 } });
        await db.escalation.create({
          data:
            index === 2
              ? {
                  caseId: c.id,
                  raisedById: volunteerId,
                  reason: "Angry or vulnerable customer",
                  reasonCode: "angry_or_vulnerable",
                  note: "Customer mentions a medical condition",
                  fromLevel: 0,
                  toLevel: 1,
                }
              : { caseId: c.id, reason: "Due time breached", reasonCode: "auto_due_breached", automatic: true, fromLevel: 0, toLevel: 1 },
        });
      }
    }
  }
  await seedCaseDemo(db);
  await giveMissingDueTimes(db);
  await db.replyTemplate.createMany({ data: DEMO_REPLY_TEMPLATES.map((template) => ({ ...template })), skipDuplicates: true });
  return { accounts };
}

// Run directly: `npm run db:seed`.
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const db = getDb();
  const force = process.argv.includes("--force") || process.env.SURGE_SEED_FORCE === "1";
  const code = await runSeedCommand(db, { force });
  await db.$disconnect();
  process.exit(code);
}

export function printDemoAccounts(log: (line: string) => void = console.log) {
  log("\nDemo sign-ins (demo data only; never use in production):");
  for (const account of DEMO_ACCOUNTS) {
    log(`  ${account.role.padEnd(10)} ${account.email.padEnd(24)} ${account.password}`);
  }
  log(demoIntegrationLine());
}
