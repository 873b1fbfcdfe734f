// POST /cases/:caseId/assign: a supervisor assigns, reassigns or returns a
// case to the queue (assigneeId empty). Resource route; redirects back to the
// case view with the outcome.
import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { AssignmentError, assignCase } from "~/cases/routing.server";
import { readForm, formValues } from "~/forms/form-submission.server";
import { noPageHere, redirectWithOutcome, type PostOutcome } from "~/forms/post-redirect.server";
import { requireAbility } from "~/permissions/guard.server";

const assignSchema = z.object({
  assigneeId: z.string().trim().max(100),
  reason: z.string().trim().max(500).optional(),
});

export const loader = noPageHere;

const back = (caseId: string, outcome: PostOutcome) => redirectWithOutcome(`/cases/${caseId}`, "assignment", outcome);

export async function action(args: ActionFunctionArgs) {
  const { user } = requireAbility(args, "assign", "Case");
  const caseId = args.params.caseId ?? "";
  const form = await readForm(args.request);
  const parsed = assignSchema.safeParse(formValues(form));
  if (!parsed.success) return back(caseId, { form: "assign", error: "Choose a person from the list." });
  try {
    const result = await assignCase(caseId, parsed.data.assigneeId || null, user, parsed.data.reason);
    const notice = result.to ? `Assigned.${result.note ? ` Note: ${result.note}.` : ""}` : "Returned to the queue.";
    return back(caseId, { notice });
  } catch (error) {
    if (error instanceof AssignmentError) return back(caseId, { form: "assign", error: error.message });
    throw error;
  }
}
