import { describe, expect, it } from "vitest";
import { volunteerInputFromFormData } from "./volunteer-form-data";
import { volunteerSchema } from "./volunteer-schema";

function form(entries: [string, string][]): FormData {
  const data = new FormData();
  for (const [key, value] of entries) data.append(key, value);
  return data;
}

describe("volunteerInputFromFormData", () => {
  it("reads a post without JavaScript, dropping blank language rows", () => {
    const input = volunteerInputFromFormData(
      form([
        ["name", "Joris Bakker"],
        ["email", "joris.bakker@airline.example"],
        ["employeeNumber", "E104871"],
        ["origin", "pilot"],
        ["homeBase", "AMS"],
        ["languages.1.code", "en"],
        ["languages.1.proficiency", "fluent"],
        ["languages.0.code", "nl"],
        ["languages.0.proficiency", "native"],
        ["languages.2.code", ""],
        ["languages.2.proficiency", ""],
        ["channels", "email"],
        ["channels", "x"],
        ["startDate", "2024-03-16"],
        ["endDate", ""],
        ["notes", ""],
      ]),
    );
    expect(input.languages).toEqual([
      { code: "nl", proficiency: "native" },
      { code: "en", proficiency: "fluent" },
    ]);
    expect(input.channels).toEqual(["email", "x"]);
    const data = volunteerSchema.parse(input);
    expect(data).toMatchObject({ name: "Joris Bakker", origin: "pilot", homeBase: "AMS", startDate: "2024-03-16" });
    expect(data.endDate).toBeUndefined();
  });

  it("also accepts language tokens in a repeated languages field", () => {
    const input = volunteerInputFromFormData(form([["languages", "nl:native"], ["languages", "fr (basic), en:fluent"]]));
    expect(input.languages).toEqual([
      { code: "nl", proficiency: "native" },
      { code: "fr", proficiency: "basic" },
      { code: "en", proficiency: "fluent" },
    ]);
  });

  it("gives the server the same errors the form shows", () => {
    const result = volunteerSchema.safeParse(volunteerInputFromFormData(form([["languages.0.code", "xx"]])));
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((issue) => issue.path.join("."));
    expect(paths).toEqual(
      expect.arrayContaining(["name", "email", "employeeNumber", "origin", "languages.0.code", "languages.0.proficiency", "channels"]),
    );
  });

  it("ignores file inputs posted under a text field's name", () => {
    const data = form([["name", "Sanne"]]);
    data.set("notes", new Blob(["x"]), "notes.txt");
    expect(volunteerInputFromFormData(data).notes).toBeUndefined();
  });
});
