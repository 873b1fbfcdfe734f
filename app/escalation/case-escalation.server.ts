// What the case page shows and offers about escalation: the case's hops (the
// reason, the note, the advice), the escalate form (reasons, the level it
// would go to, a refused gesture prefilled), the expert's actions, and the
// questions asked to the help inbox.
import { parseGestureAmount, isGestureType } from "~/gestures/limits";
import type { AppAbility } from "~/permissions/ability";
import { asSubject } from "~/permissions/guard.server";
import { escalationTarget } from "./escalation";
import { escalationsOfCase, listEscalationReasons } from "./escalation.server";
import { questionsOfCase } from "./help-inbox.server";
import { levelName, levelOfRole } from "./levels";
import { routingContext } from "~/cases/routing-settings.server";

type PanelCase = {
  id: string;
  status: string;
  assigneeId: string | null;
  holdAgentId: string | null;
  escalationLevel: number;
};

export async function caseEscalationPanel(request: Request, ability: AppAbility, user: { id: string; role: Parameters<typeof levelOfRole>[0] }, kase: PanelCase) {
  const subject = asSubject("Case", kase);
  const [hops, reasons, levels, questions] = await Promise.all([
    escalationsOfCase(kase.id),
    listEscalationReasons({ activeOnly: true }),
    // The page shows the tiers; the actions read them again in their transaction.
    routingContext().then((context) => context.escalationLevels),
    questionsOfCase(kase.id),
  ]);
  const holding = kase.assigneeId === user.id && (kase.status === "assigned" || kase.status === "on_hold");
  const target = escalationTarget(kase.escalationLevel, levelOfRole(user.role, levels), levels);
  const active = hops.find((hop) => hop.status === "open" || hop.status === "taken") ?? null;
  const escalatedByMe = hops.some((hop) => hop.raisedBy?.id === user.id);

  // A refused gesture links here with the gesture, to be prefilled in the escalate form.
  const params = new URL(request.url).searchParams;
  const gestureType = params.get("gestureType");
  const gestureAmount = params.get("gestureAmount");
  const gesture =
    gestureType && isGestureType(gestureType) && gestureAmount && parseGestureAmount(gestureType, gestureAmount) !== null
      ? { type: gestureType, amount: gestureAmount, reason: params.get("gestureReason")?.slice(0, 500) ?? "" }
      : null;

  return {
    escalation: {
      levelName: kase.escalationLevel > 0 ? levelName(kase.escalationLevel, levels) : null,
      hops: hops.map((hop) => ({
        ...hop,
        raisedBy: hop.raisedBy?.name ?? null,
        fromName: levelName(hop.fromLevel, levels),
        toName: levelName(hop.toLevel, levels),
      })),
      reasons: reasons.map((r) => ({ id: r.id, label: r.label })),
      targetName: target?.name ?? null,
      prefill: gesture,
      questions,
      // Shown to who escalated it and holds it no more: they read, they do not work on it.
      readOnly: escalatedByMe && !holding,
      may: {
        escalate: holding && target !== null && ability.can("escalate", subject),
        advise: active !== null && ability.can("advise", subject),
        ask: holding && ability.can("create", "HelpQuestion") && ability.can("update", subject),
      },
    },
  };
}

export type CaseEscalationPanel = Awaited<ReturnType<typeof caseEscalationPanel>>["escalation"];
