// Enrolling one volunteer with the form, the volunteer's page, the roster
// (filters, sort, pagination, bulk actions, export) and release at the end
// of the surge, all through HTTP as planners and supervisors use them.
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../app/db/db.server";
import { DEMO_ACCOUNTS, seedDemoData } from "../prisma/seed";
import { signedIn, Visitor } from "./support/app-client";

const db = getDb();
const planner = DEMO_ACCOUNTS.find((a) => a.role === "planner")!;
const supervisor = DEMO_ACCOUNTS.find((a) => a.role === "supervisor")!;
const agent = DEMO_ACCOUNTS.find((a) => a.role === "agent")!;
let visitor: Visitor;

beforeAll(async () => {
  await seedDemoData(db, { cases: 20 });
  visitor = await signedIn(planner.email, planner.password);
});

const decode = (html: string) => html.replace(/&#x27;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, "&");

function person(overrides: Record<string, string | string[]> = {}) {
  return {
    intent: "enrol",
    name: "Noor Haddad",
    email: "noor.haddad@airline.example",
    employeeNumber: "e500100",
    origin: "cabin_crew",
    homeBase: "ams",
    "languages.0.code": "ar",
    "languages.0.proficiency": "native",
    "languages.1.code": "en",
    "languages.1.proficiency": "fluent",
    "languages.2.code": "",
    "languages.2.proficiency": "",
    channels: ["whatsapp", "messenger"],
    timeZone: "europe/amsterdam",
    availability: "Early shifts",
    startDate: "2024-03-16",
    endDate: "2024-05-31",
    notes: "",
    ...overrides,
  };
}

async function enrol(overrides: Record<string, string | string[]> = {}) {
  const response = await visitor.post("/volunteers/new", person(overrides));
  const html = await response.text();
  const link = /class="copy-link">([^<]+)</.exec(html)?.[1];
  return { response, html, link };
}

describe("the enrolment form", () => {
  it("enrols a volunteer: an account without password, the profile, and a working invitation link", async () => {
    const { response, link } = await enrol();
    expect(response.status).toBe(200);
    expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]{40,}$/);
    const user = await db.user.findUniqueOrThrow({
      where: { email: "noor.haddad@airline.example" },
      include: { volunteer: { include: { languages: true, channels: true } } },
    });
    expect(user.role).toBe("volunteer");
    expect(user.passwordHash).toBeNull();
    const volunteer = user.volunteer!;
    expect(volunteer).toMatchObject({ employeeNumber: "E500100", homeBase: "AMS", timeZone: "Europe/Amsterdam", status: "invited", origin: "cabin_crew" });
    expect(volunteer.languages.map((l) => `${l.language}:${l.proficiency}`).sort()).toEqual(["ar:native", "en:fluent"]);
    expect(volunteer.channels.map((c) => c.id).sort()).toEqual(["messenger", "whatsapp"]);
    expect(await db.auditLog.count({ where: { action: "volunteer.enrolled", subjectId: volunteer.id } })).toBe(1);
    const invite = await new Visitor().get(new URL(link!).pathname);
    expect(invite.status).toBe(200);
  });

  it("renders the form with every field labelled and an announced error slot", async () => {
    const html = await (await visitor.get("/volunteers/new")).text();
    for (const label of ["Name", "Email", "Employee number", "Origin", "Home base", "Time zone", "Availability", "Start date", "End date", "Notes"]) {
      expect(html).toMatch(new RegExp(`<label for="[^"]+">${label}</label>`));
    }
    expect(html).toContain("<legend>Languages (at least one)</legend>");
    expect(html).toContain('aria-live="polite"');
  });

  it.each([
    ["an invalid email", { email: "noor@" }, "email", "'noor@' is not a valid email address."],
    ["an unknown language", { "languages.0.code": "xx" }, "languages", "Unknown language code 'xx'"],
    ["an unknown airport", { homeBase: "QQQ" }, "homeBase", "Unknown airport code 'QQQ'"],
    ["dates in the wrong order", { startDate: "2024-05-01", endDate: "2024-04-01" }, "endDate", "The end date 2024-04-01 is before the start date 2024-05-01."],
    ["no channel", { channels: [] }, "channels", "Choose at least one channel"],
    ["a formula as name", { name: "=cmd|' /C calc'!A0" }, "name", "starts with a formula character"],
  ])("refuses %s without JavaScript, with the message next to the field, creating nothing", async (_label, overrides, _field, message) => {
    const before = await db.volunteer.count();
    const { response, html } = await enrol({ email: "second.person@airline.example", employeeNumber: "E500200", ...overrides });
    expect(response.status).toBe(400);
    const page = decode(html);
    // The message sits in the field's own error element, which the input points at, and the summary alerts.
    expect(page).toMatch(new RegExp(`class="field-error" aria-live="polite">[^<]*${message.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").slice(0, 30)}`));
    expect(page).toContain('role="alert"');
    expect(page).toContain('aria-invalid="true"');
    // What was typed is kept.
    const typedEmail = "email" in overrides ? overrides.email : "second.person@airline.example";
    expect(page).toContain(`value="${typedEmail}"`);
    expect(await db.volunteer.count()).toBe(before);
  });

  it("refuses a second enrolment of the same email or employee number", async () => {
    const sameEmail = await enrol({ employeeNumber: "E999999" });
    expect(sameEmail.response.status).toBe(409);
    expect(sameEmail.html).toContain("already has an account");
    const sameNumber = await enrol({ email: "other.person@airline.example" });
    expect(sameNumber.response.status).toBe(409);
    expect(sameNumber.html).toContain("is already enrolled");
  });

  it("is for planners: an agent and a supervisor may not enrol", async () => {
    const asAgent = await signedIn(agent.email, agent.password);
    expect((await asAgent.get("/volunteers/new")).status).toBe(403);
    const asSupervisor = await signedIn(supervisor.email, supervisor.password);
    const post = await asSupervisor.post("/volunteers/new", person({ email: "sup@airline.example", employeeNumber: "E1" }));
    expect(post.status).toBe(403);
    expect(await db.user.count({ where: { email: "sup@airline.example" } })).toBe(0);
  });
});

describe("a volunteer's page", () => {
  it("re-issues the invitation link, replacing the earlier one", async () => {
    const { link } = await enrol({ email: "reissue@airline.example", employeeNumber: "E500300" });
    const volunteer = await db.volunteer.findUniqueOrThrow({ where: { employeeNumber: "E500300" } });
    const response = await visitor.post(`/volunteers/${volunteer.id}`, { intent: "reinvite" });
    expect(response.status).toBe(200);
    const fresh = /class="copy-link">([^<]+)</.exec(await response.text())?.[1];
    expect(fresh).toBeTruthy();
    expect(fresh).not.toBe(link);
    expect((await new Visitor().get(new URL(link!).pathname)).status).toBe(410);
    expect((await new Visitor().get(new URL(fresh!).pathname)).status).toBe(200);
  });

  it("edits a volunteer with the same rules and records what changed", async () => {
    const volunteer = await db.volunteer.findUniqueOrThrow({ where: { employeeNumber: "E500300" } });
    const bad = await visitor.post(`/volunteers/${volunteer.id}`, person({ intent: "update", email: "reissue@airline.example", employeeNumber: "E500300", homeBase: "ZZZ" }));
    expect(bad.status).toBe(400);
    expect(decode(await bad.text())).toContain("Unknown airport code 'ZZZ'");
    const saved = await visitor.post(
      `/volunteers/${volunteer.id}`,
      person({ intent: "update", email: "reissue@airline.example", employeeNumber: "E500300", homeBase: "CDG", availability: "" }),
    );
    expect(saved.status).toBe(200);
    expect(await saved.text()).toContain("Saved: home base, availability");
    const after = await db.volunteer.findUniqueOrThrow({ where: { id: volunteer.id } });
    expect(after.homeBase).toBe("CDG");
    expect(after.availability).toBeNull();
    const audit = await db.auditLog.findFirstOrThrow({ where: { action: "volunteer.updated", subjectId: volunteer.id } });
    expect(audit.data).toMatchObject({ changes: ["homeBase", "availability"] });
  });

  it("tracks the status a planner sets", async () => {
    const volunteer = await db.volunteer.findUniqueOrThrow({ where: { employeeNumber: "E500300" } });
    for (const status of ["training", "certified", "active"]) {
      const response = await visitor.post(`/volunteers/${volunteer.id}`, { intent: "status", status });
      expect(response.status).toBe(200);
      expect((await db.volunteer.findUniqueOrThrow({ where: { id: volunteer.id } })).status).toBe(status);
    }
    expect((await visitor.post(`/volunteers/${volunteer.id}`, { intent: "status", status: "released" })).status).toBe(400);
    expect(await db.auditLog.count({ where: { action: "volunteer.status_changed", subjectId: volunteer.id } })).toBe(3);
  });
});

describe("the roster", () => {
  beforeAll(async () => {
    // Six known volunteers with distinct languages, channels, bases and training.
    const rows = [
      ["Roster Anna", "ra", "cabin_crew", "AMS", "fr", "wechat", 0],
      ["Roster Bert", "rb", "pilot", "CDG", "fr", "line", 2],
      ["Roster Cato", "rc", "ground", "AMS", "ja", "line", 5],
      ["Roster Dirk", "rd", "office", "FRA", "ja", "wechat", 1],
      ["Roster Eline", "re", "cabin_crew", "AMS", "ko", "kakaotalk", 0],
      ["Roster Fleur", "rf", "other", "LHR", "ko", "kakaotalk", 3],
    ] as const;
    for (const [index, [name, code, origin, base, language, channel, passed]] of rows.entries()) {
      const user = await db.user.create({
        data: {
          name,
          email: `${code}@roster.example`,
          role: "volunteer",
          volunteer: {
            create: {
              employeeNumber: `R${index}`,
              origin,
              homeBase: base,
              languages: { create: [{ language, proficiency: "native" }] },
              channels: { connect: [{ id: channel }] },
            },
          },
        },
      });
      for (let m = 0; m < passed; m++) {
        await db.trainingProgress.create({ data: { userId: user.id, moduleId: `module-${m}`, status: "passed", passedAt: new Date() } });
      }
      await db.trainingProgress.create({ data: { userId: user.id, moduleId: "module-open", status: "in_progress" } });
    }
    for (let i = 0; i < 10; i++) {
      await db.user.create({
        data: {
          name: `Filler ${i}`,
          email: `filler.${i}@roster.example`,
          role: "volunteer",
          volunteer: { create: { employeeNumber: `F${i}`, origin: "office", languages: { create: [{ language: "en", proficiency: "basic" }] } } },
        },
      });
    }
  });

  const namesIn = (html: string) => [...html.matchAll(/<a [^>]*href="\/volunteers\/[^"]+">(Roster [A-Za-z]+)<\/a>/g)].map((m) => m[1]);

  it("filters by language, channel, origin, base and training progress", async () => {
    expect(namesIn(await (await visitor.get("/volunteers?language=fr&q=Roster")).text())).toEqual(["Roster Anna", "Roster Bert"]);
    expect(namesIn(await (await visitor.get("/volunteers?channel=kakaotalk&q=Roster")).text())).toEqual(["Roster Eline", "Roster Fleur"]);
    expect(namesIn(await (await visitor.get("/volunteers?origin=cabin_crew&base=AMS&q=Roster")).text())).toEqual(["Roster Anna", "Roster Eline"]);
    expect(namesIn(await (await visitor.get("/volunteers?training=3&q=Roster")).text())).toEqual(["Roster Cato", "Roster Fleur"]);
    expect(namesIn(await (await visitor.get("/volunteers?training=none&q=Roster")).text())).toEqual(["Roster Anna", "Roster Eline"]);
    expect(namesIn(await (await visitor.get("/volunteers?status=paused&q=Roster")).text())).toEqual([]);
  });

  it("sorts by training progress and by base, and pages through 50 at a time", async () => {
    const byTraining = namesIn(await (await visitor.get("/volunteers?q=Roster&sort=training")).text());
    expect(byTraining.slice(0, 4)).toEqual(["Roster Cato", "Roster Fleur", "Roster Bert", "Roster Dirk"]);
    const byBase = namesIn(await (await visitor.get("/volunteers?q=Roster&sort=base")).text());
    expect(byBase).toEqual(["Roster Anna", "Roster Cato", "Roster Eline", "Roster Bert", "Roster Dirk", "Roster Fleur"]);
    const total = await db.volunteer.count();
    expect(total).toBeGreaterThan(50);
    const first = await (await visitor.get("/volunteers")).text();
    expect(first).toContain(`<caption>${total}<!-- --> volunteers`);
    expect((first.match(/name="volunteerId"/g) ?? []).length).toBe(50);
    const second = await (await visitor.get("/volunteers?page=2")).text();
    expect((second.match(/name="volunteerId"/g) ?? []).length).toBe(total - 50);
  });

  it("pauses and grants a skill in bulk, only with a valid CSRF token", async () => {
    const ids = (await db.volunteer.findMany({ where: { employeeNumber: { in: ["R0", "R1"] } }, select: { id: true } })).map((v) => v.id);
    const forged = await visitor.post("/volunteers?index", { bulk: "pause", volunteerId: ids }, { csrf: "forged-token-forged-token-forged-token" });
    expect(forged.status).toBe(403);
    expect(await db.volunteer.count({ where: { id: { in: ids }, status: "paused" } })).toBe(0);

    const paused = await visitor.post("/volunteers?index", { bulk: "pause", volunteerId: ids });
    expect(paused.status).toBe(200);
    expect(await db.volunteer.count({ where: { id: { in: ids }, status: "paused" } })).toBe(2);
    expect(namesIn(await (await visitor.get("/volunteers?status=paused&q=Roster")).text())).toEqual(["Roster Anna", "Roster Bert"]);

    const granted = await visitor.post("/volunteers?index", { bulk: "grant", skillId: "topic:refund-status", reason: "Refund desk", volunteerId: ids });
    expect(granted.status).toBe(200);
    const skills = await db.userSkill.findMany({ where: { skillId: "topic:refund-status", user: { volunteer: { id: { in: ids } } } } });
    expect(skills).toHaveLength(2);
    expect(skills.every((s) => s.source === "planner")).toBe(true);
    expect(await db.auditLog.count({ where: { action: "skill.granted", subjectType: "User", subjectId: { in: skills.map((s) => s.userId) } } })).toBe(2);
  });

  it("re-invites the selected people with fresh links as CSV, leaving out those who signed up", async () => {
    const ids = (await db.volunteer.findMany({ where: { employeeNumber: { in: ["R2", "R3"] } }, select: { id: true } })).map((v) => v.id);
    const demo = await db.volunteer.findFirstOrThrow({ where: { user: { email: "volunteer@surge.test" } } });
    const response = await visitor.post("/volunteers/invitations.csv", { volunteerId: [...ids, demo.id] });
    expect(response.status).toBe(200);
    expect(response.headers.get("X-Surge-Skipped")).toBe("1");
    const lines = (await response.text()).replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(lines).toHaveLength(3);
    expect(lines.some((line) => line.includes("volunteer@surge.test"))).toBe(false);
    const link = lines[1]!.split(",")[2]!;
    expect((await new Visitor().get(new URL(link).pathname)).status).toBe(200);
    expect((await visitor.post("/volunteers/invitations.csv", {})).status).toBe(400);
  });

  it("exports the filtered roster as CSV with formula-like values neutralised", async () => {
    await db.volunteer.update({ where: { employeeNumber: "R5" }, data: { notes: "=HYPERLINK(\"http://attacker.example\")", availability: "@SUM(1)" } });
    const response = await visitor.get("/volunteers/export.csv?channel=kakaotalk&q=Roster");
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Disposition")).toMatch(/attachment; filename="volunteers-\d{4}-\d{2}-\d{2}\.csv"/);
    const csv = (await response.text()).replace(/^\uFEFF/, "");
    const lines = csv.trim().split("\r\n");
    expect(lines[0]).toBe("Name,Email,Employee number,Origin,Home base,Languages,Channels,Time zone,Availability,Start date,End date,Notes,Status,Training progress");
    expect(lines).toHaveLength(3);
    const fleur = lines.find((line) => line.startsWith("Roster Fleur"))!;
    expect(fleur).toContain("'@SUM(1)");
    expect(fleur).toContain(`"'=HYPERLINK(`);
    expect(fleur).toContain("3 passed");
  });

  it("lets a supervisor read the roster but not change it; agents do not see it", async () => {
    const asSupervisor = await signedIn(supervisor.email, supervisor.password);
    const page = await asSupervisor.get("/volunteers");
    expect(page.status).toBe(200);
    expect(await page.text()).not.toContain('name="volunteerId"');
    const id = (await db.volunteer.findFirstOrThrow({ where: { employeeNumber: "R4" } })).id;
    expect((await asSupervisor.post("/volunteers?index", { bulk: "pause", volunteerId: id })).status).toBe(403);
    const asAgent = await signedIn(agent.email, agent.password);
    expect((await asAgent.get("/volunteers")).status).toBe(403);
    expect((await asAgent.get("/volunteers/export.csv")).status).toBe(403);
  });
});

describe("release at the end of the surge", () => {
  it("locks the account, ends sessions, returns open cases to the queue and keeps the history", async () => {
    const { link } = await enrol({ name: "Release Me", email: "release.me@airline.example", employeeNumber: "E700001" });
    const person = new Visitor();
    expect((await person.post(new URL(link!).pathname, { password: "a long enough pass", confirm: "a long enough pass" })).status).toBe(302);
    expect((await person.get("/")).status).toBe(200);
    const user = await db.user.findUniqueOrThrow({ where: { email: "release.me@airline.example" }, include: { volunteer: true } });
    const [assigned, onHold, resolved] = await db.case.findMany({ where: { assigneeId: null }, take: 3, orderBy: { number: "asc" } });
    await db.case.update({ where: { id: assigned!.id }, data: { status: "assigned", assigneeId: user.id, assignedAt: new Date() } });
    await db.case.update({ where: { id: onHold!.id }, data: { status: "on_hold", assigneeId: user.id } });
    await db.case.update({ where: { id: resolved!.id }, data: { status: "resolved", assigneeId: user.id } });

    const unconfirmed = await visitor.post("/volunteers?index", { bulk: "release", volunteerId: user.volunteer!.id });
    expect(unconfirmed.status).toBe(400);
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).status).toBe("active");

    const released = await visitor.post("/volunteers?index", { bulk: "release", confirmRelease: "yes", volunteerId: user.volunteer!.id });
    expect(released.status).toBe(200);
    expect(await released.text()).toContain("1 released; 2 of their open cases went back to the queue");

    const after = await db.user.findUniqueOrThrow({ where: { id: user.id }, include: { volunteer: true, sessions: true } });
    expect(after.status).toBe("disabled");
    expect(after.volunteer!.status).toBe("released");
    expect(after.volunteer!.releasedAt).toBeInstanceOf(Date);
    expect(after.sessions).toHaveLength(0);
    // The open session no longer works, and signing in again is refused.
    const home = await person.get("/");
    expect(home.status).toBe(302);
    expect(home.headers.get("Location")).toMatch(/^\/login/);
    expect((await new Visitor().signIn("release.me@airline.example", "a long enough pass")).status).not.toBe(302);

    for (const c of [assigned!, onHold!]) {
      const now = await db.case.findUniqueOrThrow({ where: { id: c.id }, include: { events: true } });
      expect(now.status).toBe("open");
      expect(now.assigneeId).toBeNull();
      const event = now.events.find((e) => e.type === "unassigned")!;
      expect(event.data).toMatchObject({ reason: "volunteer released", from: user.id });
    }
    // History stays: the resolved case still names them, the profile is kept.
    expect((await db.case.findUniqueOrThrow({ where: { id: resolved!.id } })).assigneeId).toBe(user.id);
    expect(await db.volunteer.count({ where: { id: user.volunteer!.id } })).toBe(1);
    // Released people get no new invitation.
    expect((await visitor.post(`/volunteers/${user.volunteer!.id}`, { intent: "reinvite" })).status).toBe(409);
  });

  it("shows who enrolled, updated and released whom in the audit log a supervisor reads", async () => {
    const volunteer = await db.volunteer.findUniqueOrThrow({ where: { employeeNumber: "E700001" } });
    const entries = await db.auditLog.findMany({ where: { subjectId: volunteer.id }, include: { actor: true }, orderBy: { createdAt: "asc" } });
    expect(entries.map((e) => e.action)).toEqual(expect.arrayContaining(["volunteer.enrolled", "volunteer.released"]));
    expect(entries.every((e) => e.actor?.email === planner.email || e.action === "invitation.accepted")).toBe(true);
    const asSupervisor = await signedIn(supervisor.email, supervisor.password);
    const html = await (await asSupervisor.get("/audit")).text();
    // In words, with the volunteer's name rather than ids.
    const person = await db.user.findUniqueOrThrow({ where: { id: volunteer.userId } });
    expect(html).toContain("Volunteer released");
    expect(html).toContain(`Volunteer<!-- -->: ${person.name}`);
    // What the page shows (not the data behind it) names people, not ids.
    expect(html.split("<script")[0]).not.toContain(volunteer.id);
  });
});
