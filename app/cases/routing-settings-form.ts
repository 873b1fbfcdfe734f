// The routing settings form (/routing): one flat form (field names without
// dots, so the browser's react-hook-form and the server read the same
// names), validated by this one zod schema on both sides and turned into
// the stored value (escalations first, relaxation per channel).
import { z } from "zod";
import { CHANNEL_IDS, CHANNELS } from "~/reference/channels";
import { MAX_RELAXATION_MINUTES, relaxationSettingsSchema, type ChannelRelaxation, type RelaxationSettings, type RelaxationStep } from "./relaxation";

/** Steps per channel the screen offers (the stored format allows up to MAX_RELAXATION_STEPS). */
export const FORM_STEPS = [1, 2] as const;
export const WIDEN_CHOICES = ["none", "basic-language", "other-channel"] as const;
export const DEFAULT_STEP_MINUTES = [15, 45] as const;

const checkbox = z.union([z.literal("on"), z.boolean(), z.null()]).optional().transform((value) => value === "on" || value === true);
const minutes = z.coerce
  .number({ error: `Minutes: a whole number from 1 to ${MAX_RELAXATION_MINUTES}` })
  .int(`Minutes: a whole number from 1 to ${MAX_RELAXATION_MINUTES}`)
  .min(1, `Minutes: a whole number from 1 to ${MAX_RELAXATION_MINUTES}`)
  .max(MAX_RELAXATION_MINUTES, `Minutes: a whole number from 1 to ${MAX_RELAXATION_MINUTES}`);
const channelList = z
  .union([z.string(), z.array(z.string()), z.null(), z.literal(false)])
  .optional()
  .transform((value) => (Array.isArray(value) ? value : typeof value === "string" && value ? [value] : []))
  .pipe(z.array(z.enum(CHANNEL_IDS)));

export const field = {
  enabled: (channelId: string) => `${channelId}_enabled`,
  widen: (channelId: string, step: number) => `${channelId}_widen${step}`,
  after: (channelId: string, step: number) => `${channelId}_after${step}`,
  channels: (channelId: string) => `${channelId}_channels`,
};

const shape: Record<string, z.ZodType> = {
  escalationsFirst: checkbox,
  version: z.coerce.number().int().min(0),
};
for (const channelId of CHANNEL_IDS) {
  shape[field.enabled(channelId)] = checkbox;
  shape[field.channels(channelId)] = channelList;
  for (const step of FORM_STEPS) {
    shape[field.widen(channelId, step)] = z.enum(WIDEN_CHOICES, { error: "Choose how this step widens the pool" });
    shape[field.after(channelId, step)] = minutes;
  }
}

type FlatValues = Record<string, unknown>;

function relaxationOf(values: FlatValues): RelaxationSettings {
  const settings: Record<string, ChannelRelaxation> = {};
  for (const channelId of CHANNEL_IDS) {
    const steps: RelaxationStep[] = [];
    for (const step of FORM_STEPS) {
      const widen = values[field.widen(channelId, step)];
      const afterMinutes = values[field.after(channelId, step)] as number;
      if (widen === "basic-language") steps.push({ widen, afterMinutes });
      if (widen === "other-channel") steps.push({ widen, afterMinutes, channels: values[field.channels(channelId)] as (typeof CHANNEL_IDS)[number][] });
    }
    const enabled = values[field.enabled(channelId)] === true;
    if (enabled || steps.length) settings[channelId] = { enabled, steps };
  }
  return settings;
}

/** Where a problem of the stored format shows on the form ("whatsapp.steps.1.afterMinutes" -> whatsapp_after2). */
function formPath(problemPath: readonly PropertyKey[], values: FlatValues): string {
  const [channelId, part, index, leaf] = problemPath.map(String);
  if (!channelId) return "form";
  if (part === "enabled") return field.enabled(channelId);
  if (part === "steps" && index !== undefined) {
    // Steps set to "none" are left out, so the n-th stored step is the n-th chosen one on the form.
    const chosen = FORM_STEPS.filter((step) => values[field.widen(channelId, step)] !== "none");
    const step = chosen[Number(index)] ?? 1;
    if (leaf === "channels") return field.channels(channelId);
    return field.after(channelId, step);
  }
  return field.enabled(channelId);
}

export const routingSettingsFormSchema = z
  .object(shape)
  .superRefine((values, ctx) => {
    const parsed = relaxationSettingsSchema.safeParse(relaxationOf(values));
    if (parsed.success) return;
    for (const issue of parsed.error.issues)
      ctx.addIssue({ code: "custom", path: [formPath(issue.path, values)], message: `${channelName(String(issue.path[0] ?? ""))}: ${issue.message}` });
  })
  .transform((values) => ({
    escalationsFirst: values.escalationsFirst === true,
    version: values.version as number,
    relaxation: relaxationOf(values),
  }));

function channelName(channelId: string): string {
  return CHANNELS.find((channel) => channel.id === channelId)?.name ?? channelId;
}

export type RoutingSettingsForm = z.output<typeof routingSettingsFormSchema>;

/** The form's values for the stored settings (what the page shows as loaded). */
export function formDefaults(settings: { escalationsFirst: boolean; relaxation: RelaxationSettings; version: number }): Record<string, string | number | boolean | string[]> {
  const values: Record<string, string | number | boolean | string[]> = { escalationsFirst: settings.escalationsFirst, version: settings.version };
  for (const channelId of CHANNEL_IDS) {
    const relaxation = settings.relaxation[channelId];
    values[field.enabled(channelId)] = relaxation?.enabled ?? false;
    const other = relaxation?.steps.find((step) => step.widen === "other-channel");
    values[field.channels(channelId)] = other && other.widen === "other-channel" ? [...other.channels] : [];
    for (const step of FORM_STEPS) {
      const stored = relaxation?.steps[step - 1];
      values[field.widen(channelId, step)] = stored?.widen ?? "none";
      values[field.after(channelId, step)] = stored?.afterMinutes ?? DEFAULT_STEP_MINUTES[step - 1] ?? 15;
    }
  }
  return values;
}

/** Whether saving would change anything (a save without changes writes nothing). */
export function sameSettings(a: { escalationsFirst: boolean; relaxation: RelaxationSettings }, b: { escalationsFirst: boolean; relaxation: RelaxationSettings }): boolean {
  return a.escalationsFirst === b.escalationsFirst && canonical(a.relaxation) === canonical(b.relaxation);
}

function canonical(settings: RelaxationSettings): string {
  return JSON.stringify(
    Object.keys(settings)
      .sort()
      .map((channelId) => [channelId, settings[channelId]]),
  );
}
