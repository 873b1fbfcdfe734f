// POST /cases/:caseId/gestures — give a gesture on a case, or escalate the
// case instead when the gesture is above the limit. Resource route: answers
// JSON to the gesture panel (fetch), and a redirect back to the case to a
// plain form post from a browser without JavaScript.
import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { z } from "zod";
import { CaseMovedError, caseMovedResponse } from "~/cases/case-state.server";
import { TransactionConflictError, transactionConflictResponse } from "~/db/transactions.server";
import { fieldErrorsFrom, formValues, readForm } from "~/forms/form-submission.server";
import { EscalationError } from "~/escalation/escalation.server";
import { escalateForGesture, findCaseForGesture, giveGesture } from "~/gestures/gestures.server";
import { GESTURE_TYPES, parseGestureAmount } from "~/gestures/limits";
import { asSubject, forbidden, requireAbility, requireRow } from "~/permissions/guard.server";
import { NO_SUCH_CASE } from "~/cases/case-list.server";

const gestureForm = z.object({
  intent: z.enum(["give", "escalate"]).default("give"),
  type: z.enum(GESTURE_TYPES, { error: "Choose a gesture." }),
  amount: z.string().trim().min(1, "Enter an amount."),
  reason: z.string().trim().min(3, "Say why, in a few words.").max(500, "Keep the reason under 500 characters."),
});

const wantsHtml = (request: Request) => (request.headers.get("Accept") ?? "").includes("text/html");

function reply(request: Request, caseId: string, body: Record<string, unknown>, status: number) {
  if (status < 300 && wantsHtml(request)) throw redirect(`/cases/${caseId}#gestures`, 303);
  return Response.json(body, { status });
}

export async function loader({ params }: { params: { caseId?: string } }) {
  // Nothing to show here: the panel lives on the case page.
  return redirect(`/cases/${params.caseId ?? ""}`);
}

export async function action(args: ActionFunctionArgs) {
  const { user, ability } = requireAbility(args, "create", "Gesture");
  const { request } = args;
  const caseId = args.params.caseId ?? "";
  const form = await readForm(request);
  const parsed = gestureForm.safeParse(formValues(form));
  if (!parsed.success) return Response.json({ fieldErrors: fieldErrorsFrom(parsed.error) }, { status: 400 });
  const { intent, type, reason } = parsed.data;
  const amount = parseGestureAmount(type, parsed.data.amount);
  if (amount === null) return Response.json({ fieldErrors: { amount: "Enter a positive amount." } }, { status: 400 });

  // Gestures are given on a case the user works (for a volunteer: their own).
  const found = requireRow(
    ability,
    "Case",
    await findCaseForGesture(caseId),
    { action: "update", notFoundMessage: NO_SUCH_CASE, forbiddenMessage: "You may give gestures only on cases assigned to you." },
  );

  if (intent === "escalate") {
    if (!ability.can("escalate", asSubject("Case", found))) throw forbidden("You may not escalate this case.");
    try {
      // Escalated only from the state read and authorised above: 409 when the case moved meanwhile.
      const expected = { status: found.status, assigneeId: found.assigneeId };
      const escalation = await escalateForGesture({ actor: user, caseId, expected, type, amount, reason });
      // The case is no longer theirs: a browser goes to "My escalations", where it stays readable.
      if (wantsHtml(request)) throw redirect(`/escalations?message=${encodeURIComponent("The case was escalated to experienced agents.")}`, 303);
      return Response.json({ ok: true, escalated: true, escalationId: escalation.escalationId, next: "/escalations" }, { status: 200 });
    } catch (error) {
      if (error instanceof CaseMovedError)
        return wantsHtml(request) ? caseMovedResponse(error) : Response.json({ error: error.message, reason: "case_moved" }, { status: error.current ? 409 : 404 });
      if (error instanceof EscalationError) return Response.json({ error: error.message, reason: "no_level_above" }, { status: error.status });
      if (error instanceof TransactionConflictError) return transactionConflictResponse(error, !wantsHtml(request));
      throw error;
    }
  }

  // A refused gesture offers escalation with the gesture prefilled (the case page's escalate form).
  const prefilled = `/cases/${caseId}?${new URLSearchParams({ gestureType: type, gestureAmount: parsed.data.amount, gestureReason: reason })}#escalate`;
  const offer = { escalate: { caseId, type, amount: parsed.data.amount, reason, href: prefilled } };
  if (!ability.can("create", asSubject("Gesture", { caseId, userId: user.id, type, amount }))) {
    const message = "This gesture is above what your role may give on a case.";
    if (wantsHtml(request)) throw redirect(`${prefilled.replace("#escalate", "")}&message=${encodeURIComponent(`${message} Escalate the case instead.`)}#escalate`, 303);
    return Response.json({ error: message, reason: "over_case_limit", ...offer }, { status: 403 });
  }
  let result;
  try {
    result = await giveGesture({ actor: user, caseId, type, amount, reason });
  } catch (error) {
    if (error instanceof TransactionConflictError) return transactionConflictResponse(error, !wantsHtml(request));
    throw error;
  }
  if (!result.ok) {
    if (wantsHtml(request)) throw redirect(`${prefilled.replace("#escalate", "")}&message=${encodeURIComponent(`${result.message} Escalate the case instead.`)}#escalate`, 303);
    return Response.json({ error: result.message, reason: result.reason, ...offer }, { status: 403 });
  }
  return reply(request, caseId, { ok: true, gestureId: result.gestureId }, 201);
}
