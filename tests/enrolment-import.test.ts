// Bulk enrolment from a CSV file, through HTTP as a planner would do it:
// upload -> preview and column mapping -> dry run -> commit, and every bad
// input the issue lists gets a clear answer and changes nothing.
import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../app/db/db.server";
import { commitImportRows, dryRunImportRows, storeUpload } from "../app/enrolment/enrolment-import.server";
import { DEMO_ACCOUNTS, seedDemoData } from "../prisma/seed";
import { signedIn, Visitor } from "./support/app-client";

const db = getDb();
const planner = DEMO_ACCOUNTS.find((a) => a.role === "planner")!;
const fixtures = path.resolve(import.meta.dirname, "fixtures/enrolment");
const fixture = (name: string) => readFileSync(path.join(fixtures, name));
let visitor: Visitor;
let plannerId: string;

beforeAll(async () => {
  await seedDemoData(db, { cases: 5 });
  visitor = await signedIn(planner.email, planner.password);
  plannerId = (await db.user.findUniqueOrThrow({ where: { email: planner.email } })).id;
});

async function upload(content: Buffer | string, fileName = "volunteers.csv", options: { csrf?: string | null } = {}) {
  const form = new FormData();
  const csrf = options.csrf === undefined ? await visitor.csrfToken() : options.csrf;
  if (csrf !== null) form.append("csrf", csrf);
  form.append("file", new Blob([typeof content === "string" ? content : new Uint8Array(content)], { type: "text/csv" }), fileName);
  return visitor.request("/volunteers/import", { method: "POST", body: form });
}

async function uploadOk(content: Buffer | string, fileName?: string): Promise<string> {
  const response = await upload(content, fileName);
  expect(response.status, await response.clone().text()).toBe(302);
  const location = response.headers.get("Location")!;
  expect(location).toMatch(/^\/volunteers\/import\/[\w-]+$/);
  return location.split("/").pop()!;
}

/** Posts the preview form with the mapping the page proposes, or an override. */
async function dryRun(importId: string, override: Record<number, string> = {}) {
  const page = await (await visitor.get(`/volunteers/import/${importId}`)).text();
  const fields: Record<string, string> = { intent: "dry-run" };
  for (const match of page.matchAll(/<select id="column-(\d+)" name="column\.\d+">([\s\S]*?)<\/select>/g)) {
    const selected = /<option value="([^"]*)" selected="">/.exec(match[2]!)?.[1] ?? "";
    fields[`column.${match[1]}`] = selected;
  }
  for (const [position, field] of Object.entries(override)) fields[`column.${position}`] = field;
  return visitor.post(`/volunteers/import/${importId}`, fields);
}

async function commit(importId: string, mode: "all_or_nothing" | "valid_only") {
  const response = await visitor.post(`/volunteers/import/${importId}`, { intent: "commit", mode });
  for (let i = 0; i < 200; i++) {
    const row = await db.enrolmentImport.findUniqueOrThrow({ where: { id: importId } });
    if (row.status !== "committing") return { response, row };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("commit did not finish");
}

async function snapshot() {
  const [users, volunteers, languages, invitations, updated] = await Promise.all([
    db.user.count(),
    db.volunteer.count(),
    db.volunteerLanguage.count(),
    db.invitation.count(),
    db.volunteer.aggregate({ _max: { updatedAt: true } }),
  ]);
  return { users, volunteers, languages, invitations, lastUpdate: updated._max.updatedAt?.getTime() ?? 0 };
}

describe("bulk enrolment, the happy path", () => {
  let importId = "";

  it("previews the columns, runs a dry run that saves nothing, and commits every row", async () => {
    const before = await snapshot();
    importId = await uploadOk(fixture("volunteers-good.csv"), "volunteers-good.csv");
    const preview = await (await visitor.get(`/volunteers/import/${importId}`)).text();
    expect(preview).toContain("Columns of the file");
    expect(preview).toMatch(/<option value="employeeNumber" selected="">/);
    expect(preview).toContain("sanne.devries@airline.example");

    const checked = await dryRun(importId);
    expect(checked.status).toBe(302);
    expect(await snapshot()).toEqual(before);
    const report = await (await visitor.get(`/volunteers/import/${importId}`)).text();
    expect(report).toContain("What each row does");
    expect(report).toContain("valid (new)");
    const stored = await db.enrolmentImport.findUniqueOrThrow({ where: { id: importId } });
    expect(stored.status).toBe("dry_run");
    expect(stored.totalRows).toBe(20);

    const { row } = await commit(importId, "all_or_nothing");
    expect(row.status).toBe("committed");
    expect(row.processedRows).toBe(20);
    const after = await snapshot();
    expect(after.volunteers - before.volunteers).toBe(20);
    expect(after.invitations - before.invitations).toBe(20);

    const sanne = await db.user.findUniqueOrThrow({
      where: { email: "sanne.devries@airline.example" },
      include: { volunteer: { include: { languages: true, channels: true } }, invitations: true },
    });
    expect(sanne.role).toBe("volunteer");
    expect(sanne.passwordHash).toBeNull();
    expect(sanne.volunteer!.status).toBe("invited");
    expect(sanne.volunteer!.homeBase).toBe("AMS");
    expect(sanne.volunteer!.origin).toBe("cabin_crew");
    expect(sanne.volunteer!.startDate?.toISOString().slice(0, 10)).toBe("2024-03-16");
    expect(sanne.volunteer!.languages.map((l) => `${l.language}:${l.proficiency}`).sort()).toEqual(["de:basic", "en:fluent", "nl:native"]);
    expect(sanne.volunteer!.channels.map((c) => c.id).sort()).toEqual(["messenger", "whatsapp"]);
    expect(sanne.invitations).toHaveLength(1);
    // Who enrolled whom, in the audit log.
    const audit = await db.auditLog.findFirstOrThrow({ where: { action: "volunteer.enrolled", subjectId: sanne.volunteer!.id } });
    expect(audit.actorId).toBe(plannerId);
    const done = await (await visitor.get(`/volunteers/import/${importId}`)).text();
    expect(done).toContain("20<!-- --> volunteers enrolled");
  });

  it("hands out invitation links for the people the file enrolled, as CSV, and they work", async () => {
    const response = await visitor.post("/volunteers/invitations.csv", { importId });
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toContain("text/csv");
    const csv = (await response.text()).replace(/^\uFEFF/, "");
    const lines = csv.trim().split("\r\n");
    expect(lines[0]).toBe("name,email,link,expiresAt");
    expect(lines).toHaveLength(21);
    const link = lines.find((line) => line.includes("sanne.devries"))!.split(",")[2]!;
    const page = await new Visitor().get(new URL(link).pathname);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Sanne de Vries");
  });

  it("changes nothing when the same file is uploaded again", async () => {
    const before = await snapshot();
    const again = await uploadOk(fixture("volunteers-good.csv"));
    await dryRun(again);
    const stored = await db.enrolmentImport.findUniqueOrThrow({ where: { id: again } });
    expect((stored.counts as { report: { counts: Record<string, number> } }).report.counts.unchanged).toBe(20);
    // Nothing would change: no commit is recorded, the import stays at its dry run and says why.
    const { row } = await commit(again, "all_or_nothing");
    expect(row.status).toBe("dry_run");
    expect(await snapshot()).toEqual(before);
  });

  it("reads the Dutch semicolon file with a BOM and updates only what differs", async () => {
    const id = await uploadOk(fixture("volunteers-nl-bom.csv"));
    const preview = await (await visitor.get(`/volunteers/import/${id}`)).text();
    expect(preview).toContain("Separator: <!-- -->semicolon");
    await dryRun(id);
    const report = await (await visitor.get(`/volunteers/import/${id}`)).text();
    expect(report).toContain("will update");
    await commit(id, "valid_only");
    const sanne = await db.user.findUniqueOrThrow({ where: { email: "sanne.devries@airline.example" }, include: { volunteer: true } });
    expect(sanne.volunteer!.availability).toBe("Vroege diensten 06:00-14:00");
    const daan = await db.user.findUniqueOrThrow({
      where: { email: "daan.smit@airline.example" },
      include: { volunteer: { include: { languages: true } } },
    });
    expect(daan.volunteer!.homeBase).toBe("AMS");
    expect(daan.volunteer!.timeZone).toBe("Europe/Amsterdam");
    expect(daan.volunteer!.languages.map((l) => `${l.language}:${l.proficiency}`).sort()).toEqual(["en:basic", "nl:native"]);
    expect(await db.auditLog.count({ where: { action: "volunteer.updated", subjectId: sanne.volunteer!.id } })).toBe(1);
  });
});

describe("rows with errors", () => {
  let importId = "";

  it("reports every bad row with its reason and lists the unknown column", async () => {
    importId = await uploadOk(fixture("volunteers-with-errors.csv"), "volunteers-with-errors.csv");
    const preview = await (await visitor.get(`/volunteers/import/${importId}`)).text();
    expect(preview).toContain("Unknown columns");
    expect(preview).toContain("“Shoe size”");
    await dryRun(importId);
    const html = await (await visitor.get(`/volunteers/import/${importId}`)).text();
    const decoded = html
      .replace(/&#x27;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, "&");
    expect(decoded).toContain("'hanna.mulder@airline' is not a valid email address");
    expect(decoded).toContain("Unknown language code 'xx'");
    expect(decoded).toContain("Unknown airport code 'XYZ'");
    expect(decoded).toContain("The end date 2024-03-16 is before the start date 2024-05-31");
    expect(decoded).toMatch(/Row 7 has the same email \(femke\.peters@airline\.example\) with different languages/);
    expect(decoded).toMatch(/Row 6 has the same email/);
    expect(decoded).toContain("Same as row 8; skipped");
    expect(decoded).toContain("starts with a formula character");
  });

  it("refuses an all-or-nothing commit and changes nothing", async () => {
    const before = await snapshot();
    const { row } = await commit(importId, "all_or_nothing");
    expect(row.status).toBe("failed");
    expect(row.error).toContain("nothing was imported");
    expect(await snapshot()).toEqual(before);
    expect(await db.user.count({ where: { email: "jesse.willems@airline.example" } })).toBe(0);
  });

  it("imports only the valid rows when asked, and returns the rejected ones as CSV with an error column, formulas neutralised", async () => {
    const before = await snapshot();
    const { row } = await commit(importId, "valid_only");
    expect(row.status).toBe("committed");
    const after = await snapshot();
    // Jesse (once, his duplicate row is skipped) is the only valid person in the file.
    expect(after.volunteers - before.volunteers).toBe(1);
    expect(await db.user.count({ where: { email: "jesse.willems@airline.example" } })).toBe(1);
    expect(await db.user.count({ where: { email: "evil.formula@airline.example" } })).toBe(0);

    const response = await visitor.get(`/volunteers/import/${importId}/rejected.csv`);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Disposition")).toContain("volunteers-with-errors-rejected.csv");
    const csv = (await response.text()).replace(/^\uFEFF/, "");
    const lines = csv.trim().split("\r\n");
    expect(lines[0]).toBe(
      "Name,Email,Employee number,Origin,Home base,Languages,Channels,Time zone,Availability,Start date,End date,Notes,Shoe size,error"
    );
    expect(lines).toHaveLength(1 + 8);
    const evil = lines.find((line) => line.includes("evil.formula"))!;
    expect(evil.startsWith("'=cmd")).toBe(true);
    expect(evil).toContain(`'@SUM(1)`);
    expect(evil).toContain(`"'=HYPERLINK(`);
    expect(lines.find((line) => line.includes("hanna.mulder"))).toMatch(/not a valid email address/);
  });
});

describe("bad files", () => {
  it("refuses an empty file and a file that is not CSV, and keeps nothing", async () => {
    const before = await db.enrolmentImport.count();
    const empty = await upload(fixture("empty.csv"), "empty.csv");
    expect(empty.status).toBe(422);
    expect(await empty.text()).toContain("The file is empty");
    const text = await upload(fixture("not-a-csv.txt"), "letter.txt");
    expect(text.status).toBe(422);
    expect(await text.text()).toContain("not a CSV file");
    const workbook = await upload(Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 0x0a]), "volunteers.xlsx");
    expect(workbook.status).toBe(422);
    expect(await workbook.text()).toContain("Excel workbook");
    expect(await db.enrolmentImport.count()).toBe(before);
  });

  it("refuses a 50 MB upload from its Content-Length without reading the body", async () => {
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 65536;
        controller.enqueue(new Uint8Array(65536));
        if (pulled >= 50 * 1024 * 1024) controller.close();
      },
    });
    const response = await visitor.request("/volunteers/import", {
      method: "POST",
      headers: { "Content-Type": "multipart/form-data; boundary=xyz", "Content-Length": String(50 * 1024 * 1024) },
      body,
      duplex: "half",
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(await response.text()).toContain("larger than 5 MB");
    expect(pulled).toBeLessThan(1024 * 1024);
  });

  it("stops reading an upload without a length as soon as it passes the limit", async () => {
    const csrf = await visitor.csrfToken();
    const boundary = "surgeboundary";
    const head = new TextEncoder().encode(
      `--${boundary}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n${csrf}\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\nContent-Type: text/csv\r\n\r\nName,Email\r\n`
    );
    let pulled = 0;
    const line = new TextEncoder().encode("Someone,someone@airline.example\r\n".repeat(2000));
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(head);
      },
      pull(controller) {
        pulled += line.byteLength;
        controller.enqueue(line);
        if (pulled >= 50 * 1024 * 1024) controller.close();
      },
    });
    const before = await db.enrolmentImport.count();
    const response = await visitor.request("/volunteers/import", {
      method: "POST",
      headers: { "Content-Type": `multipart/form-data; boundary=${boundary}` },
      body,
      duplex: "half",
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(pulled).toBeLessThan(8 * 1024 * 1024);
    expect(await db.enrolmentImport.count()).toBe(before);
  });

  it("refuses an upload without the CSRF token before storing it", async () => {
    const before = await db.enrolmentImport.count();
    const response = await upload(fixture("volunteers-good.csv"), "x.csv", { csrf: null });
    expect(response.status).toBe(403);
    expect(await db.enrolmentImport.count()).toBe(before);
  });

  it("blocks the dry run while required columns are missing, and lets the planner map an unrecognised column", async () => {
    const csv =
      'Full name of colleague,Email,Employee number,Origin,Languages,Channels\nNoor Haddad,noor.haddad@airline.example,E200001,Office,"en:fluent, ar:native",email\n';
    const id = await uploadOk(csv, "odd-headers.csv");
    const preview = await (await visitor.get(`/volunteers/import/${id}`)).text();
    expect(preview).toContain("Required columns are missing: Name");
    const refused = await dryRun(id);
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain("Required columns are missing: Name");
    expect(await db.user.count({ where: { email: "noor.haddad@airline.example" } })).toBe(0);

    const mapped = await dryRun(id, { 0: "name" });
    expect(mapped.status).toBe(302);
    const { row } = await commit(id, "all_or_nothing");
    expect(row.status).toBe("committed");
    expect((await db.user.findUniqueOrThrow({ where: { email: "noor.haddad@airline.example" } })).name).toBe("Noor Haddad");
  });

  it("refuses a file with a header line but no rows, and one whose columns nobody recognises", async () => {
    const before = await db.enrolmentImport.count();
    const headerOnly = await upload("Name,Email,Employee number,Origin,Languages,Channels\n", "header-only.csv");
    expect(headerOnly.status).toBe(422);
    expect(await headerOnly.text()).toContain("no volunteers under it");
    const unknown = await upload("Colour,Shoe size\nred,42\n", "shoes.csv");
    expect(unknown.status).toBe(422);
    expect(await unknown.text()).toContain("None of the column names");
    expect(await db.enrolmentImport.count()).toBe(before);
  });

  it("does not let an import take over a staff account's email", async () => {
    const csv = `Name,Email,Employee number,Origin,Languages,Channels\nNot The Planner,${planner.email},E300001,Office,en:fluent,email\n`;
    const id = await uploadOk(csv);
    await dryRun(id);
    const html = (await (await visitor.get(`/volunteers/import/${id}`)).text()).replace(/&#x27;/g, "'");
    expect(html).toContain("already belongs to a Surge account that is not a volunteer");
    const { row } = await commit(id, "valid_only");
    expect(row.status).toBe("dry_run");
    expect((await db.user.findUniqueOrThrow({ where: { email: planner.email } })).role).toBe("planner");
  });
});

describe("progress on large files", () => {
  it("reports progress per batch while committing, and the status page shows a progress bar", async () => {
    const lines = ["Name,Email,Employee number,Origin,Languages,Channels"];
    for (let i = 0; i < 7; i++) lines.push(`Batch Person ${i},batch.${i}@airline.example,B${1000 + i},Ground,nl:native,whatsapp`);
    const stored = await storeUpload(plannerId, "batches.csv", Buffer.from(lines.join("\n")));
    if (!stored.ok) throw new Error(stored.problem.message);
    const { summary } = await dryRunImportRows(stored.importId, undefined, { batchSize: 3 });
    const seen: number[] = [];
    const outcome = await commitImportRows(stored.importId, summary, {
      mode: "all_or_nothing",
      actorId: plannerId,
      batchSize: 3,
      onProgress: (n) => void seen.push(n),
    });
    expect(outcome.ok).toBe(true);
    expect(seen).toEqual([3, 6, 7]);
    expect(await db.volunteer.count({ where: { employeeNumber: { startsWith: "B1" } } })).toBe(7);

    const running = await db.enrolmentImport.create({
      data: { createdById: plannerId, fileName: "big.csv", fileBytes: 1000, status: "committing", totalRows: 10_000, processedRows: 2_500 },
    });
    const html = await (await visitor.get(`/volunteers/import/${running.id}`)).text();
    expect(html).toMatch(/<progress id="import-progress" value="2500" max="10000">/);
    expect(html).toContain("2,500<!-- --> of <!-- -->10,000<!-- --> rows processed");
  });

  it("shows a commit cut off by a stopped instance as failed, with the reason, and lets the planner commit again", async () => {
    const lines = ["Name,Email,Employee number,Origin,Languages,Channels"];
    for (let i = 0; i < 4; i++) lines.push(`Resume Person ${i},resume.${i}@airline.example,R${2000 + i},Pilot,en:fluent,email`);
    const importId = await uploadOk(lines.join("\n"), "resume.csv");
    expect((await dryRun(importId)).status).toBe(302);
    // The instance that ran the commit stopped three minutes ago, after the first rows.
    await db.$executeRaw`UPDATE "EnrolmentImport" SET status = 'committing', "processedRows" = 2, "updatedAt" = now() - interval '3 minutes' WHERE id = ${importId}`;
    const html = await (await visitor.get(`/volunteers/import/${importId}`)).text();
    expect(html).toContain("The import stopped before it finished");
    const { row } = await commit(importId, "all_or_nothing");
    expect(row.status).toBe("committed");
    expect(await db.volunteer.count({ where: { employeeNumber: { startsWith: "R2" } } })).toBe(4);
  });

  it("does not take over a commit that is still moving", async () => {
    const lines = [
      "Name,Email,Employee number,Origin,Languages,Channels",
      "Busy Person,busy.1@airline.example,Q3001,Ground,nl:native,whatsapp",
    ];
    const importId = await uploadOk(lines.join("\n"), "busy.csv");
    expect((await dryRun(importId)).status).toBe(302);
    await db.$executeRaw`UPDATE "EnrolmentImport" SET status = 'committing', "updatedAt" = now() WHERE id = ${importId}`;
    await visitor.post(`/volunteers/import/${importId}`, { intent: "commit", mode: "all_or_nothing" });
    expect((await db.enrolmentImport.findUniqueOrThrow({ where: { id: importId } })).status).toBe("committing");
    expect(await db.volunteer.count({ where: { employeeNumber: "Q3001" } })).toBe(0);
  });

  it("answers two dry runs of one file at the same moment without a server error", async () => {
    const lines = ["Name,Email,Employee number,Origin,Languages,Channels"];
    for (let i = 0; i < 40; i++) lines.push(`Twin Person ${i},twin.${i}@airline.example,T${4000 + i},Office,fr:native,email`);
    const importId = await uploadOk(lines.join("\n"), "twins.csv");
    const responses = await Promise.all([dryRun(importId), dryRun(importId), dryRun(importId)]);
    for (const response of responses) expect([302, 422]).toContain(response.status);
    for (const response of responses.filter((r) => r.status === 422))
      expect(await response.text()).toContain("Another check of this file is running");
    // Whatever the order, a last dry run leaves a complete report.
    expect((await dryRun(importId)).status).toBe(302);
    expect(await db.enrolmentImportRow.count({ where: { importId } })).toBe(40);
  });

  it("is refused to people who may not enrol", async () => {
    const agent = DEMO_ACCOUNTS.find((a) => a.role === "agent")!;
    const other = await signedIn(agent.email, agent.password);
    expect((await other.get("/volunteers/import")).status).toBe(403);
  });
});
