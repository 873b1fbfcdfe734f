// POST /cases/:caseId/reclassify: an agent or supervisor overrides "simple or
// complex" with a reason. Resource route; the case view posts its form here
// and gets redirected back with the outcome.
import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { ReclassifyError, reclassifyCase } from "~/cases/bot.server";
import { readForm, formValues } from "~/forms/form-submission.server";
import { noPageHere, redirectWithOutcome, type PostOutcome } from "~/forms/post-redirect.server";
import { requireAbility } from "~/permissions/guard.server";

export const reclassifySchema = z.object({
  complexity: z.enum(["simple", "complex"], { error: "Choose simple or complex" }),
  reason: z.string().trim().min(3, { error: "Give a reason (at least 3 characters)" }).max(500, { error: "At most 500 characters" }),
});

export const loader = noPageHere;

const back = (caseId: string, outcome: PostOutcome) => redirectWithOutcome(`/cases/${caseId}`, "classification", outcome);

export async function action(args: ActionFunctionArgs) {
  const { user } = requireAbility(args, "reclassify", "Case");
  const caseId = args.params.caseId ?? "";
  const form = await readForm(args.request);
  const parsed = reclassifySchema.safeParse(formValues(form));
  if (!parsed.success) return back(caseId, { form: "reclassify", error: parsed.error.issues.map((i) => i.message).join(". ") });
  try {
    const { backToQueue, escalated } = await reclassifyCase(caseId, parsed.data.complexity, parsed.data.reason, user);
    const moved = escalated ? " The volunteer who held it may not work complex cases, so it was escalated to experienced agents with this reason." : backToQueue ? " It went back to the queue for an experienced agent." : "";
    return back(caseId, { notice: `Reclassified as ${parsed.data.complexity}.${moved}` });
  } catch (error) {
    if (error instanceof ReclassifyError) return back(caseId, { form: "reclassify", error: error.message });
    throw error;
  }
}
