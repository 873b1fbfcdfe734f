// The agent console's workspace for one case: the conversation, the reply
// and note forms, hold / resolve, the booking and the customer's earlier
// cases, with the agent's own open cases beside it. Every action is checked
// here on the server; the page only mirrors what the ability allows.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { CaseMovedError, caseMovedResponse, CaseRefusal } from "~/cases/case-state.server";
import { caseRoutingPanel } from "~/cases/case-panel.server";
import { CaseRoutingPanel } from "~/cases/case-routing-panel";
import { markOpenedByAssignee } from "~/cases/presence.server";
import { nextCaseFor } from "~/cases/routing.server";
import { addNote, confirmIdentity, holdCase, resolveCase, resumeCase, sendReply } from "~/console/case-work.server";
import { caseWorkForm, noteForm, replyForm } from "~/console/console-forms";
import { CaseWorkspace } from "~/console/workspace-view";
import { findWorkspaceCase, loadWorkspace, type WorkspaceCase } from "~/console/workspace.server";
import { fieldErrorsFrom, formValues, readForm } from "~/forms/form-submission.server";
import { GesturePanel } from "~/gestures/gesture-panel";
import { gesturePanelFor } from "~/gestures/gestures.server";
import { Can } from "~/permissions/can";
import { asSubject, forbidden, requireAbility, requireRow } from "~/permissions/guard.server";
import { NO_SUCH_CASE } from "~/cases/case-list.server";
import type { SessionUser } from "~/auth/session.server";
import { caseEscalationPanel } from "~/escalation/case-escalation.server";
import { EscalationPanel } from "~/escalation/escalation-panel";
import { ESCALATION_INTENTS, escalationWorkForm } from "~/escalation/escalation-forms";
import { escalateCase, handBack, returnAsSimple } from "~/escalation/escalation.server";
import { askExpert } from "~/escalation/help-inbox.server";
import { parseGestureAmount } from "~/gestures/limits";
import type { AppAbility } from "~/permissions/ability";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Case #${data?.case.number ?? ""} · Surge` }];

export async function loader(args: LoaderFunctionArgs) {
  const { ability, user } = requireAbility(args, "read", "Case");
  // A case the user may not read answers like one that does not exist.
  const found = requireRow(ability, "Case", await findWorkspaceCase(args.params.caseId ?? ""), { notFoundMessage: NO_SUCH_CASE });
  // The assignee opened it: the push time-out leaves it with them.
  if (found.assigneeId === user.id) await markOpenedByAssignee(found.id, user.id);
  const [workspace, gestures, routing, escalation] = await Promise.all([
    loadWorkspace(ability, user, found),
    gesturePanelFor(ability, user, found),
    caseRoutingPanel(args.request, ability, found),
    caseEscalationPanel(args.request, ability, user, found),
  ]);
  return { ...workspace, gestures, ...routing, ...escalation, now: new Date().toISOString() };
}

type ActionResult = { ok: true; notice: string } | { ok: false; intent: string; fieldErrors: Record<string, string> };

const refused = (intent: string, fieldErrors: Record<string, string>, status = 400) => data<ActionResult>({ ok: false, intent, fieldErrors }, { status });

export async function action(args: ActionFunctionArgs) {
  const { ability, user } = requireAbility(args, "read", "Case");
  const caseId = args.params.caseId ?? "";
  const form = await readForm(args.request);
  const values = formValues(form);
  const intent = typeof values.intent === "string" ? values.intent : "";
  const found = requireRow(ability, "Case", await findWorkspaceCase(caseId), { notFoundMessage: NO_SUCH_CASE });
  const subject = asSubject("Case", found);
  try {
    if (intent === "reply") {
      if (!ability.can("reply", subject)) throw forbidden("You may not reply on this case.");
      const parsed = replyForm.safeParse(values);
      if (!parsed.success) return refused(intent, fieldErrorsFrom(parsed.error));
      await sendReply({ actor: user, caseId, templateId: parsed.data.templateId, text: parsed.data.text, mayWriteFreeText: ability.can("compose", subject) });
      return data<ActionResult>({ ok: true, notice: "Reply queued for delivery to the customer." });
    }
    if (ESCALATION_INTENTS.includes(intent)) return await escalationAction(args.request, ability, user, found, values);
    if (intent === "note") {
      if (!ability.can("create", "CaseNote") || !ability.can("annotate", subject)) throw forbidden("You may not write notes on this case.");
      const parsed = noteForm.safeParse(values);
      if (!parsed.success) return refused(intent, fieldErrorsFrom(parsed.error));
      const note = await addNote(user, caseId, parsed.data.body);
      const told = note.mentioned.length ? ` ${note.mentioned.length} ${note.mentioned.length === 1 ? "person was" : "people were"} told.` : "";
      return data<ActionResult>({ ok: true, notice: `Internal note saved (not sent to the customer).${told}` });
    }
    const parsed = caseWorkForm.safeParse(values);
    if (!parsed.success) return refused(intent, fieldErrorsFrom(parsed.error));
    if (!ability.can("update", subject)) throw forbidden("You may work only on cases you hold.");
    const work = parsed.data;
    switch (work.intent) {
      case "identity":
        await confirmIdentity(user, caseId);
        return data<ActionResult>({ ok: true, notice: "Identity checked: you may now discuss the booking." });
      case "hold":
        await holdCase(user, caseId);
        return data<ActionResult>({ ok: true, notice: "On hold, waiting for the customer." });
      case "resume":
        await resumeCase(user, caseId);
        return data<ActionResult>({ ok: true, notice: "Back from hold: the case is yours again." });
      case "resolve": {
        await resolveCase(user, caseId, work.reasons);
        if (work.autoNext === "on" && ability.can("take", "Case")) {
          // With the skills the session just read, as "Next case" itself does.
          const next = await nextCaseFor(user.id, { agent: user });
          if (next.ok) return redirect(`/cases/${next.caseId}?message=${encodeURIComponent("Resolved. Here is your next case.")}`);
          return redirect(`/cases/next?message=${encodeURIComponent(`Resolved. ${next.message}`)}`);
        }
        return data<ActionResult>({ ok: true, notice: "Resolved." });
      }
    }
  } catch (error) {
    if (error instanceof CaseRefusal) return refused(intent, { [error.field]: error.message }, error.status);
    if (error instanceof CaseMovedError) throw caseMovedResponse(error);
    throw error;
  }
}

/** Escalate, hand back, return as simple, ask an expert: each checked against the ability, then the domain module. */
async function escalationAction(request: Request, ability: AppAbility, user: SessionUser, found: WorkspaceCase, values: Record<string, unknown>) {
  const subject = asSubject("Case", found);
  const parsed = escalationWorkForm.safeParse(values);
  if (!parsed.success) return refused(String(values.intent), fieldErrorsFrom(parsed.error));
  const work = parsed.data;
  switch (work.intent) {
    case "escalate": {
      if (!ability.can("escalate", subject)) throw forbidden("You may escalate only a case you hold.");
      const amount = work.gestureType && work.gestureAmount ? parseGestureAmount(work.gestureType, work.gestureAmount) : null;
      const result = await escalateCase({
        actor: user,
        caseId: found.id,
        expected: { status: ["assigned", "on_hold"], assigneeId: user.id },
        reasonCode: work.reasonCode,
        note: work.note,
        gesture: work.gestureType && amount !== null ? { type: work.gestureType, amount } : undefined,
      });
      return redirect(`/escalations?message=${encodeURIComponent(`Case #${found.number} was escalated to ${result.levelName.toLowerCase()}. You will see their answer here.`)}`);
    }
    case "hand_back": {
      if (!ability.can("advise", subject)) throw forbidden("You may hand back only an escalation you hold.");
      const { target } = await handBack({ expert: user, caseId: found.id, advice: work.advice });
      const where = target.kind === "holder" ? "to the colleague who escalated it" : target.level > 0 ? "to the escalation queue" : "to the queue as a simple case (the colleague who escalated it is offline)";
      return redirect(`/cases/${found.id}?message=${encodeURIComponent(`Handed back ${where}, with your advice.`)}`);
    }
    case "return_simple": {
      if (!ability.can("advise", subject)) throw forbidden("You may reclassify only an escalation you hold.");
      await returnAsSimple({ expert: user, caseId: found.id, reason: work.reason });
      return redirect(`/cases/${found.id}?message=${encodeURIComponent("Reclassified as simple and returned to the queue.")}`);
    }
    case "ask": {
      if (!ability.can("create", "HelpQuestion") || !ability.can("update", subject)) throw forbidden("You may ask about a case you hold.");
      await askExpert(user, found.id, work.question);
      return data<ActionResult>({ ok: true, notice: "Question sent to the experienced agents. Their answer will appear here as a note." });
    }
  }
}

export default function CaseView() {
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <CaseWorkspace
      {...loaded}
      result={result ?? null}
      routingPanel={<CaseRoutingPanel kase={loaded.case} routing={loaded.routing} />}
      escalationPanel={<EscalationPanel caseId={loaded.case.id} escalation={loaded.escalation} result={result ?? null} />}
      gesturePanel={
        loaded.gestures ? (
          <Can I="create" a="Gesture">
            <GesturePanel {...loaded.gestures} />
          </Can>
        ) : null
      }
    />
  );
}
