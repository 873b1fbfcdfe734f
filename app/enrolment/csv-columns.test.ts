import { describe, expect, it } from "vitest";
import { applyColumnOverride, describeColumns, detectColumnMapping, fieldForHeader } from "./csv-columns";

describe("column mapping", () => {
  it("recognises English and Dutch header names regardless of case, spaces and dashes", () => {
    const pairs: [string, string][] = [
      ["Full name", "name"],
      ["Naam", "name"],
      ["E-mail", "email"],
      ["Werk e-mail", "email"],
      ["Staff ID", "employeeNumber"],
      ["Personeelsnummer", "employeeNumber"],
      ["Herkomst", "origin"],
      ["Functie", "origin"],
      ["Thuisbasis", "homeBase"],
      ["Talen", "languages"],
      ["Kanalen", "channels"],
      ["Tijdzone", "timeZone"],
      ["Beschikbaarheid", "availability"],
      ["Startdatum", "startDate"],
      ["Einddatum", "endDate"],
      ["Opmerkingen", "notes"],
      ["employeeNumber", "employeeNumber"],
    ];
    for (const [header, field] of pairs) expect(fieldForHeader(header), header).toBe(field);
    expect(fieldForHeader("Shoe size")).toBeUndefined();
  });

  it("reports unknown columns and missing required ones, and skips its own export columns", () => {
    const headers = ["Name", "Email", "Shoe size", "Status", "error"];
    const report = describeColumns(headers, detectColumnMapping(headers));
    expect(report.unknownColumns).toEqual(["Shoe size"]);
    expect(report.missingFields).toEqual(["employeeNumber", "origin", "languages", "channels"]);
  });

  it("lets the planner map a column by header or position, or ignore one", () => {
    const headers = ["Name", "Mail adres", "Nr", "Origin", "Languages", "Channels", "Email"];
    const detected = detectColumnMapping(headers);
    expect(detected).toEqual(["name", null, null, "origin", "languages", "channels", "email"]);
    const mapping = applyColumnOverride(headers, detected, { "Mail adres": "email", "2": "employeeNumber", Email: null });
    expect(mapping).toEqual(["name", "email", "employeeNumber", "origin", "languages", "channels", null]);
    const report = describeColumns(headers, mapping);
    expect(report.missingFields).toEqual([]);
    expect(report.unknownColumns).toEqual([]);
    expect(report.doubleMapped).toEqual([]);
  });

  it("flags two columns mapped to the same field", () => {
    const headers = ["Name", "Email", "Werk e-mail"];
    const mapping = applyColumnOverride(headers, detectColumnMapping(headers), { "Werk e-mail": "email" });
    expect(describeColumns(headers, mapping).doubleMapped).toEqual([{ field: "email", headers: ["Email", "Werk e-mail"] }]);
  });
});
