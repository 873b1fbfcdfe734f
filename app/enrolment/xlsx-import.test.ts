import { readFileSync } from "node:fs";
import { crc32 } from "node:zlib";
import { describe, expect, it } from "vitest";
import writeXlsxFile from "write-excel-file/node";
import { EnrolmentFileError, openEnrolmentFile } from "./csv-import.server";
import { MAX_IMPORT_ROWS } from "./import-limits";
import { cellText, checkZipDirectory, isZipArchive, workbookToCsv } from "./xlsx-import.server";

const workbook = readFileSync(new URL("../../tests/fixtures/enrolment/volunteers-new.xlsx", import.meta.url));

/** A ZIP archive of stored (uncompressed) entries; `declared` overrides an entry's unpacked size in the directory. */
function zipOf(entries: { name: string; content: string; declared?: number }[]): Buffer {
  const locals: Buffer[] = [];
  const directory: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name);
    const data = Buffer.from(entry.content);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(entry.declared ?? data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    directory.push(central, name);
    offset += 30 + name.length + data.length;
  }
  const directoryBytes = Buffer.concat(directory);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directoryBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directoryBytes, end]);
}

async function problemOf(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(EnrolmentFileError);
  return (error as EnrolmentFileError).problem;
}

describe("Excel workbooks", () => {
  it("turns the first sheet into CSV the importer reads like any other file: dates as days, numbers as text", async () => {
    expect(isZipArchive(workbook)).toBe(true);
    const csv = (await workbookToCsv(workbook)).toString("utf8");
    const lines = csv.trim().split("\n");
    expect(lines[0]).toBe("Name,Email,Employee number,Origin,Home base,Languages,Channels,Time zone,Availability,Start date,End date,Notes");
    expect(lines[1]).toBe(
      'Lotte Visser,lotte.visser@airline.example,E205001,Cabin crew,AMS,"nl:native, en:fluent","whatsapp, messenger",Europe/Amsterdam,Early shifts,2024-03-18,2024-05-31,Speaks to customers daily',
    );
    expect(lines[2]).toContain(",205002,Ground,");
    expect(lines[2]).toContain(",24,2024-03-18,,");
    // The second sheet ("Read me") is not imported.
    expect(csv).not.toContain("Only the first sheet");
    const file = await openEnrolmentFile(csv);
    expect(file.columnProblem).toBeNull();
    const rows = [];
    for await (const batch of file.rows()) rows.push(...batch);
    expect(rows.map((row) => row.input.email)).toEqual([
      "lotte.visser@airline.example",
      "ahmed.elamrani@airline.example",
      "mei.chen@airline.example",
      "bram.deboer@airline",
    ]);
  });

  it("refuses a damaged workbook, a ZIP that is not a workbook, and an old .xls with a clear message", async () => {
    const cut = await problemOf(workbookToCsv(workbook.subarray(0, Math.floor(workbook.length / 2))));
    expect(cut.message).toMatch(/^This Excel workbook cannot be read: the file is damaged/);
    const garbage = await problemOf(workbookToCsv(Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 0x0a])));
    expect(garbage.code).toBe("not_csv");
    const other = await problemOf(workbookToCsv(zipOf([{ name: "letter.txt", content: "Dear planner" }])));
    expect(other.message).toContain("it is damaged or is not an Excel workbook");
  });

  it("refuses an archive that declares more unpacked data than a workbook needs (a zip bomb) before unpacking it", async () => {
    const bomb = zipOf([{ name: "xl/worksheets/sheet1.xml", content: "<x/>", declared: 2_000_000_000 }]);
    expect(checkZipDirectory(bomb)?.code).toBe("too_large");
    expect((await problemOf(workbookToCsv(bomb))).message).toMatch(/unpacks to more than 48 MB/);
    expect(checkZipDirectory(workbook)).toBeNull();
  });

  it("refuses an empty first sheet and a sheet over the row limit", async () => {
    const empty = await writeXlsxFile([[null]]).toBuffer();
    expect((await problemOf(workbookToCsv(empty))).code).toBe("empty");
    const data = [["Name", "Email"], ...Array.from({ length: MAX_IMPORT_ROWS + 1 }, (_, i) => [`P ${i}`, `p${i}@airline.example`])];
    const big = await writeXlsxFile(data).toBuffer();
    expect((await problemOf(workbookToCsv(big))).code).toBe("too_many_rows");
  });

  it("writes cells as the CSV importer expects them", () => {
    expect(cellText(new Date("2024-03-16T00:00:00.000Z"))).toBe("2024-03-16");
    expect(cellText(205002)).toBe("205002");
    expect(cellText(true)).toBe("TRUE");
    expect(cellText(null)).toBe("");
    expect(cellText("=cmd")).toBe("=cmd");
  });
});
