// Data for the classification and assignment sections of the case view.
import type { CaseComplexity } from "@prisma/client";
import { db } from "~/db/db.server";
import { readOutcome } from "~/forms/post-redirect.server";
import type { AppAbility } from "~/permissions/ability";
import { routedReason } from "./routing-reasons";
import { routingContext } from "./routing-settings.server";
import { assignableAgents } from "./routing.server";

/** Why the case reached the person holding it now (their latest assignment), in words; null when nobody holds it. */
async function reachedAssignee(kase: { id: string; assigneeId: string | null }): Promise<string | null> {
  if (!kase.assigneeId) return null;
  const [event, context] = await Promise.all([
    db.caseEvent.findFirst({ where: { caseId: kase.id, type: { in: ["assigned", "reassigned"] } }, orderBy: { createdAt: "desc" }, select: { data: true } }),
    routingContext(),
  ]);
  return event ? routedReason(event.data, context.escalationLevels) : null;
}

export async function caseRoutingPanel(
  request: Request,
  ability: AppAbility,
  kase: { id: string; assigneeId: string | null; channelId: string; language: string; complexity: CaseComplexity; status: string; topics: string[] },
) {
  const outcome = readOutcome(request, ["reclassify", "assign"]);
  const canAssign = ability.can("assign", "Case") && kase.status !== "closed" && kase.status !== "resolved";
  return {
    routing: {
      canReclassify: ability.can("reclassify", "Case"),
      reachedAssignee: await reachedAssignee(kase),
      canAssign,
      assignable: canAssign ? await assignableAgents(kase) : [],
      notice: outcome.notice,
      reclassifyError: outcome.errors.reclassify,
      assignError: outcome.errors.assign,
    },
  };
}
