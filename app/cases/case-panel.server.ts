// Data for the classification and assignment sections of the case view.
import type { CaseComplexity } from "@prisma/client";
import { readOutcome } from "~/forms/post-redirect.server";
import type { AppAbility } from "~/permissions/ability";
import { assignableAgents } from "./routing.server";

export async function caseRoutingPanel(
  request: Request,
  ability: AppAbility,
  kase: { channelId: string; language: string; complexity: CaseComplexity; status: string; topics: string[] },
) {
  const outcome = readOutcome(request, ["reclassify", "assign"]);
  const canAssign = ability.can("assign", "Case") && kase.status !== "closed" && kase.status !== "resolved";
  return {
    routing: {
      canReclassify: ability.can("reclassify", "Case"),
      canAssign,
      assignable: canAssign ? await assignableAgents(kase) : [],
      notice: outcome.notice,
      reclassifyError: outcome.errors.reclassify,
      assignError: outcome.errors.assign,
    },
  };
}
