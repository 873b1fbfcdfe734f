// Excel workbooks (.xlsx) for bulk enrolment: the first sheet is turned into
// CSV text once, at upload, and from then on the workbook goes through the
// same column mapping, dry run and commit as a CSV file.
//
// An .xlsx file is a ZIP archive, and a small archive can hold an enormous
// sheet ("zip bomb"). read-excel-file's universal entry unzips with fflate,
// which reads the archive's central directory and never writes more than
// the size each entry declares there, so checking the declared sizes first
// bounds the memory a workbook can take.
import { stringify } from "csv-stringify/sync";
import { InvalidInputError, readSheet } from "read-excel-file/universal";
import { EnrolmentFileError, type FileProblem } from "./csv-import.server";
import { MAX_IMPORT_ROWS, MAX_UPLOAD_BYTES } from "./import-limits";

/** At most this much XML inside one workbook: a 20,000-row sheet is about 15 MB. */
export const MAX_XLSX_UNPACKED_BYTES = 48 * 1024 * 1024;
/** Real workbooks have a few dozen parts. */
const MAX_XLSX_ENTRIES = 2_000;

const ZIP_SIGNATURE = [0x50, 0x4b, 0x03, 0x04];

export function isZipArchive(bytes: Uint8Array): boolean {
  return ZIP_SIGNATURE.every((byte, position) => bytes[position] === byte);
}

const SAVE_AGAIN = "Open it in Excel and save it again as an Excel workbook (.xlsx) or as CSV UTF-8, then upload that file.";

function unreadable(reason: string): FileProblem {
  return { code: "not_csv", message: `This Excel workbook cannot be read: ${reason}. ${SAVE_AGAIN}` };
}

/**
 * Checks a ZIP archive's central directory: the number of entries and the
 * sum of their declared unpacked sizes. Null when the archive may be read.
 */
export function checkZipDirectory(bytes: Uint8Array, maxUnpacked = MAX_XLSX_UNPACKED_BYTES): FileProblem | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end-of-central-directory record is in the last 22 bytes plus a comment of at most 64 KB.
  let end = -1;
  for (let offset = bytes.byteLength - 22; offset >= Math.max(0, bytes.byteLength - 22 - 0xffff); offset--) {
    if (view.getUint32(offset, true) === 0x06054b50) {
      end = offset;
      break;
    }
  }
  if (end < 0) return unreadable("the file is damaged or cut off (it has no ZIP directory)");
  const entries = view.getUint16(end + 10, true);
  const directorySize = view.getUint32(end + 12, true);
  const directoryOffset = view.getUint32(end + 16, true);
  if (entries === 0xffff || directoryOffset === 0xffffffff) return unreadable("it uses the ZIP64 format, which workbooks of this size never need");
  if (entries > MAX_XLSX_ENTRIES) return unreadable(`it holds ${entries} parts, far more than a workbook has`);
  if (directoryOffset + directorySize > end) return unreadable("the file is damaged (its ZIP directory points outside the file)");
  let unpacked = 0;
  let offset = directoryOffset;
  for (let entry = 0; entry < entries; entry++) {
    if (offset + 46 > end || view.getUint32(offset, true) !== 0x02014b50) return unreadable("the file is damaged (its ZIP directory is broken)");
    const size = view.getUint32(offset + 24, true);
    if (size === 0xffffffff) return unreadable("it uses the ZIP64 format, which workbooks of this size never need");
    unpacked += size;
    if (unpacked > maxUnpacked) {
      return {
        code: "too_large",
        message: `This workbook unpacks to more than ${Math.round(maxUnpacked / (1024 * 1024))} MB. Split it into smaller files of at most ${MAX_IMPORT_ROWS.toLocaleString("en")} rows.`,
      };
    }
    offset += 46 + view.getUint16(offset + 28, true) + view.getUint16(offset + 30, true) + view.getUint16(offset + 32, true);
  }
  return null;
}

/** A cell as the CSV importer expects it: dates as YYYY-MM-DD, everything else as text. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "" : value.toISOString().slice(0, 10);
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  return String(value);
}

/**
 * The first sheet of an .xlsx workbook as CSV text (comma separated, no
 * BOM). Throws EnrolmentFileError for a damaged file, a ZIP archive that is
 * not a workbook, an empty sheet, or a sheet over the row or size limit.
 */
export async function workbookToCsv(bytes: Uint8Array): Promise<Buffer> {
  const directoryProblem = checkZipDirectory(bytes);
  if (directoryProblem) throw new EnrolmentFileError(directoryProblem);
  let rows: unknown[][];
  try {
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    rows = await readSheet(buffer);
  } catch (error) {
    if (error instanceof InvalidInputError && error.code === "XLS_FILE_NOT_SUPPORTED") {
      throw new EnrolmentFileError(unreadable("it is an old Excel 97-2003 workbook (.xls)"));
    }
    // Damaged archives, ZIP files that are not workbooks, broken sheet XML.
    throw new EnrolmentFileError(unreadable("it is damaged or is not an Excel workbook"));
  }
  const records = rows.map((row) => row.map(cellText)).filter((cells) => cells.some((cell) => cell.trim() !== ""));
  if (records.length === 0) {
    throw new EnrolmentFileError({ code: "empty", message: "The first sheet of this workbook is empty. Put the header line and one volunteer per row on the first sheet." });
  }
  if (records.length - 1 > MAX_IMPORT_ROWS) {
    throw new EnrolmentFileError({
      code: "too_many_rows",
      message: `The first sheet has more than ${MAX_IMPORT_ROWS.toLocaleString("en")} rows. Split it into smaller files.`,
    });
  }
  const csv = Buffer.from(stringify(records, { record_delimiter: "unix" }), "utf8");
  if (csv.byteLength > MAX_UPLOAD_BYTES) {
    throw new EnrolmentFileError({
      code: "too_large",
      message: `The first sheet holds more than ${MAX_UPLOAD_BYTES / (1024 * 1024)} MB of text. Split it into smaller files of at most ${MAX_IMPORT_ROWS.toLocaleString("en")} rows.`,
    });
  }
  return csv;
}
