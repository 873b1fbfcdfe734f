import { describe, expect, it } from "vitest";
import { auditActionLabel, auditDetails, auditSubjectLabel } from "./audit-format";

describe("the audit log in words", () => {
  it("reads actions and subjects as words", () => {
    expect(auditActionLabel("volunteer.status_changed")).toBe("Volunteer status changed");
    expect(auditSubjectLabel("EnrolmentImport")).toBe("Enrolment file");
    expect(auditSubjectLabel("Unknown")).toBe("Unknown");
  });

  it("lists the stored details as label and value", () => {
    expect(auditDetails({ changes: ["channels", "notes"], fromStatus: "active", to: null })).toEqual([
      "changes: channels, notes",
      "from status: active",
      "to: —",
    ]);
    expect(auditDetails({ counts: { created: 3, skipped: 1 } })).toEqual(["counts: created 3; skipped 1"]);
    expect(auditDetails({})).toEqual([]);
    expect(auditDetails({ text: "x".repeat(500) }, 20)[0]).toHaveLength(20);
  });
});
