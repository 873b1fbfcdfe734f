// Asking an expert without escalating: the question waits in the help inbox
// of the experienced agents, the answer is written into the case as an
// internal note, and the case never leaves the person who asked.
import { db } from "~/db/db.server";
import { publishLive } from "~/live/live.server";
import { EscalationError } from "./escalation.server";

export async function askExpert(actor: { id: string }, caseId: string, question: string): Promise<{ questionId: string }> {
  return db.$transaction(async (tx) => {
    const created = await tx.helpQuestion.create({ data: { caseId, askedById: actor.id, question } });
    await tx.caseEvent.create({ data: { caseId, type: "help_asked", actorId: actor.id, data: { questionId: created.id } } });
    await publishLive(tx, { kind: "case_updated", caseId });
    return { questionId: created.id };
  });
}

/**
 * Answers a question once: the first expert's answer wins (a conditional
 * update); a second answer at the same moment is told it was answered.
 */
export async function answerQuestion(expert: { id: string; name: string }, questionId: string, answer: string): Promise<{ caseId: string; noteId: string }> {
  return db.$transaction(async (tx) => {
    const question = await tx.helpQuestion.findUnique({ where: { id: questionId }, select: { id: true, caseId: true, question: true, askedById: true } });
    if (!question) throw new EscalationError("There is no such question.", "questionId", 409);
    const note = await tx.caseNote.create({
      data: { caseId: question.caseId, authorId: expert.id, body: `Answer from ${expert.name} to the question "${question.question}": ${answer}` },
    });
    const claimed = await tx.helpQuestion.updateMany({
      where: { id: questionId, answeredAt: null },
      data: { answeredAt: new Date(), answeredById: expert.id, answerNoteId: note.id },
    });
    if (claimed.count === 0) throw new EscalationError("A colleague answered this question already.", "questionId", 409);
    await tx.caseEvent.create({ data: { caseId: question.caseId, type: "help_answered", actorId: expert.id, data: { questionId, noteId: note.id } } });
    await publishLive(tx, { kind: "case_updated", caseId: question.caseId, userIds: [question.askedById] });
    return { caseId: question.caseId, noteId: note.id };
  });
}

/** The help inbox: unanswered questions oldest first, then the latest answered ones. */
export async function helpInbox() {
  const select = {
    id: true, question: true, createdAt: true, answeredAt: true,
    askedBy: { select: { name: true } },
    answeredBy: { select: { name: true } },
    case: { select: { id: true, number: true, subject: true } },
  } as const;
  const [waiting, answered] = await Promise.all([
    db.helpQuestion.findMany({ where: { answeredAt: null }, orderBy: { createdAt: "asc" }, take: 200, select }),
    db.helpQuestion.findMany({ where: { answeredAt: { not: null } }, orderBy: { answeredAt: "desc" }, take: 20, select }),
  ]);
  return { waiting, answered };
}

/** Questions asked on one case (the case page lists them with their state). */
export async function questionsOfCase(caseId: string) {
  return db.helpQuestion.findMany({
    where: { caseId },
    orderBy: { createdAt: "asc" },
    select: { id: true, question: true, createdAt: true, answeredAt: true, askedBy: { select: { name: true } }, answeredBy: { select: { name: true } } },
  });
}
