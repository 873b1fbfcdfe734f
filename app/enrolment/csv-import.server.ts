// Reading a bulk enrolment file: size limits that hold before the upload is
// read, recognising what the file is, the column mapping, and streaming the
// rows in batches so a 10,000-row file never sits in memory as records.
// Server only (Node streams); routes import it from actions and loaders.
//
// Accepted: UTF-8 text with or without BOM, comma, semicolon or tab
// separated (detected from the header line), quoted fields, a header line
// naming the columns in English or Dutch. Excel workbooks are converted to
// this CSV at upload (xlsx-import.ts). README.md ("Enrolment") documents the format.
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { CsvError, parse } from "csv-parse";
import type { Proficiency } from "@prisma/client";
import { parse as parseSync } from "csv-parse/sync";
import {
  applyColumnOverride,
  describeColumns,
  describeMissingFields,
  detectColumnMapping,
  type ColumnMapping,
  type ColumnOverride,
  type ColumnReport,
} from "./csv-columns";
import { MAX_IMPORT_ROWS, MAX_UPLOAD_BYTES } from "./import-limits";
import { channelFromWord, originFromWord } from "./enrolment-vocabulary";
import { parseLanguageList } from "./language-list";
import { ENROLMENT_FIELD_LABELS, type EnrolmentField, type VolunteerEnrolmentInput } from "./volunteer-schema";

export const IMPORT_BATCH_SIZE = 500;
/** The header must end within this many bytes, or the file is not a CSV. */
const HEADER_PEEK_BYTES = 64 * 1024;
/** One row longer than this is a broken file, not a volunteer. */
const MAX_ROW_BYTES = 64 * 1024;

export type FileProblemCode =
  | "empty"
  | "not_csv"
  | "too_large"
  | "too_many_rows"
  | "no_header"
  | "missing_columns"
  | "mapping_conflict"
  | "malformed"
  | "no_rows"
  | "expired"
  | "busy";

export interface FileProblem {
  code: FileProblemCode;
  message: string;
}

/** A problem with the whole file: nothing in it is imported. */
export class EnrolmentFileError extends Error {
  constructor(readonly problem: FileProblem) {
    super(problem.message);
    this.name = "EnrolmentFileError";
  }
}

function fail(code: FileProblemCode, message: string): never {
  throw new EnrolmentFileError({ code, message });
}

function megabytes(bytes: number): string {
  return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
}

function tooLarge(limit: number): FileProblem {
  return {
    code: "too_large",
    message: `The file is larger than ${megabytes(limit)}. Split it into smaller files of at most ${MAX_IMPORT_ROWS.toLocaleString("en")} rows.`,
  };
}

/**
 * Checks a declared size (a Content-Length header or a running byte count)
 * against the limit. Null means the size is acceptable or unknown.
 */
export function checkUploadSize(byteCount: number | string | null | undefined, limit = MAX_UPLOAD_BYTES): FileProblem | null {
  if (byteCount === null || byteCount === undefined || byteCount === "") return null;
  const bytes = Number(byteCount);
  if (!Number.isFinite(bytes) || bytes < 0) return null;
  return bytes > limit ? tooLarge(limit) : null;
}

/** Passes the upload through, failing as soon as more than `limit` bytes have arrived. */
export async function* limitUploadBytes(
  chunks: AsyncIterable<Uint8Array | string>,
  limit = MAX_UPLOAD_BYTES,
): AsyncGenerator<Uint8Array> {
  let received = 0;
  for await (const chunk of chunks) {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    received += bytes.byteLength;
    if (received > limit) throw new EnrolmentFileError(tooLarge(limit));
    yield bytes;
  }
}

export type UploadSource = string | Uint8Array | AsyncIterable<Uint8Array | string>;

export type Delimiter = "," | ";" | "\t";

const DELIMITER_NAMES: Record<Delimiter, string> = { ",": "comma", ";": "semicolon", "\t": "tab" };

/** One reason a row is refused; field is null when the row as a whole is wrong. */
export interface RowError {
  field: EnrolmentField | null;
  message: string;
}

export interface EnrolmentRow {
  /** Line in the file, counting the header as line 1, as a spreadsheet shows it. */
  row: number;
  /** The cells as uploaded, for the rejected-rows file. */
  cells: string[];
  /** The mapped fields, ready for volunteerSchema. */
  input: VolunteerEnrolmentInput;
  /** Problems with the row itself rather than one field (extra cells, bad bytes). */
  problems: RowError[];
}

export interface RowReadOptions {
  batchSize?: number;
  maxRows?: number;
  ignoreColumnProblem?: boolean;
}

export interface EnrolmentFile {
  delimiter: Delimiter;
  headers: string[];
  mapping: ColumnMapping;
  columns: ColumnReport;
  /** Fields the file fills; the dry run compares only these with existing data. */
  mappedFields: EnrolmentField[];
  /** Missing or double-mapped columns: shown on the preview, fatal for rows(). */
  columnProblem: FileProblem | null;
  /**
   * The data rows in batches. Reads the upload once; call it once. Throws
   * columnProblem unless ignoreColumnProblem (the preview shows rows anyway).
   */
  rows(options?: RowReadOptions): AsyncGenerator<EnrolmentRow[]>;
}

function toChunks(source: UploadSource): AsyncIterable<Uint8Array | string> {
  if (typeof source === "string" || source instanceof Uint8Array) {
    return (async function* () {
      yield source;
    })();
  }
  return source;
}

const ZIP_SIGNATURE = [0x50, 0x4b, 0x03, 0x04];
const OLE_SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0];
const PDF_SIGNATURE = [0x25, 0x50, 0x44, 0x46];

function startsWith(bytes: Uint8Array, signature: number[]): boolean {
  return signature.every((byte, position) => bytes[position] === byte);
}

const SAVE_AS_CSV = "In Excel or Google Sheets choose File, Save as (or Download), CSV UTF-8, and upload that file.";

/** Refuses what is plainly not a UTF-8 text table and returns the header line. */
function readHeaderLine(head: Uint8Array): string {
  if (head.byteLength === 0) fail("empty", "The file is empty. Upload a CSV file with a header line and one volunteer per line.");
  // Workbooks (.xlsx) are converted to CSV before they get here (xlsx-import).
  if (startsWith(head, ZIP_SIGNATURE)) fail("not_csv", `This is an Excel workbook or another ZIP archive, not a CSV file. ${SAVE_AS_CSV}`);
  if (startsWith(head, OLE_SIGNATURE)) {
    fail("not_csv", `This is an old Excel 97-2003 workbook (.xls). Save it as an Excel workbook (.xlsx) or as CSV UTF-8, and upload that file.`);
  }
  if (startsWith(head, PDF_SIGNATURE)) fail("not_csv", `This is a PDF document, not a CSV file. ${SAVE_AS_CSV}`);
  const sample = head.subarray(0, HEADER_PEEK_BYTES);
  if (sample.includes(0)) fail("not_csv", `This file holds binary data, not text, so it is not a CSV file. ${SAVE_AS_CSV}`);
  let text: string;
  try {
    // stream: true tolerates a character cut in half at the end of the sample.
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(sample, { stream: true });
  } catch {
    fail("not_csv", `The file is not UTF-8 text (Excel's plain "CSV" saves in an older encoding). ${SAVE_AS_CSV}`);
  }
  if (text.trim() === "") fail("empty", "The file is empty. Upload a CSV file with a header line and one volunteer per line.");
  const lineEnd = text.search(/\r?\n/);
  if (lineEnd < 0 && head.byteLength >= HEADER_PEEK_BYTES) {
    fail("not_csv", "The first line is longer than 64 KB, so it is not a header line of column names. Is this a CSV file?");
  }
  return lineEnd < 0 ? text : text.slice(0, lineEnd);
}

/** The separator used most often outside quotes in the header line. */
function detectDelimiter(headerLine: string): Delimiter | undefined {
  const counts: Record<Delimiter, number> = { ",": 0, ";": 0, "\t": 0 };
  let quoted = false;
  for (const character of headerLine) {
    if (character === '"') quoted = !quoted;
    else if (!quoted && character in counts) counts[character as Delimiter] += 1;
  }
  const [best, count] = (Object.entries(counts) as [Delimiter, number][]).sort((a, b) => b[1] - a[1])[0]!;
  return count > 0 ? best : undefined;
}

/**
 * Reads the header of an upload and works out the column mapping; the rows
 * stay unread until rows() is iterated. Throws EnrolmentFileError for an
 * empty file, a file that is not CSV, or a header nobody can recognise.
 */
export async function openEnrolmentFile(
  source: UploadSource,
  options: { override?: ColumnOverride; defaultProficiency?: Proficiency } = {},
): Promise<EnrolmentFile> {
  const iterator = toChunks(source)[Symbol.asyncIterator]();
  const headChunks: Buffer[] = [];
  let headBytes = 0;
  for (;;) {
    const next = await iterator.next();
    if (next.done) break;
    const chunk = Buffer.from(next.value);
    headChunks.push(chunk);
    headBytes += chunk.byteLength;
    if (chunk.includes(0x0a) || headBytes >= HEADER_PEEK_BYTES) break;
  }
  const head = Buffer.concat(headChunks);
  const headerLine = readHeaderLine(head);
  const detected = detectDelimiter(headerLine);
  const delimiter = detected ?? ",";
  const headers = (parseSync(headerLine, { delimiter, bom: true, relax_quotes: true, trim: true }) as string[][])[0] ?? [];
  const detectedMapping = detectColumnMapping(headers);
  if (!detected && detectedMapping.every((field) => field === null)) {
    fail(
      "not_csv",
      `The first line has no commas or semicolons and no known column name, so this is not a CSV file with columns. ${SAVE_AS_CSV}`,
    );
  }
  const mapping = options.override ? applyColumnOverride(headers, detectedMapping, options.override) : detectedMapping;
  if (mapping.every((field) => field === null)) {
    fail(
      "no_header",
      `None of the column names in the first line were recognised (${headers
        .slice(0, 6)
        .map((header) => `'${header}'`)
        .join(", ")}). The first line must name the columns, for example: Name, Email, Employee number, Origin, Languages, Channels.`,
    );
  }
  const columns = describeColumns(headers, mapping);
  const columnProblem = columnProblemOf(columns);
  const mappedFields = columns.mapped.map((column) => column.field);

  async function* remainingChunks(): AsyncGenerator<Uint8Array> {
    yield head;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield typeof next.value === "string" ? Buffer.from(next.value) : next.value;
    }
  }

  let consumed = false;
  async function* rows({
    batchSize = IMPORT_BATCH_SIZE,
    maxRows = MAX_IMPORT_ROWS,
    ignoreColumnProblem = false,
  }: RowReadOptions = {}): AsyncGenerator<EnrolmentRow[]> {
    if (columnProblem && !ignoreColumnProblem) throw new EnrolmentFileError(columnProblem);
    if (consumed) throw new Error("The rows of an enrolment file can be read only once.");
    consumed = true;
    const parser = parse({
      delimiter,
      bom: true,
      info: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      max_record_size: MAX_ROW_BYTES,
    });
    const feeding = pipeline(Readable.from(remainingChunks()), parser);
    // Errors surface through the parser's iterator below; this only stops
    // an unhandled rejection when the reader stops early.
    feeding.catch(() => undefined);
    let count = 0;
    let batch: EnrolmentRow[] = [];
    let headerSkipped = false;
    try {
      for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
        if (!headerSkipped) {
          headerSkipped = true;
          continue;
        }
        count += 1;
        if (count > maxRows) {
          fail("too_many_rows", `The file has more than ${maxRows.toLocaleString("en")} rows. Split it into smaller files.`);
        }
        batch.push(rowFromRecord(record, info.lines, headers, mapping, delimiter, options.defaultProficiency));
        if (batch.length >= batchSize) {
          yield batch;
          batch = [];
        }
      }
      await feeding;
    } catch (error) {
      throw asFileError(error);
    } finally {
      parser.destroy();
    }
    if (batch.length > 0) yield batch;
    if (count === 0) fail("no_rows", "The file has a header line but no volunteers under it.");
  }

  return { delimiter, headers, mapping, columns, mappedFields, columnProblem, rows };
}

function columnProblemOf(columns: ColumnReport): FileProblem | null {
  if (columns.missingFields.length > 0) {
    return {
      code: "missing_columns",
      message: `Required columns are missing: ${describeMissingFields(columns.missingFields)}. Add them to the file, or choose which column holds them.`,
    };
  }
  const [double] = columns.doubleMapped;
  if (double) {
    return {
      code: "mapping_conflict",
      message: `Columns ${double.headers.map((header) => `'${header}'`).join(" and ")} are both set to ${ENROLMENT_FIELD_LABELS[double.field]}; keep one of them.`,
    };
  }
  return null;
}

function asFileError(error: unknown): unknown {
  if (error instanceof EnrolmentFileError) return error;
  if (error instanceof CsvError) {
    const line = (error as CsvError & { lines?: number }).lines;
    const where = line ? ` near line ${line}` : "";
    const reason =
      error.code === "CSV_QUOTE_NOT_CLOSED"
        ? "a quoted value is never closed"
        : error.code === "CSV_MAX_RECORD_SIZE"
          ? "a row is longer than 64 KB"
          : "the CSV structure is broken";
    return new EnrolmentFileError({ code: "malformed", message: `The file cannot be read${where}: ${reason}. Check the quotes in that line.` });
  }
  return error;
}

/** Exports prefix formula-like cells with ' (see csv-export); take it off again on re-upload. */
function withoutFormulaGuard(cell: string): string {
  return /^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell;
}

const LIST_SEPARATOR = /[,;|/\n]+/;

function rowFromRecord(
  cells: string[],
  row: number,
  headers: readonly string[],
  mapping: ColumnMapping,
  delimiter: Delimiter,
  defaultProficiency?: Proficiency,
): EnrolmentRow {
  // A NUL byte cannot be stored in PostgreSQL text or jsonb: mark it like any other bad byte.
  if (cells.some((cell) => cell.includes("\u0000"))) cells = cells.map((cell) => cell.replaceAll("\u0000", "\uFFFD"));
  const input: Record<string, unknown> = {};
  mapping.forEach((field, position) => {
    if (!field) return;
    const cell = withoutFormulaGuard(cells[position] ?? "");
    // "nl, en, fr" (no proficiency): the default the planner chose for this file, if any.
    if (field === "languages")
      input.languages = parseLanguageList(cell).map((entry) => (entry.proficiency === "" && defaultProficiency ? { ...entry, proficiency: defaultProficiency } : entry));
    else if (field === "channels") {
      input.channels = cell
        .split(LIST_SEPARATOR)
        .map((channel) => channel.trim())
        .filter((channel) => channel !== "")
        .map(channelFromWord);
    } else if (field === "origin") input.origin = originFromWord(cell);
    else input[field] = cell;
  });
  const problems: RowError[] = [];
  if (cells.length > headers.length && cells.slice(headers.length).some((cell) => cell.trim() !== "")) {
    problems.push({
      field: null,
      message: `This row has ${cells.length} values but the header has ${headers.length} columns; a value probably contains an unquoted ${DELIMITER_NAMES[delimiter]}.`,
    });
  }
  if (cells.some((cell) => cell.includes("\uFFFD"))) {
    problems.push({ field: null, message: "This row contains characters that are not UTF-8; save the file as CSV UTF-8." });
  }
  return { row, cells, input: input as VolunteerEnrolmentInput, problems };
}

export interface EnrolmentPreview {
  delimiter: Delimiter;
  headers: string[];
  mapping: ColumnMapping;
  columns: ColumnReport;
  /** Null when the file can go on to the dry run. */
  columnProblem: FileProblem | null;
  /** The first rows as uploaded, for the planner to check the mapping against. */
  sampleRows: string[][];
}

export type PreviewResult = ({ ok: true } & EnrolmentPreview) | { ok: false; problem: FileProblem };

/**
 * The preview screen: how the columns map, which are unknown or missing, and
 * the first rows. Reads only as far as those rows. Never throws for a bad file.
 */
export async function previewEnrolmentFile(
  source: UploadSource,
  options: { rows?: number; override?: ColumnOverride } = {},
): Promise<PreviewResult> {
  try {
    const file = await openEnrolmentFile(source, { override: options.override });
    const sampleRows: string[][] = [];
    const wanted = options.rows ?? 10;
    if (wanted > 0) {
      for await (const batch of file.rows({ batchSize: wanted, ignoreColumnProblem: true })) {
        sampleRows.push(...batch.map((row) => row.cells));
        break;
      }
    }
    const { delimiter, headers, mapping, columns, columnProblem } = file;
    return { ok: true, delimiter, headers, mapping, columns, columnProblem, sampleRows };
  } catch (error) {
    if (error instanceof EnrolmentFileError) return { ok: false, problem: error.problem };
    throw error;
  }
}
