// GET /live: the signed-in user's live events (server-sent events) for the
// console; see app/live/. 401 rather than a redirect to sign-in: an
// EventSource cannot follow one to a page. For agents the open stream keeps
// their presence alive (app/cases/presence.server.ts).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getUser } from "~/auth/session.server";
import { heartbeat, heartbeatEveryMs } from "~/cases/presence.server";
import { liveEventStream } from "~/live/event-stream.server";
import { abilityOf } from "~/permissions/guard.server";

export async function loader(args: LoaderFunctionArgs) {
  const user = getUser(args);
  if (!user) return new Response("Sign in to receive live updates.", { status: 401 });
  const ability = abilityOf(user);
  // The open console of someone who takes cases is their presence heartbeat.
  const presence = ability.can("take", "Case") ? { beat: () => heartbeat(user.id), beatEveryMs: heartbeatEveryMs() } : undefined;
  return liveEventStream({ id: user.id, mayReadCases: ability.can("read", "Case") }, args.request.signal, presence);
}
