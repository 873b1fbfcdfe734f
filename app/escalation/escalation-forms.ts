// The escalation forms: one zod schema each, used by the case page's forms
// and by the route on the server.
import { z } from "zod";
import { GESTURE_TYPES } from "~/gestures/limits";

const reasonCode = z.string({ error: "Choose a reason." }).trim().min(1, "Choose a reason.").max(60);
const note = z.string().trim().max(2000, "Keep the note under 2,000 characters.");

export const escalateForm = z.object({
  intent: z.literal("escalate"),
  reasonCode,
  note: note.min(3, "Tell the expert what you need, in a few words."),
  // The refused gesture the escalation was offered for (optional).
  gestureType: z.union([z.enum(GESTURE_TYPES), z.literal("")]).optional().transform((v) => v || undefined),
  gestureAmount: z.string().trim().max(20).optional().transform((v) => v || undefined),
});

export const handBackForm = z.object({
  intent: z.literal("hand_back"),
  advice: z.string().trim().min(3, "Write your advice for the colleague who escalated.").max(2000, "Keep the advice under 2,000 characters."),
});

export const returnSimpleForm = z.object({
  intent: z.literal("return_simple"),
  reason: z.string().trim().min(3, "Say why the case is simple after all.").max(500, "Keep the reason under 500 characters."),
});

export const askExpertForm = z.object({
  intent: z.literal("ask"),
  question: z.string().trim().min(3, "Write your question.").max(2000, "Keep the question under 2,000 characters."),
});

export const escalationWorkForm = z.discriminatedUnion("intent", [escalateForm, handBackForm, returnSimpleForm, askExpertForm]);
export type EscalationWork = z.output<typeof escalationWorkForm>;
export const ESCALATION_INTENTS: readonly string[] = ["escalate", "hand_back", "return_simple", "ask"];

export const answerForm = z.object({
  questionId: z.string().trim().min(1).max(100),
  answer: z.string().trim().min(2, "Write the answer.").max(2000, "Keep the answer under 2,000 characters."),
});

export const escalationReasonForm = z.object({
  id: z.string().trim().regex(/^[a-z0-9_]{2,40}$/, "Use 2 to 40 lower-case letters, digits or underscores."),
  label: z.string().trim().min(2, "Give the reason a label.").max(80, "Keep the label under 80 characters."),
  trainingModuleId: z.string().trim().max(100).optional().transform((v) => v || null),
  active: z.enum(["on"]).optional().transform((v) => v === "on"),
});
