// Data for the classification and assignment sections of the case view.
import type { CaseComplexity } from "@prisma/client";
import type { AppAbility } from "~/permissions/ability";
import { assignableAgents } from "./routing.server";

export async function caseRoutingPanel(
  request: Request,
  ability: AppAbility,
  kase: { channelId: string; language: string; complexity: CaseComplexity; status: string; topics: string[] },
) {
  const params = new URL(request.url).searchParams;
  const canAssign = ability.can("assign", "Case") && kase.status !== "closed" && kase.status !== "resolved";
  return {
    routing: {
      canReclassify: ability.can("reclassify", "Case"),
      canAssign,
      assignable: canAssign ? await assignableAgents(kase) : [],
      notice: params.get("notice")?.slice(0, 300) ?? null,
      reclassifyError: params.get("reclassifyError")?.slice(0, 300) ?? null,
      assignError: params.get("assignError")?.slice(0, 300) ?? null,
    },
  };
}
