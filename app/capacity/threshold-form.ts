// The alert threshold form: one zod schema for the browser (react-hook-form)
// and the server.
import { z } from "zod";
import { CHANNEL_IDS, SUPPORTED_LANGUAGES } from "~/reference/channels";
import { CAPACITY_METRICS } from "./alerts";

const optional = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .union([z.enum(values), z.literal("")])
    .optional()
    .transform((value) => (value ? value : null));

export const thresholdSchema = z
  .object({
    metric: z.enum(CAPACITY_METRICS, { error: "Choose what to watch." }),
    channelId: optional(CHANNEL_IDS),
    language: optional(SUPPORTED_LANGUAGES),
    value: z
      .string({ error: "Enter a whole number." })
      .trim()
      .min(1, "Enter a whole number.")
      .regex(/^\d{1,9}$/, "Enter a whole number (0 or more).")
      .transform(Number),
  })
  .refine((t) => t.metric !== "service_level" || t.value <= 100, { message: "A service level is at most 100%.", path: ["value"] });

export type ThresholdForm = z.output<typeof thresholdSchema>;
