// Which column of an uploaded file holds which enrolment field. Headers are
// recognised from the names planners and HR exports use, in English and
// Dutch; the planner can override any column on the preview screen.
import { plainLowerCase } from "./enrolment-vocabulary";
import {
  ENROLMENT_FIELD_LABELS,
  ENROLMENT_FIELDS,
  REQUIRED_ENROLMENT_FIELDS,
  type EnrolmentField,
} from "./volunteer-schema";

/** Per file column (by position): the field it fills, or null when ignored. */
export type ColumnMapping = readonly (EnrolmentField | null)[];

/** Compared after normaliseHeader: lower case, letters and digits only. */
const HEADER_NAMES: Record<EnrolmentField, readonly string[]> = {
  name: ["name", "naam", "fullname", "volledigenaam", "employeename", "naammedewerker", "volunteer", "vrijwilliger"],
  email: ["email", "emailaddress", "workemail", "werkemail", "emailadres", "werkemailadres", "zakelijkeemail", "mail"],
  employeeNumber: [
    "employeenumber",
    "employeeno",
    "employeenr",
    "employeeid",
    "personeelsnummer",
    "personeelsnr",
    "medewerkernummer",
    "staffid",
    "staffnumber",
    "staffno",
  ],
  origin: ["origin", "herkomst", "functie", "function", "role", "rol", "staffgroup"],
  homeBase: ["homebase", "base", "thuisbasis", "standplaats", "homestation", "station"],
  languages: ["languages", "language", "talen", "taal", "taalvaardigheid"],
  channels: ["channels", "channel", "kanalen", "kanaal"],
  timeZone: ["timezone", "tz", "tijdzone"],
  availability: ["availability", "beschikbaarheid", "shiftpattern", "shifts", "diensten", "hoursperweek", "urenperweek"],
  startDate: ["startdate", "start", "startdatum", "begindatum", "from", "vanaf"],
  endDate: ["enddate", "end", "einddatum", "expectedenddate", "verwachteeinddatum", "until", "tot", "totenmet"],
  notes: ["notes", "note", "opmerkingen", "opmerking", "notities", "remarks", "comments"],
};

/**
 * Columns this application writes itself (the rejected-rows "error" column,
 * roster status and training progress). They are expected on re-upload, so
 * they are skipped silently instead of being reported as unknown.
 */
const OWN_EXPORT_HEADERS = new Set(["error", "errors", "fout", "fouten", "status", "trainingprogress", "training"]);

const FIELD_BY_HEADER = new Map<string, EnrolmentField>(
  ENROLMENT_FIELDS.flatMap((field) => [field.toLowerCase(), ...HEADER_NAMES[field]].map((name) => [name, field] as const)),
);

export function normaliseHeader(header: string): string {
  return plainLowerCase(header).replace(/[^a-z0-9]/g, "");
}

export function fieldForHeader(header: string): EnrolmentField | undefined {
  return FIELD_BY_HEADER.get(normaliseHeader(header));
}

export function isOwnExportHeader(header: string): boolean {
  return OWN_EXPORT_HEADERS.has(normaliseHeader(header));
}

/** The first column with a recognised name fills a field; later ones are left unmapped. */
export function detectColumnMapping(headers: readonly string[]): ColumnMapping {
  const taken = new Set<EnrolmentField>();
  return headers.map((header) => {
    const field = fieldForHeader(header);
    if (!field || taken.has(field)) return null;
    taken.add(field);
    return field;
  });
}

/**
 * The planner's choices on the preview screen, keyed by the column's header
 * text or by its position ("0", "1", ...); null means "do not import".
 */
export type ColumnOverride = Readonly<Record<string, EnrolmentField | null>>;

export function applyColumnOverride(
  headers: readonly string[],
  mapping: ColumnMapping,
  override: ColumnOverride,
): ColumnMapping {
  return mapping.map((field, position) => {
    const header = headers[position] ?? "";
    if (Object.hasOwn(override, String(position))) return override[String(position)] ?? null;
    if (Object.hasOwn(override, header)) return override[header] ?? null;
    return field;
  });
}

export interface ColumnReport {
  /** Columns that fill a field, in file order. */
  mapped: { position: number; header: string; field: EnrolmentField }[];
  /** Columns nobody recognised; reported, not fatal (their data is ignored). */
  unknownColumns: string[];
  /** Required fields no column fills; fatal until mapped. */
  missingFields: EnrolmentField[];
  /** Fields filled by more than one column after an override; fatal. */
  doubleMapped: { field: EnrolmentField; headers: string[] }[];
}

export function describeColumns(headers: readonly string[], mapping: ColumnMapping): ColumnReport {
  const mapped: ColumnReport["mapped"] = [];
  const unknownColumns: string[] = [];
  const columnsByField = new Map<EnrolmentField, string[]>();
  headers.forEach((header, position) => {
    const field = mapping[position] ?? null;
    if (field) {
      mapped.push({ position, header, field });
      columnsByField.set(field, [...(columnsByField.get(field) ?? []), header]);
    } else if (!fieldForHeader(header) && !isOwnExportHeader(header)) {
      // A recognised header the planner chose to skip is not "unknown".
      unknownColumns.push(header);
    }
  });
  return {
    mapped,
    unknownColumns,
    missingFields: REQUIRED_ENROLMENT_FIELDS.filter((field) => !columnsByField.has(field)),
    doubleMapped: [...columnsByField.entries()]
      .filter(([, columns]) => columns.length > 1)
      .map(([field, columns]) => ({ field, headers: columns })),
  };
}

export function describeMissingFields(fields: readonly EnrolmentField[]): string {
  return fields.map((field) => ENROLMENT_FIELD_LABELS[field]).join(", ");
}
