// GET /live: the signed-in user's live events (server-sent events) for the
// console; see app/live/. 401 rather than a redirect to sign-in: an
// EventSource cannot follow one to a page.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getUser } from "~/auth/session.server";
import { liveEventStream } from "~/live/event-stream.server";
import { abilityOf } from "~/permissions/guard.server";

export async function loader(args: LoaderFunctionArgs) {
  const user = getUser(args);
  if (!user) return new Response("Sign in to receive live updates.", { status: 401 });
  return liveEventStream({ id: user.id, mayReadCases: abilityOf(user).can("read", "Case") }, args.request.signal);
}
