// The audit log in words: "volunteer.updated" reads "Volunteer updated", and
// an entry's stored details read as "changes: channels, notes".

const SUBJECT_LABELS: Record<string, string> = {
  User: "Person",
  Volunteer: "Volunteer",
  Case: "Case",
  EnrolmentImport: "Enrolment file",
  Gesture: "Gesture",
  GestureLimit: "Gesture limit",
  Integration: "Integration",
  RuleSet: "Rules",
};

export function auditActionLabel(action: string): string {
  const words = action.replace(/[._]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function auditSubjectLabel(subjectType: string): string {
  return SUBJECT_LABELS[subjectType] ?? subjectType;
}

function words(key: string): string {
  return key.replace(/([a-z])([A-Z])/g, "$1 $2").replace(/[_.]+/g, " ").toLowerCase();
}

function valueText(value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  if (Array.isArray(value)) return value.map(valueText).join(", ");
  if (typeof value === "object") {
    return Object.entries(value as Record<string, unknown>)
      .map(([key, inner]) => `${words(key)} ${valueText(inner)}`)
      .join("; ");
  }
  return String(value);
}

/** One "label: value" line per stored detail, at most `max` characters each. */
export function auditDetails(data: unknown, max = 200): string[] {
  if (!data || typeof data !== "object" || Array.isArray(data)) return data === null || data === undefined ? [] : [valueText(data).slice(0, max)];
  return Object.entries(data as Record<string, unknown>).map(([key, value]) => {
    const line = `${words(key)}: ${valueText(value)}`;
    return line.length > max ? `${line.slice(0, max - 1)}…` : line;
  });
}
