// The mention inbox: notes that name the user, newest first, unread on top.
import { db } from "~/db/db.server";

export async function mentionInbox(userId: string) {
  const mentions = await db.noteMention.findMany({
    where: { userId },
    orderBy: [{ readAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }],
    take: 100,
    select: {
      noteId: true,
      readAt: true,
      createdAt: true,
      note: { select: { body: true, author: { select: { name: true } }, case: { select: { id: true, number: true, subject: true } } } },
    },
  });
  return mentions.map((mention) => ({
    noteId: mention.noteId,
    read: mention.readAt !== null,
    at: mention.createdAt,
    author: mention.note.author.name,
    body: mention.note.body,
    case: mention.note.case,
  }));
}

export async function unreadMentionCount(userId: string): Promise<number> {
  return db.noteMention.count({ where: { userId, readAt: null } });
}

/** Marks the user's mentions read: all of them, or the given notes. */
export async function markMentionsRead(userId: string, noteIds?: readonly string[]): Promise<number> {
  const { count } = await db.noteMention.updateMany({
    where: { userId, readAt: null, ...(noteIds ? { noteId: { in: [...noteIds] } } : {}) },
    data: { readAt: new Date() },
  });
  return count;
}
