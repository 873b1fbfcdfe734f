import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  checkUploadSize,
  EnrolmentFileError,
  limitUploadBytes,
  openEnrolmentFile,
  previewEnrolmentFile,
  type EnrolmentRow,
  type UploadSource,
} from "./csv-import.server";
import { MAX_UPLOAD_BYTES } from "./import-limits";
import { volunteerSchema } from "./volunteer-schema";

function fixture(name: string): Buffer {
  return readFileSync(new URL(`../../tests/fixtures/enrolment/${name}`, import.meta.url));
}

async function readRows(source: UploadSource, batchSize?: number): Promise<EnrolmentRow[]> {
  const file = await openEnrolmentFile(source);
  const rows: EnrolmentRow[] = [];
  for await (const batch of file.rows({ batchSize })) rows.push(...batch);
  return rows;
}

async function problemOf(action: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await action();
  } catch (error) {
    if (error instanceof EnrolmentFileError) return error.problem.code;
    throw error;
  }
  return undefined;
}

async function* chunked(text: string, size: number): AsyncGenerator<Uint8Array> {
  const bytes = Buffer.from(text);
  for (let start = 0; start < bytes.length; start += size) yield bytes.subarray(start, start + size);
}

const HEADER = "Name,Email,Employee number,Origin,Languages,Channels";

describe("upload size limit", () => {
  it("refuses a declared 50 MB upload before reading it", () => {
    expect(checkUploadSize(50 * 1024 * 1024)?.code).toBe("too_large");
    expect(checkUploadSize(String(MAX_UPLOAD_BYTES + 1))?.message).toMatch(/larger than 5 MB/);
    expect(checkUploadSize(MAX_UPLOAD_BYTES)).toBeNull();
    expect(checkUploadSize(null)).toBeNull();
    expect(checkUploadSize("garbage")).toBeNull();
  });

  it("stops a stream as soon as the running count passes the limit", async () => {
    let pulled = 0;
    async function* endless(): AsyncGenerator<Uint8Array> {
      for (;;) {
        pulled += 1;
        yield new Uint8Array(1024);
      }
    }
    const code = await problemOf(async () => {
      for await (const chunk of limitUploadBytes(endless(), 10 * 1024)) void chunk;
    });
    expect(code).toBe("too_large");
    expect(pulled).toBe(11);
  });

  it("turns an oversized stream into a whole-file error while reading rows", async () => {
    const big = `${HEADER}\n${"Jan,jan@airline.example,E1,pilot,nl:native,email\n".repeat(200)}`;
    expect(await problemOf(() => readRows(limitUploadBytes(chunked(big, 512), 4096)))).toBe("too_large");
  });
});

describe("whole-file problems", () => {
  it("refuses an empty file, or one with only a BOM and blank lines", async () => {
    expect(await problemOf(() => openEnrolmentFile(fixture("empty.csv")))).toBe("empty");
    expect(await problemOf(() => openEnrolmentFile("\uFEFF\n\n  \n"))).toBe("empty");
  });

  it("refuses prose, workbooks, PDFs and binary data as not CSV", async () => {
    expect(await problemOf(() => openEnrolmentFile(fixture("not-a-csv.txt")))).toBe("not_csv");
    const workbook = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]);
    const preview = await previewEnrolmentFile(workbook);
    expect(preview).toEqual({ ok: false, problem: expect.objectContaining({ code: "not_csv" }) });
    expect(!preview.ok && preview.problem.message).toMatch(/Excel workbook/);
    expect(await problemOf(() => openEnrolmentFile(Buffer.from("%PDF-1.7\n...")))).toBe("not_csv");
    expect(await problemOf(() => openEnrolmentFile(Buffer.from([0x4e, 0x61, 0x00, 0x01, 0x0a])))).toBe("not_csv");
  });

  it("refuses a file that is not UTF-8 (Excel's legacy CSV)", async () => {
    const latin1 = Buffer.from(`${HEADER}\nSophie M\u00fcller,s@airline.example,E1,office,de:native,email\n`, "latin1");
    const preview = await previewEnrolmentFile(latin1);
    expect(!preview.ok && preview.problem.message).toMatch(/not UTF-8/);
  });

  it("refuses a header line with no recognised column name", async () => {
    expect(await problemOf(() => openEnrolmentFile("a,b,c\n1,2,3\n"))).toBe("no_header");
  });

  it("refuses a file with a header but no rows", async () => {
    expect(await problemOf(() => readRows(`${HEADER}\n\n,,,\n`))).toBe("no_rows");
    expect(await problemOf(() => readRows(`${HEADER}\n,,,,,\n`))).toBe("no_rows");
  });

  it("refuses missing required columns, naming them, before reading rows", async () => {
    const file = await openEnrolmentFile("Name,Email,Notes\nJan,jan@airline.example,hi\n");
    expect(file.columnProblem).toEqual({
      code: "missing_columns",
      message: "Required columns are missing: Employee number, Origin, Languages, Channels. Add them to the file, or choose which column holds them.",
    });
    expect(await problemOf(async () => {
      for await (const batch of file.rows()) void batch;
    })).toBe("missing_columns");
  });

  it("refuses more rows than the limit while streaming", async () => {
    const text = `${HEADER}\n${Array.from({ length: 30 }, (_, i) => `V${i},v${i}@airline.example,E${i},pilot,nl:native,email`).join("\n")}`;
    const file = await openEnrolmentFile(text);
    expect(await problemOf(async () => {
      for await (const batch of file.rows({ maxRows: 25 })) void batch;
    })).toBe("too_many_rows");
  });

  it("reports a quote that is never closed as a broken file", async () => {
    const text = `${HEADER}\nJan,jan@airline.example,E1,pilot,"nl:native,email\n`;
    expect(await problemOf(() => readRows(text))).toBe("malformed");
  });
});

describe("reading rows", () => {
  it("reads the good English file", async () => {
    const rows = await readRows(fixture("volunteers-good.csv"));
    expect(rows).toHaveLength(20);
    expect(rows[0]?.row).toBe(2);
    expect(rows.every((row) => volunteerSchema.safeParse(row.input).success)).toBe(true);
    expect(volunteerSchema.parse(rows[0]!.input)).toMatchObject({
      email: "sanne.devries@airline.example",
      languages: [
        { code: "nl", proficiency: "native" },
        { code: "en", proficiency: "fluent" },
        { code: "de", proficiency: "basic" },
      ],
    });
  });

  it("reads a Dutch, semicolon-separated file with a BOM the same way", async () => {
    const preview = await previewEnrolmentFile(fixture("volunteers-nl-bom.csv"), { rows: 2 });
    expect(preview.ok && preview.delimiter).toBe(";");
    expect(preview.ok && preview.headers[0]).toBe("Naam");
    expect(preview.ok && preview.columns.unknownColumns).toEqual([]);
    expect(preview.ok && preview.sampleRows).toHaveLength(2);

    const dutch = (await readRows(fixture("volunteers-nl-bom.csv"))).map((row) => volunteerSchema.parse(row.input));
    const english = new Map(
      (await readRows(fixture("volunteers-good.csv"))).map((row) => {
        const data = volunteerSchema.parse(row.input);
        return [data.email, data];
      }),
    );
    expect(dutch).toHaveLength(5);
    // Availability and notes are written in Dutch; everything else must match.
    for (const { availability: _a, notes: _n, ...volunteer } of dutch) {
      const { availability: _ea, notes: _en, ...same } = english.get(volunteer.email)!;
      expect(volunteer).toEqual(same);
    }
  });

  it("streams chunks that split lines and characters, in batches", async () => {
    const text = fixture("volunteers-nl-bom.csv").toString("utf8");
    const batches: number[] = [];
    const file = await openEnrolmentFile(chunked(`\uFEFF${text.replace(/^\uFEFF/, "")}`, 7));
    for await (const batch of file.rows({ batchSize: 2 })) batches.push(batch.length);
    expect(batches).toEqual([2, 2, 1]);
  });

  it("maps Dutch origin words and channel names", async () => {
    const rows = await readRows(
      `Naam;E-mail;Staff ID;Herkomst;Talen;Kanalen\nA;a@airline.example;1;Cabinepersoneel;nl:native;"WhatsApp, X (Twitter)"\nB;b@airline.example;2;Grondpersoneel;nl:native;E-mail\nC;c@airline.example;3;Kantoor;nl:native;Apple Messages for Business\n`,
    );
    expect(rows.map((row) => [row.input.origin, row.input.channels])).toEqual([
      ["cabin_crew", ["whatsapp", "x"]],
      ["ground", ["email"]],
      ["office", ["apple_messages"]],
    ]);
  });

  it("keeps the uploaded cells, and flags rows with more values than columns", async () => {
    const rows = await readRows(`${HEADER}\nJan,jan@airline.example,E1,pilot,nl:native,email,surplus\n`);
    expect(rows[0]?.cells).toEqual(["Jan", "jan@airline.example", "E1", "pilot", "nl:native", "email", "surplus"]);
    expect(rows[0]?.problems[0]?.message).toMatch(/7 values but the header has 6 columns/);
  });

  it("takes off the quote an export put before a formula-like value", async () => {
    const rows = await readRows(`${HEADER},Notes\nJan,jan@airline.example,E1,pilot,nl:native,email,'-only nights\n`);
    expect(rows[0]?.input.notes).toBe("-only nights");
  });

  it("applies the planner's column override", async () => {
    const text = "Volunteer,Mail,Nr,Origin,Languages,Channels\nJan,jan@airline.example,E1,pilot,nl:native,email\n";
    const before = await previewEnrolmentFile(text);
    expect(before.ok && before.columnProblem?.code).toBe("missing_columns");
    expect(before.ok && before.sampleRows).toHaveLength(1);
    const after = await previewEnrolmentFile(text, { override: { Nr: "employeeNumber" } });
    expect(after.ok && after.columnProblem).toBeNull();
    const file = await openEnrolmentFile(text, { override: { Nr: "employeeNumber" } });
    for await (const [row] of file.rows()) expect(row?.input.employeeNumber).toBe("E1");
  });

  it("reads 10,000 rows in batches, every one valid (speed is measured in bench/)", async () => {
    const lines = [`${HEADER},Home base,Time zone,Start date,End date,Notes`];
    for (let i = 0; i < 10_000; i++) {
      lines.push(`Volunteer ${i},v${i}@airline.example,E${100000 + i},Cabin crew,"nl:native, en:fluent","whatsapp, messenger",AMS,Europe/Amsterdam,2024-03-16,2024-05-31,note`);
    }
    let count = 0;
    const file = await openEnrolmentFile(lines.join("\n"));
    for await (const batch of file.rows()) {
      for (const row of batch) if (volunteerSchema.safeParse(row.input).success) count += 1;
    }
    expect(count).toBe(10_000);
  });
});
