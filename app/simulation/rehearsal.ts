// Runs one rehearsal: sets the stage (integration, templates, people), then
// replays a crisis day at an accelerated clock against the app instances
// and measures it; stops cleanly when the day is over or when asked
// (Ctrl-C), and ends with the checks. Used by the CLI (simulate-cli.ts), the
// bench and the tests.
import { randomUUID } from "node:crypto";
import { startCustomerSink, type CustomerSink } from "~/delivery/customer-sink.server";
import { Instances, RequestFailed, SimBrowser, pause } from "./browser";
import { freePort, type Cluster } from "./cluster.server";
import { casesDueBy, CHANNEL_MIX, DAY_SECONDS, FOLLOW_UP_SHARE, followUpOf, generateCase, LANGUAGE_MIX, type LanguageCode, type SimulatedCase } from "./crisis-model";
import { Metrics, type BacklogSample, type FaultRecord } from "./metrics";
import {
  acceptInvitation,
  createIntegration,
  enrolWave,
  ensureTemplates,
  escalateCase,
  finishCase,
  goOffline,
  grantSkills,
  heldCases,
  invitePerson,
  passTraining,
  signIn,
  workOneCase,
  type Person,
  type QuizKey,
  type WorkContext,
} from "./people";
import { seededRandom, type Random } from "./random";
import { runChecks, waitForOutbox, withClient, type RunChecks } from "./run-checks.server";
import { adviceFromBoardData, adviceIntervalMs, BOARD_PAGE, type AdviceSample } from "./staffing-advice";

export type FaultKind = "kill" | "terminate-connections" | "sigterm";

export interface RehearsalOptions {
  instances: string[];
  databaseUrl: string;
  admin: { email: string; password: string };
  cases: number;
  /** People taking cases: experienced agents and volunteers together. */
  agents: number;
  /** Share of `agents` who are volunteers enrolled in waves (default 0.4). */
  volunteerShare?: number;
  waves?: number;
  /** Real seconds the simulated day lasts (the clock runs at 86,400 / this). */
  daySeconds: number;
  seed: number;
  /** Cases each person works at once (default 2; never above a channel's limit, the app sees to that). */
  handsPerPerson?: number;
  /** Faults to inject, each at a fraction of the day; needs `cluster`. */
  faults?: { kind: FaultKind; at: number }[];
  cluster?: Cluster;
  /** The quiz answers of the required volunteer modules, in order. */
  training: QuizKey[];
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
  /** How long to wait for queued replies to be delivered at the end. */
  drainMs?: number;
  log?: (line: string) => void;
}

export interface Progress {
  phase: "setting up" | "running" | "stopping" | "checking" | "done";
  dayFraction: number;
  simSeconds: number;
  posted: number;
  total: number;
  backlog: number;
  resolved: number;
  peopleWorking: number;
  errors: number;
}

export interface RehearsalReport {
  runId: string;
  options: { cases: number; agents: number; instances: number; daySeconds: number; speed: number; seed: number; faults: { kind: FaultKind; at: number }[] };
  stoppedEarly: boolean;
  durationSeconds: number;
  setupSeconds: number;
  /** Real seconds from the start of the day to the end of the work (before the checks). */
  workSeconds: number;
  intake: { posted: number; created: number; threaded: number; deflected: number; followUps: number };
  counters: Record<string, number>;
  people: { experienced: number; volunteers: number; volunteersWorking: number; waves: { at: number; enrolled: number; trained: number; working: number }[] };
  latency: ReturnType<Metrics["latencySummary"]>;
  errors: { total: number; withoutFault: number; samples: Metrics["errors"] };
  faults: FaultRecord[];
  samples: BacklogSample[];
  peakRssMb: number[] | null;
  /** Requests sent to each instance. */
  requestsPerInstance: Record<string, number>;
  /** Background job runs during the day, all instances together (RecurringJobRun.runs), per job. */
  jobRuns: Record<string, number>;
  /** The capacity board's advice, read through the app by the supervisor about once a simulated hour. */
  staffingAdvice: { route: string; everyRealSeconds: number; samples: AdviceSample[] };
  checks: RunChecks;
}


function languagesFor(random: Random): LanguageCode[] {
  const set = new Set<LanguageCode>(["en"]);
  const extra = random.int(1, 2);
  while (set.size < 1 + extra) set.add(random.weighted(LANGUAGE_MIX));
  return [...set];
}

function channelsFor(random: Random): string[] {
  const set = new Set<string>(["whatsapp"]);
  const count = random.int(3, 5);
  while (set.size < count) set.add(random.weighted(CHANNEL_MIX));
  return [...set];
}

async function mapLimit<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        await work(items[index]!, index);
      }
    }),
  );
}

function volunteerCsv(people: { name: string; email: string; languages: string[]; channels: string[] }[], runId: string, wave: number): string {
  const quote = (value: string) => `"${value.replaceAll('"', '""')}"`;
  const lines = people.map((p, i) =>
    [p.name, p.email, `${runId.slice(0, 8)}-${wave}-${i}`.toUpperCase(), "cabin crew", quote(p.languages.map((l, j) => `${l}:${j === 0 ? "native" : "fluent"}`).join(", ")), quote(p.channels.join(", "))].join(","),
  );
  return ["Name,Email,Employee number,Origin,Languages,Channels", ...lines].join("\n") + "\n";
}

export async function runRehearsal(options: RehearsalOptions): Promise<RehearsalReport> {
  const log = options.log ?? (() => undefined);
  const runId = `r${randomUUID().replaceAll("-", "").slice(0, 10)}`;
  const random = seededRandom(options.seed);
  const metrics = new Metrics();
  const instances = new Instances(options.instances);
  const speed = DAY_SECONDS / options.daySeconds;
  const newBrowser = () => new SimBrowser(instances, metrics);
  const stopRequested = () => options.signal?.aborted === true;
  let phase: Progress["phase"] = "setting up";

  // The customer channel: a sink the integration's webhook points at.
  const sinkPort = await freePort();
  const admin = newBrowser();
  await signIn(admin, options.admin.email, options.admin.password);
  log("admin signed in; creating the integration, templates and people");
  const integration = await createIntegration(admin, `rehearsal-${runId}`, `http://127.0.0.1:${sinkPort}/`);
  const sink: CustomerSink = await startCustomerSink({ port: sinkPort, secret: integration.secret });
  await ensureTemplates(admin);

  const planner = newBrowser();
  await acceptInvitation(planner, await invitePerson(admin, { name: "Rehearsal Planner", email: `${runId}-planner@rehearsal.test`, role: "planner" }));
  // A supervisor watches the capacity board (a planner's board would also count the enrolment pipeline on every read).
  const supervisor = newBrowser();
  await acceptInvitation(supervisor, await invitePerson(admin, { name: "Rehearsal Supervisor", email: `${runId}-supervisor@rehearsal.test`, role: "supervisor" }));

  const volunteerCount = Math.round(options.agents * (options.volunteerShare ?? 0.4));
  const experiencedCount = options.agents - volunteerCount;
  const people: Person[] = [];
  await mapLimit(
    Array.from({ length: experiencedCount }, (_, i) => i),
    6,
    async (i) => {
      const person: Person = {
        email: `${runId}-agent${i}@rehearsal.test`,
        name: `Agent ${i}`,
        browser: newBrowser(),
        experienced: true,
        languages: languagesFor(random),
        channels: channelsFor(random),
        casesDone: 0,
      };
      const link = await invitePerson(admin, { name: person.name, email: person.email, role: "agent" });
      await acceptInvitation(person.browser, link, person.email);
      await grantSkills(admin, person.email, [...person.channels.map((c) => `channel:${c}`), ...person.languages.map((l) => `language:${l}`)]);
      people.push(person);
    },
  );
  const setupSeconds = metrics.elapsed() / 1000;
  log(`${people.length} experienced agents ready in ${setupSeconds.toFixed(1)} s; the day starts`);

  // The day.
  phase = "running";
  const jobRunsBefore = await jobRuns(options.databaseUrl);
  const dayStarted = Date.now();
  const dayFraction = () => Math.min(1, (Date.now() - dayStarted) / (options.daySeconds * 1000));
  let dayOver = false;
  const running = () => !dayOver && !stopRequested();
  const acknowledged = new Set<string>();
  const created = new Set<string>();
  const intake = { posted: 0, created: 0, threaded: 0, deflected: 0, followUps: 0 };
  const followUps: { due: number; payload: SimulatedCase }[] = [];
  let sequence = 0;
  let working = 0;

  const context: WorkContext = {
    random,
    speed,
    running,
    count: (name, by) => metrics.count(name, by),
    escalate: escalateCase,
  };

  async function workLoop(person: Person) {
    working++;
    try {
      while (running()) {
        try {
          const took = await workOneCase(person, context);
          // "Nothing for you": a person looks again after a minute of the day, and not faster than a person clicks.
          if (!took) await pause(Math.max(1000, (60 / speed) * 1000) * (0.75 + random.next() / 2));
        } catch (error) {
          // Whatever failed (a request, an answer that would not decode), the person carries on.
          metrics.count(error instanceof RequestFailed ? "work interrupted by an error" : `work interrupted: ${String(error).slice(0, 80)}`);
          await pause(500);
          // Looks at their cases again before doing anything twice.
          for (const caseId of await heldCases(person.browser).catch(() => [])) {
            await finishCase(person, context, caseId, random).catch(() => metrics.count("work interrupted by an error"));
          }
        }
      }
    } finally {
      working--;
    }
  }

  const loops: Promise<void>[] = [];
  const hands = options.handsPerPerson ?? 2;
  const startWorking = (person: Person) => {
    for (let h = 0; h < hands; h++) loops.push(workLoop(person));
  };
  people.forEach(startWorking);

  // Volunteers arrive in waves after the news breaks: enrolled from a file, they sign up, train, then work.
  const waveCount = volunteerCount > 0 ? Math.max(1, Math.min(options.waves ?? 2, volunteerCount)) : 0;
  const waves: RehearsalReport["people"]["waves"] = [];
  let volunteersWorking = 0;
  const waveJobs: Promise<void>[] = [];
  for (let w = 0; w < waveCount; w++) {
    const at = 0.2 + (0.25 * w) / Math.max(1, waveCount - 1);
    const size = Math.floor(volunteerCount / waveCount) + (w < volunteerCount % waveCount ? 1 : 0);
    waveJobs.push(
      (async () => {
        while (running() && dayFraction() < at) await pause(100);
        if (!running()) return;
        const recruits = Array.from({ length: size }, (_, i) => ({
          name: `Volunteer ${w}-${i}`,
          email: `${runId}-vol${w}x${i}@rehearsal.test`,
          languages: languagesFor(random) as string[],
          channels: channelsFor(random),
        }));
        const record = { at, enrolled: 0, trained: 0, working: 0 };
        waves.push(record);
        const links = await enrolWave(planner, volunteerCsv(recruits, runId, w));
        record.enrolled = links.size;
        log(`wave ${w + 1}: ${links.size} volunteers enrolled`);
        await mapLimit(recruits, 4, async (recruit) => {
          const link = links.get(recruit.email);
          // Someone who enrolled finishes their training even if the day ends meanwhile (not when stopped).
          if (!link || stopRequested()) return;
          const person: Person = { ...recruit, browser: newBrowser(), experienced: false, languages: recruit.languages as LanguageCode[], casesDone: 0 };
          try {
            await acceptInvitation(person.browser, link, person.email);
            await passTraining(person.browser, options.training);
          } catch (error) {
            if (!(error instanceof RequestFailed)) throw error;
            metrics.count("volunteer held up by an error");
            log(`volunteer ${recruit.email} held up: ${error.message}`);
            return;
          }
          record.trained++;
          if (!running()) return;
          record.working++;
          volunteersWorking++;
          startWorking(person);
        });
      })().catch((error: unknown) => {
        metrics.count("wave failed");
        log(`wave ${w + 1} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      }),
    );
  }

  // Customers: cases along the arrival curve, in batches the way a connector sends them; follow-ups thread on.
  const intakeClient = newBrowser();
  async function postBatch(batch: SimulatedCase[]) {
    for (;;) {
      try {
        const answer = await intakeClient.json<{ cases: { caseId: string; outcome: string; replayed: boolean }[] }>("/api/cases", "/api/cases", { cases: batch }, { bearer: integration.token, idempotent: true });
        if (answer.status >= 400) throw new RequestFailed("POST /api/cases", answer.status, JSON.stringify(answer.body).slice(0, 300));
        answer.body.cases.forEach((result, i) => {
          acknowledged.add(result.caseId);
          if (result.outcome === "threaded") intake.threaded++;
          else if (result.outcome === "deflected") intake.deflected++;
          else intake.created++;
          if (result.outcome === "created") created.add(result.caseId);
          const original = batch[i]!;
          if (!original.idempotencyKey.includes("-f") && result.outcome === "created" && random.chance(FOLLOW_UP_SHARE)) {
            followUps.push({ due: Date.now() + ((random.int(5, 90) * 60) / speed) * 1000, payload: followUpOf(original, 1) });
          }
        });
        return;
      } catch (error) {
        // The connector keeps the batch and tries again: the idempotency keys make that safe.
        if (!(error instanceof RequestFailed)) throw error;
        metrics.count("intake batch retried");
        await pause(500);
      }
    }
  }
  const intakeJob = (async () => {
    const inFlight = new Set<Promise<void>>();
    while (running()) {
      const due = casesDueBy(options.cases, dayFraction()) - intake.posted;
      const now = Date.now();
      const batch: SimulatedCase[] = [];
      for (let i = 0; i < Math.min(due, 200); i++) batch.push(generateCase(random, runId, sequence++, new Date()));
      intake.posted += batch.length;
      for (let i = followUps.length - 1; i >= 0 && batch.length < 250; i--) {
        if (followUps[i]!.due <= now) {
          batch.push(followUps[i]!.payload);
          followUps.splice(i, 1);
          intake.followUps++;
        }
      }
      if (batch.length > 0) {
        const job = postBatch(batch).finally(() => inFlight.delete(job));
        inFlight.add(job);
        if (inFlight.size >= 4) await Promise.race(inFlight);
      } else await pause(100);
      if (dayFraction() >= 1 && intake.posted >= options.cases) break;
    }
    await Promise.all(inFlight);
  })();

  // Samples of the queue, like the data team's dashboards, and each instance's memory.
  let peakRss: number[] | null = options.cluster ? options.cluster.rssMb() : null;
  const sampler = (async () => {
    // A fault (terminated connections) ends the sampler's connection: it takes
    // a new one after a pause, and the samples lost meanwhile are a gap in the chart.
    while (running()) {
      await withClient(options.databaseUrl, async (client) => {
        while (running()) {
          const backlog = await client.query<{ channelId: string; language: string; n: string }>(
            `SELECT "channelId", language, count(*) AS n FROM "Case"
             WHERE id IN (SELECT "caseId" FROM "IntakeDelivery" WHERE "integrationId" = $1) AND status IN ('open', 'assigned', 'on_hold', 'escalated')
             GROUP BY 1, 2`,
            [integration.id],
          );
          const online = await client.query<{ n: string }>(`SELECT count(*) AS n FROM "AgentPresence" WHERE online`);
          const byChannel: Record<string, number> = {};
          const byLanguage: Record<string, number> = {};
          for (const row of backlog.rows) {
            byChannel[row.channelId] = (byChannel[row.channelId] ?? 0) + Number(row.n);
            byLanguage[row.language] = (byLanguage[row.language] ?? 0) + Number(row.n);
          }
          metrics.samples.push({
            at: metrics.elapsed(),
            simSeconds: dayFraction() * DAY_SECONDS,
            byChannel,
            byLanguage,
            agentsOnline: Number(online.rows[0]!.n),
            arrived: intake.created + intake.deflected,
            resolved: metrics.counter("resolved"),
          });
          if (options.cluster && peakRss) {
            const now = options.cluster.rssMb();
            peakRss = peakRss.map((peak, i) => Math.max(peak, now[i] ?? 0));
          }
          await pause(Math.max(250, Math.min(2000, options.daySeconds * 10)));
        }
      }).catch(() => pause(500));
    }
  })();

  // The supervisor reads the capacity board's staffing advice the way the open page refreshes it, about
  // once a simulated hour: timed like every other route, so it is part of the load it measures.
  const adviceSamples: AdviceSample[] = [];
  const adviceEveryMs = adviceIntervalMs(speed);
  const adviceReader = (async () => {
    while (running()) {
      const next = Date.now() + adviceEveryMs;
      try {
        const page = await supervisor.load(BOARD_PAGE.route, BOARD_PAGE.path, BOARD_PAGE.routeId);
        if (page.status >= 400) metrics.count(`capacity board answered ${page.status}`);
        else adviceSamples.push({ at: metrics.elapsed(), simSeconds: dayFraction() * DAY_SECONDS, ...adviceFromBoardData(page.data) });
      } catch (error) {
        // A read lost to a fault is a gap in the chart; an answer that is not the board is named.
        metrics.count(error instanceof RequestFailed ? "capacity board read failed" : `capacity board unreadable: ${String(error).slice(0, 120)}`);
      }
      while (running() && Date.now() < next) await pause(100);
    }
  })();

  // Faults, each at its moment of the day, one after the other (a fault starts once the last one is over).
  const faultJobs = [
    (async () => {
      for (const fault of [...(options.faults ?? [])].sort((a, b) => a.at - b.at)) {
        while (running() && dayFraction() < fault.at) await pause(100);
        if (!running() || !options.cluster) return;
        await injectFault(fault.kind, options.cluster, metrics, log);
      }
    })(),
  ];

  // Progress.
  const progressTimer = setInterval(() => {
    const last = metrics.samples[metrics.samples.length - 1];
    options.onProgress?.({
      phase,
      dayFraction: dayFraction(),
      simSeconds: dayFraction() * DAY_SECONDS,
      posted: intake.posted,
      total: options.cases,
      backlog: last ? Object.values(last.byChannel).reduce((a, b) => a + b, 0) : 0,
      resolved: metrics.counter("resolved"),
      peopleWorking: working,
      errors: metrics.errors.length,
    });
  }, 250);

  // The day ends when its clock does (or when asked to stop).
  while (dayFraction() < 1 && !stopRequested()) await pause(100);
  await intakeJob;
  dayOver = true;
  phase = "stopping";
  log(stopRequested() ? "stopping early: letting open requests finish" : "the day is over: people finish their case and go offline");
  await Promise.all([...faultJobs, ...waveJobs]);
  await Promise.all(loops);
  await Promise.all([sampler, adviceReader]);
  const everyone = [...people];
  await mapLimit(everyone, 8, (person) => goOffline(person.browser).catch(() => metrics.count("offline failed")));

  phase = "checking";
  const jobRunsAfter = await jobRuns(options.databaseUrl);
  const workSeconds = (Date.now() - dayStarted) / 1000;
  const stillQueued = await waitForOutbox(options.databaseUrl, integration.id, options.drainMs ?? 60_000);
  if (stillQueued > 0) log(`${stillQueued} replies still queued after the wait`);
  const accepted = new Map<string, number>();
  for (const message of sink.received()) accepted.set(message.idempotencyKey, (accepted.get(message.idempotencyKey) ?? 0) + 1);
  const checks = await runChecks({
    databaseUrl: options.databaseUrl,
    integrationId: integration.id,
    acknowledgedCaseIds: acknowledged,
    sinkAccepted: accepted,
    sinkRepeats: sink.repeats(),
    speed,
  });
  clearInterval(progressTimer);
  await sink.stop();
  phase = "done";

  return {
    runId,
    options: { cases: options.cases, agents: options.agents, instances: options.instances.length, daySeconds: options.daySeconds, speed, seed: options.seed, faults: options.faults ?? [] },
    stoppedEarly: stopRequested(),
    durationSeconds: metrics.elapsed() / 1000,
    setupSeconds,
    workSeconds,
    intake,
    counters: Object.fromEntries([...metrics.counters].sort(([a], [b]) => a.localeCompare(b))),
    people: { experienced: experiencedCount, volunteers: volunteerCount, volunteersWorking, waves },
    latency: metrics.latencySummary(),
    errors: { total: metrics.errors.length, withoutFault: metrics.errorsWithoutFault(), samples: metrics.errors.slice(0, 50) },
    faults: metrics.faults,
    samples: metrics.samples,
    peakRssMb: peakRss,
    requestsPerInstance: Object.fromEntries(instances.sent),
    jobRuns: Object.fromEntries(Object.entries(jobRunsAfter).map(([name, runs]) => [name, runs - (jobRunsBefore[name] ?? 0)])),
    staffingAdvice: { route: `GET ${BOARD_PAGE.route}`, everyRealSeconds: adviceEveryMs / 1000, samples: adviceSamples },
    checks,
  };
}

/** How often each background job has run so far, all instances together. */
async function jobRuns(databaseUrl: string): Promise<Record<string, number>> {
  return withClient(databaseUrl, async (client) => {
    const { rows } = await client.query<{ name: string; runs: number }>(`SELECT name, runs FROM "RecurringJobRun"`);
    return Object.fromEntries(rows.map((row) => [row.name, row.runs]));
  });
}

/** Waits until every instance answers a page again (the moment the fault is over for clients). */
async function waitUntilServing(urls: readonly string[], timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (const url of urls) {
    for (;;) {
      try {
        const response = await fetch(new URL("/login", url), { signal: AbortSignal.timeout(2000) });
        await response.arrayBuffer();
        if (response.status === 200) break;
      } catch {
        // not yet
      }
      if (Date.now() > until) throw new Error(`${url} did not come back within ${timeoutMs} ms`);
      await pause(100);
    }
  }
}

/** The faults that stop an instance with a signal and start it again. */
const RESTART_FAULTS = {
  kill: { signal: "SIGKILL", how: "killed with SIGKILL" },
  sigterm: { signal: "SIGTERM", how: "stopped with SIGTERM under load" },
} as const;

async function injectFault(kind: FaultKind, cluster: Cluster, metrics: Metrics, log: (line: string) => void) {
  const victim = 0;
  if (kind === "kill" || kind === "sigterm") {
    const { signal, how } = RESTART_FAULTS[kind];
    const fault = metrics.beginFault(kind, `instance ${victim} ${how}, then started again`);
    log(fault.detail);
    const code = await cluster.signal(victim, signal);
    fault.detail += ` (exit ${code})`;
    await cluster.start(victim);
    await waitUntilServing(cluster.urls);
    metrics.endFault(fault, 2000);
  } else {
    const fault = metrics.beginFault(kind, "every database connection of the app terminated once (pg_terminate_backend)");
    log(fault.detail);
    const ended = await withClient(cluster.databaseUrl, async (client) => {
      const { rows } = await client.query<{ n: string }>(
        `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) AS n FROM pg_stat_activity
         WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name LIKE 'surge_app_%'`,
      );
      return Number(rows[0]!.n);
    });
    fault.detail += `: ${ended} connection(s)`;
    await waitUntilServing(cluster.urls);
    metrics.endFault(fault, 2000);
  }
}
