// The path issue 13 promises, as a planner and a volunteer walk it over HTTP:
// enrol (form or CSV), invite, sign up, pass the required modules, "Next
// case". No hand grant anywhere. Used in-process (tests/first-case.test.ts)
// and against a real server on a fresh database (tests/first-day.test.ts).
import { expect } from "vitest";
import { loadTrainingCatalog, type TrainingModule } from "../../app/training/modules.server";
import type { Visitor } from "./app-client";

export const NEW_PASSWORD = "first day password";

let catalog: Map<string, TrainingModule> | null = null;

/** The English volunteer modules by id. */
export async function volunteerModules(): Promise<Map<string, TrainingModule>> {
  if (!catalog) {
    const loaded = await loadTrainingCatalog();
    catalog = new Map(loaded.modules.filter((m) => m.language === "en" && m.roles.includes("volunteer")).map((m) => [m.id, m]));
  }
  return catalog;
}

export async function requiredModuleIds(): Promise<string[]> {
  return [...(await volunteerModules()).values()].filter((m) => m.required).sort((a, b) => a.order - b.order).map((m) => m.id);
}

export function pathOf(link: string): string {
  return link.startsWith("/") ? link : new URL(link).pathname;
}

/** Enrols one volunteer with the planner's form; returns their invitation link. */
export async function enrolByForm(planner: Visitor, person: { name: string; email: string; employeeNumber: string; languages: [string, string][]; channels: string[] }) {
  const fields: Record<string, string | string[]> = {
    intent: "enrol",
    name: person.name,
    email: person.email,
    employeeNumber: person.employeeNumber,
    origin: "cabin_crew",
    homeBase: "AMS",
    channels: person.channels,
    timeZone: "Europe/Amsterdam",
    availability: "",
    startDate: "",
    endDate: "",
    notes: "",
  };
  person.languages.forEach(([code, proficiency], index) => {
    fields[`languages.${index}.code`] = code;
    fields[`languages.${index}.proficiency`] = proficiency;
  });
  const response = await planner.post("/volunteers/new", fields);
  const html = await response.text();
  const link = /class="copy-link">([^<]+)</.exec(html)?.[1];
  expect(link, html.slice(0, 2000)).toMatch(/\/invite\//);
  return pathOf(link!);
}

/**
 * Imports a CSV with the planner's screens: upload, the proposed column
 * mapping and the default proficiency, dry run, commit; returns the
 * invitation link of each email.
 */
export async function enrolByCsv(planner: Visitor, csv: string, defaultProficiency: string): Promise<Map<string, string>> {
  const form = new FormData();
  form.append("csrf", await planner.csrfToken());
  form.append("file", new Blob([csv], { type: "text/csv" }), "volunteers.csv");
  const uploaded = await planner.request("/volunteers/import", { method: "POST", body: form });
  expect(uploaded.status, await uploaded.clone().text()).toBe(302);
  const importPath = uploaded.headers.get("Location")!;
  const importId = importPath.split("/").pop()!;
  const page = await (await planner.get(importPath)).text();
  const fields: Record<string, string> = { intent: "dry-run", defaultProficiency };
  for (const match of page.matchAll(/<select id="column-(\d+)" name="column\.\d+">([\s\S]*?)<\/select>/g)) {
    fields[`column.${match[1]}`] = /<option value="([^"]*)" selected="">/.exec(match[2]!)?.[1] ?? "";
  }
  expect((await planner.post(importPath, fields)).status).toBe(302);
  const report = await (await planner.get(importPath)).text();
  expect(report).not.toMatch(/Give a proficiency for language/);
  const committed = await planner.post(importPath, { intent: "commit", mode: "all_or_nothing" });
  expect([200, 302]).toContain(committed.status);
  for (let attempt = 0; attempt < 100; attempt++) {
    const response = await planner.post("/volunteers/invitations.csv", { importId });
    const lines = (await response.text()).trim().split("\n").slice(1);
    if (response.status === 200 && lines.length > 0) {
      return new Map(lines.map((line) => line.split(",")).map((cells) => [cells[1]!, pathOf(cells[2]!)]));
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("the import never enrolled anybody");
}

/** The volunteer opens the link, chooses a password and is signed in. */
export async function signUp(visitor: Visitor, link: string): Promise<void> {
  expect((await visitor.get(link)).status).toBe(200);
  const accepted = await visitor.post(link, { password: NEW_PASSWORD, confirm: NEW_PASSWORD });
  expect(accepted.status).toBe(302);
}

export async function passModule(visitor: Visitor, moduleId: string): Promise<string> {
  const module = (await volunteerModules()).get(moduleId)!;
  expect((await visitor.get(`/training/${moduleId}`)).status).toBe(200);
  const answers = Object.fromEntries(module.quiz.questions.map((q) => [`answer.${q.id}`, q.correct]));
  const response = await visitor.post(`/training/${moduleId}`, { intent: "quiz", ...answers });
  const html = await response.text();
  expect(response.status, html.slice(0, 500)).toBe(200);
  return html;
}

/** "Next case": the case id taken, or the refusal (status and page). */
export async function nextCase(visitor: Visitor): Promise<{ caseId: string | null; status: number; html: string }> {
  const response = await visitor.post("/cases/next", {});
  if (response.status === 302) return { caseId: response.headers.get("Location")!.split("/").pop()!, status: 302, html: "" };
  return { caseId: null, status: response.status, html: await response.text() };
}
