// Everything the console shows for one open case, in as few queries as the
// screen allows (they run in parallel): the case, its conversation, the
// customer's earlier cases the user may read, templates, contact reasons,
// and the user's own open cases with their due times.
import { accessibleBy } from "@casl/prisma";
import { loadAllRuleSets } from "~/cases/rule-sets.server";
import { db } from "~/db/db.server";
import type { AppAbility } from "~/permissions/ability";
import { asSubject } from "~/permissions/guard.server";
import { redactCase } from "~/permissions/fields.server";
import { buildConversation } from "./conversation";
import { identityCheckDone } from "./identity-check";
import { fillTemplate, templateDisclosesBooking } from "./reply-templates";
import { timelineDetail } from "~/cases/routing-reasons";
import { routingContext } from "~/cases/routing-settings.server";

const EARLIER_CASES = 20;
const TIMELINE_EVENTS = 200;

export async function findWorkspaceCase(caseId: string) {
  return db.case.findUnique({
    where: { id: caseId },
    include: {
      channel: { select: { name: true, authenticatesCustomer: true } },
      assignee: { select: { name: true } },
      // Who escalated it: they may still read it (ability.ts).
      escalations: { select: { raisedById: true } },
    },
  });
}

export type WorkspaceCase = NonNullable<Awaited<ReturnType<typeof findWorkspaceCase>>>;

/** The user's cases in hand, soonest due first. */
export async function myOpenCases(userId: string) {
  return db.case.findMany({
    where: { OR: [{ assigneeId: userId, status: { in: ["assigned", "on_hold"] } }, { holdAgentId: userId, status: "on_hold" }] },
    select: {
      id: true, number: true, subject: true, status: true, channelId: true, language: true, priorityTier: true,
      firstResponseDueAt: true, resolutionDueAt: true, firstRespondedAt: true, resolvedAt: true,
    },
    orderBy: [{ firstResponseDueAt: { sort: "asc", nulls: "last" } }, { receivedAt: "asc" }],
    take: 50,
  });
}

export async function loadWorkspace(ability: AppAbility, user: { id: string; name: string }, kase: WorkspaceCase) {
  const subject = asSubject("Case", kase);
  const [followUps, messages, notes, timeline, earlier, templates, reasons, mine, ruleSets] = await Promise.all([
    db.caseEvent.findMany({ where: { caseId: kase.id, type: "message" }, orderBy: { createdAt: "asc" }, select: { id: true, createdAt: true, data: true } }),
    db.outboundMessage.findMany({
      where: { caseId: kase.id },
      orderBy: { createdAt: "asc" },
      select: { id: true, createdAt: true, sender: true, body: true, state: true, language: true, author: { select: { name: true } } },
    }),
    db.caseNote.findMany({ where: { caseId: kase.id }, orderBy: { createdAt: "asc" }, select: { id: true, createdAt: true, body: true, author: { select: { name: true } } } }),
    db.caseEvent.findMany({
      where: { caseId: kase.id },
      orderBy: { createdAt: "desc" },
      take: TIMELINE_EVENTS,
      select: { id: true, type: true, createdAt: true, actorId: true, data: true },
    }),
    // The small 360 view: earlier cases of this customer that this user may read.
    db.case.findMany({
      where: { AND: [accessibleBy(ability).ofType("Case"), { customerId: kase.customerId, id: { not: kase.id } }] },
      orderBy: { receivedAt: "desc" },
      take: EARLIER_CASES,
      select: { id: true, number: true, subject: true, status: true, receivedAt: true, contactReasons: true },
    }),
    db.replyTemplate.findMany({ where: { active: true }, orderBy: [{ language: "asc" }, { name: "asc" }], select: { id: true, name: true, language: true, body: true, disclosesBooking: true } }),
    db.contactReason.findMany({ where: { active: true }, orderBy: { label: "asc" }, select: { id: true, label: true } }),
    myOpenCases(user.id),
    loadAllRuleSets(),
  ]);
  const levels = (await routingContext()).escalationLevels;
  const context = { ...kase, agentName: user.name };
  const holder = kase.assigneeId === user.id || (kase.status === "on_hold" && kase.holdAgentId === user.id);
  // Checked with the escalations (who may read it), sent without them.
  const { escalations: _escalations, ...shown } = redactCase(ability, kase, ruleSets);
  return {
    case: shown,
    conversation: buildConversation({
      kase,
      followUps,
      messages: messages.map((m) => ({ ...m, authorName: m.author?.name ?? null })),
      notes: notes.map((n) => ({ ...n, authorName: n.author.name })),
    }),
    // Only routing's own words about an event leave the server, never its raw data.
    timeline: timeline.reverse().map(({ data, ...event }) => ({ ...event, detail: timelineDetail(event.type, data, levels) })),
    earlierCases: earlier,
    // Templates in the case's language first; each with its text as it would be sent.
    templates: templates
      .map((template) => {
        const filled = fillTemplate(template.body, context);
        return { id: template.id, name: template.name, language: template.language, preview: filled.text, missing: filled.missing, disclosesBooking: templateDisclosesBooking(template) };
      })
      .sort((a, b) => Number(b.language === kase.language) - Number(a.language === kase.language)),
    contactReasons: reasons,
    myCases: mine,
    identity: {
      needed: !kase.channel.authenticatesCustomer,
      done: identityCheckDone({ channelAuthenticatesCustomer: kase.channel.authenticatesCustomer, identityCheckedAt: kase.identityCheckedAt }),
    },
    may: {
      reply: holder && kase.status === "assigned" && ability.can("reply", subject),
      writeFreeText: ability.can("compose", subject),
      work: holder && ability.can("update", subject) && (kase.status === "assigned" || kase.status === "on_hold"),
      note: ability.can("create", "CaseNote") && ability.can("annotate", subject),
    },
  };
}
