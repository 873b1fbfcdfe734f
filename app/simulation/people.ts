// The simulated people, each with their own browser: they do what the real
// ones do, through the same pages (single-fetch data requests and form
// posts), never through the database.
//   admin: integrations, people, skills; supervisor work: reply templates;
//   planner: enrols volunteers from a CSV file and hands out their links;
//   volunteer: signs up from the link, passes the required modules;
//   agent (experienced or volunteer): next case, read, reply from a
//   template, gesture or escalate, resolve.
import { chooseAction, chooseGesture, handlingSeconds, type LanguageCode } from "./crisis-model";
import { RequestFailed, SimBrowser, pause } from "./browser";
import type { Random } from "./random";

export const PASSWORD = "rehearsal password 2026";

function pathOf(link: string): string {
  return link.startsWith("/") ? link : new URL(link).pathname;
}

function expectOk(what: string, result: { status: number; redirect?: string | null }, ok = (s: number) => s < 400) {
  if (!ok(result.status)) throw new RequestFailed(what, result.status, `${what} answered ${result.status}: ${JSON.stringify((result as { data?: unknown }).data ?? null).slice(0, 300)}`);
}

export async function signIn(browser: SimBrowser, email: string, password: string): Promise<void> {
  browser.forgetCsrf();
  const result = await browser.submit("/login", "/login", { email, password });
  if (!result.redirect) throw new RequestFailed("POST /login", result.status, `sign-in as ${email} refused (${result.status})`);
  browser.forgetCsrf();
}

/**
 * Opens an invitation link and chooses a password: signed in. If the post
 * failed on its way, the link may be used already: the person then signs
 * in with the password they chose.
 */
export async function acceptInvitation(browser: SimBrowser, link: string, email?: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await acceptInvitationOnce(browser, link);
      return;
    } catch (error) {
      if (!(error instanceof RequestFailed) || !email || attempt >= 3) throw error;
      await pause(500);
      // The password may have been set before the answer was lost: then the link is used and signing in works.
      try {
        await signIn(browser, email, PASSWORD);
        return;
      } catch (again) {
        if (!(again instanceof RequestFailed)) throw again;
      }
    }
  }
}

async function acceptInvitationOnce(browser: SimBrowser, link: string): Promise<void> {
  const path = pathOf(link);
  const page = await browser.load<{ problem?: string | null }>("/invite/:token", path, "routes/invite.$token");
  if (page.data?.problem) throw new RequestFailed("GET /invite/:token", page.status, page.data.problem);
  browser.forgetCsrf();
  const result = await browser.submit("/invite/:token", path, { password: PASSWORD, confirm: PASSWORD });
  if (!result.redirect) throw new RequestFailed("POST /invite/:token", result.status, `invitation refused (${result.status})`);
  browser.forgetCsrf();
}

export interface Person {
  email: string;
  name: string;
  browser: SimBrowser;
  experienced: boolean;
  languages: LanguageCode[];
  channels: string[];
  casesDone: number;
}

/** Admin: a new person with a role, invited by link (the People screen). */
export async function invitePerson(admin: SimBrowser, person: { name: string; email: string; role: string }): Promise<string> {
  const result = await admin.submit<{ invited?: { link: string } }>("/users", "/users", { intent: "create", ...person });
  const link = result.data?.invited?.link;
  if (!link) throw new RequestFailed("POST /users", result.status, `could not invite ${person.email}: ${JSON.stringify(result.data).slice(0, 200)}`);
  return link;
}

/** Admin or planner: grants skills by hand (Training > Skills), as for an experienced agent. */
export async function grantSkills(admin: SimBrowser, email: string, skillIds: readonly string[]): Promise<void> {
  const found = await admin.load<{ person: { id: string } | null }>("/training/skills", `/training/skills?email=${encodeURIComponent(email)}`, "routes/training.skills");
  const userId = found.data?.person?.id;
  if (!userId) throw new RequestFailed("GET /training/skills", found.status, `no skill holder ${email}`);
  for (const skillId of skillIds) {
    const result = await admin.submit("/training/skills", "/training/skills", { intent: "grant", userId, skillId, reason: "Experienced agent: works this in normal times" });
    expectOk("POST /training/skills", result);
  }
}

/** Admin: an intake integration for the rehearsal's customer channel, delivering to the sink. */
export async function createIntegration(admin: SimBrowser, name: string, webhookUrl: string): Promise<{ id: string; token: string; secret: string }> {
  const created = await admin.submit<{ created?: { id: string; token: string } }>("/integrations", "/integrations", { name });
  const integration = created.data?.created;
  if (!integration) throw new RequestFailed("POST /integrations", created.status, `integration not created: ${JSON.stringify(created.data)}`);
  const hook = await admin.submit<{ secret?: { secret: string } }>("/integrations", "/integrations", { intent: "webhook", id: integration.id, webhookUrl });
  const secret = hook.data?.secret?.secret;
  if (!secret) throw new RequestFailed("POST /integrations", hook.status, `no webhook secret: ${JSON.stringify(hook.data)}`);
  return { id: integration.id, token: integration.token, secret };
}

const TEMPLATE_TEXT: Record<string, string> = {
  en: "Thank you for your patience. We have looked at your question and taken care of it. Kind regards, {{agentName}}",
  nl: "Dank voor uw geduld. We hebben uw vraag bekeken en afgehandeld. Met vriendelijke groet, {{agentName}}",
  fr: "Merci de votre patience. Nous avons traité votre demande. Cordialement, {{agentName}}",
  de: "Vielen Dank für Ihre Geduld. Wir haben Ihre Anfrage bearbeitet. Mit freundlichen Grüßen, {{agentName}}",
  es: "Gracias por su paciencia. Hemos atendido su consulta. Saludos cordiales, {{agentName}}",
  it: "Grazie per la pazienza. Abbiamo gestito la sua richiesta. Cordiali saluti, {{agentName}}",
  pt: "Obrigado pela sua paciência. Tratámos do seu pedido. Cumprimentos, {{agentName}}",
  zh: "感谢您的耐心等待。我们已处理您的问题。{{agentName}}",
  ja: "お待たせしました。お問い合わせに対応いたしました。{{agentName}}",
  ko: "기다려 주셔서 감사합니다. 문의를 처리했습니다. {{agentName}}",
};

/** Supervisor work: a reply template in every language (kept if it exists). */
export async function ensureTemplates(admin: SimBrowser): Promise<void> {
  const existing = await admin.load<{ templates: { name: string; language: string }[] }>("/templates", "/templates", "routes/templates");
  const have = new Set((existing.data?.templates ?? []).map((t) => `${t.name}\0${t.language}`));
  for (const [language, body] of Object.entries(TEMPLATE_TEXT)) {
    if (have.has(`Rehearsal answer\0${language}`)) continue;
    const result = await admin.submit("/templates", "/templates", { intent: "template", name: "Rehearsal answer", language, body, active: "on" });
    expectOk("POST /templates", result);
  }
}

/**
 * Planner: enrols a wave of volunteers from a CSV file (upload, the proposed
 * column mapping, dry run, commit) and downloads their invitation links.
 */
export async function enrolWave(planner: SimBrowser, csv: string): Promise<Map<string, string>> {
  const uploaded = await planner.upload("/volunteers/import", "/volunteers/import", {}, { name: "volunteers.csv", type: "text/csv", content: csv });
  if (!uploaded.redirect) throw new RequestFailed("POST /volunteers/import", uploaded.status, `upload refused: ${JSON.stringify(uploaded.data).slice(0, 300)}`);
  const importPath = uploaded.redirect;
  const importId = importPath.split("/").pop()!;
  const page = await planner.load<{ preview: { mapping: (string | null)[] } | null }>("/volunteers/import/:id", importPath, "routes/volunteers.import.$importId");
  const mapping = page.data?.preview?.mapping ?? [];
  const fields: Record<string, string> = { intent: "dry-run", defaultProficiency: "fluent" };
  mapping.forEach((field, position) => (fields[`column.${position}`] = field ?? ""));
  // A dry run may run again; a commit only if the page still says it has not started.
  expectOk("POST /volunteers/import/:id", await planner.submit("/volunteers/import/:id", importPath, fields, { idempotent: true }));
  for (let attempt = 1; ; attempt++) {
    try {
      expectOk("POST /volunteers/import/:id", await planner.submit("/volunteers/import/:id", importPath, { intent: "commit", mode: "all_or_nothing" }));
      break;
    } catch (error) {
      if (!(error instanceof RequestFailed) || attempt >= 5) throw error;
      await pause(500);
      const state = await planner.load<{ status: string }>("/volunteers/import/:id", importPath, "routes/volunteers.import.$importId");
      if (state.data && state.data.status !== "dry_run" && state.data.status !== "failed") break;
    }
  }
  for (let attempt = 0; attempt < 300; attempt++) {
    // Each download issues fresh links, so asking again is harmless.
    const response = await planner.fetch("POST /volunteers/invitations.csv", "/volunteers/invitations.csv", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrf: await planner.csrfToken(), importId }),
      idempotent: true,
    });
    const lines = (await response.text()).trim().split("\n").slice(1);
    if (response.status === 200 && lines.length > 0) {
      return new Map(lines.map((line) => line.split(",")).map((cells) => [cells[1]!, pathOf(cells[2]!)]));
    }
    await pause(200);
  }
  throw new RequestFailed("POST /volunteers/invitations.csv", null, "the import never enrolled anybody");
}

export interface QuizKey {
  moduleId: string;
  answers: Record<string, string | string[]>;
}

/** Volunteer: passes each required module's quiz, in order. */
export async function passTraining(volunteer: SimBrowser, modules: readonly QuizKey[]): Promise<void> {
  for (const module of modules) {
    await volunteer.load("/training/:id", `/training/${module.moduleId}`, "routes/training.$moduleId");
    // Answering a quiz again after passing it changes nothing, so a failed post is simply sent again.
    const result = await volunteer.submit("/training/:id", `/training/${module.moduleId}`, { intent: "quiz", ...module.answers }, { idempotent: true });
    expectOk("POST /training/:id", result);
  }
}

interface WorkspaceData {
  case: { id: string; language: string; topics: string[]; status: string; channelId: string };
  templates: { id: string; language: string; missing: string[]; disclosesBooking: boolean }[];
  contactReasons: { id: string }[];
  timeline: { type: string; actorId: string | null }[];
  may: { reply: boolean; work: boolean };
}

export interface WorkContext {
  random: Random;
  /** Simulated seconds per real second. */
  speed: number;
  running(): boolean;
  count(name: string, by?: number): void;
  /** Escalates the case the way the app offers it (one place: see escalateCase). */
  escalate(browser: SimBrowser, caseId: string, reason: string): Promise<boolean>;
}

/** Sleeps a simulated duration at the clock's speed. */
function simSleep(context: WorkContext, simSeconds: number): Promise<void> {
  return pause((simSeconds / context.speed) * 1000);
}

/**
 * How a case is escalated. Today that is the gesture panel's "escalate
 * instead" (a gesture above the role's limit); when the escalation route
 * lands this is the one place to change.
 */
export async function escalateCase(browser: SimBrowser, caseId: string, reason: string): Promise<boolean> {
  const result = await browser.json<{ escalated?: boolean }>("/cases/:id/gestures", `/cases/${caseId}/gestures`, { intent: "escalate", type: "miles", amount: "5000", reason }, { form: true });
  return result.status === 200 && result.body.escalated === true;
}

/** One case, from "Next case" to resolution. Returns false when there was no case to take. */
export async function workOneCase(person: Person, context: WorkContext): Promise<boolean> {
  const { browser } = person;
  const next = await browser.submit<{ reason?: string }>("/cases/next", "/cases/next", {});
  if (!next.redirect?.startsWith("/cases/")) {
    context.count(`next case: ${next.data?.reason ?? next.status}`);
    return false;
  }
  const caseId = next.redirect.split("/").pop()!.split("?")[0]!;
  await finishCase(person, context, caseId, context.random);
  return true;
}

/** Reads, answers and closes a case the person holds; after an error it looks again before acting twice. */
export async function finishCase(person: Person, context: WorkContext, caseId: string, random: Random): Promise<void> {
  const { browser } = person;
  const view = await browser.load<WorkspaceData>("/cases/:id", `/cases/${caseId}`, "routes/cases.$caseId");
  const kase = view.data;
  if (!kase || !kase.may.work) {
    context.count("case gone before work");
    return;
  }
  await simSleep(context, handlingSeconds(random, person));
  const action = chooseAction(random, kase.case, person);
  if (action === "escalate") {
    if (await context.escalate(browser, caseId, `Needs an experienced colleague: ${kase.case.topics.join(", ") || "unclear question"}`)) {
      context.count("escalated");
      person.casesDone++;
      return;
    }
  }
  const replied = kase.timeline.some((e) => e.type === "replied");
  if (!replied && kase.may.reply) {
    const template = kase.templates.find((t) => t.language === kase.case.language && t.missing.length === 0 && !t.disclosesBooking) ?? kase.templates.find((t) => t.missing.length === 0 && !t.disclosesBooking);
    if (!template) {
      context.count("no template");
      return;
    }
    const reply = await browser.submit<{ ok: boolean }>("/cases/:id", `/cases/${caseId}`, { intent: "reply", templateId: template.id, text: "" });
    if (reply.data?.ok) context.count("replies");
    else context.count(`reply refused ${reply.status}`);
  }
  if (action === "gesture_and_resolve") {
    const gesture = chooseGesture(random);
    const given = await browser.json<{ reason?: string }>("/cases/:id/gestures", `/cases/${caseId}/gestures`, { intent: "give", type: gesture.type, amount: String(gesture.amount), reason: "Sorry for the disruption" }, { form: true });
    if (given.status === 201 || given.status === 200) context.count("gestures");
    else if (given.status === 403 && given.body.reason === "over_case_limit") {
      // Above what the role may give: the toolkit's answer is to escalate.
      if (await context.escalate(browser, caseId, `Customer asks for ${gesture.amount} ${gesture.type}, above my limit`)) {
        context.count("escalated");
        person.casesDone++;
        return;
      }
    } else context.count(`gesture refused ${given.status}: ${JSON.stringify(given.body).slice(0, 80)}`);
  }
  const reason = random.pick(kase.contactReasons.map((r) => r.id));
  const resolved = await browser.submit<{ ok: boolean }>("/cases/:id", `/cases/${caseId}`, { intent: "resolve", reasons: [reason] });
  if (resolved.data?.ok) {
    context.count("resolved");
    person.casesDone++;
  } else context.count(`resolve refused ${resolved.status}`);
}

/** The cases a person holds (Presence), to pick up after an error. */
export async function heldCases(browser: SimBrowser): Promise<string[]> {
  const page = await browser.load<{ cases: { id: string; status: string }[] }>("/presence", "/presence", "routes/presence");
  return (page.data?.cases ?? []).filter((c) => c.status === "assigned").map((c) => c.id);
}

export async function goOffline(browser: SimBrowser): Promise<void> {
  await browser.submit("/presence", "/presence", { intent: "offline" });
}
