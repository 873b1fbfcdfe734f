// POST /api/cases: the intake API channel connectors post to. JSON, one case
// or { "cases": [...] } (at most INTAKE_BATCH_MAX), authenticated with
// "Authorization: Bearer <integration token>". Each case carries an
// idempotencyKey: a retried delivery returns the case of the first one.
import type { ActionFunctionArgs } from "@remix-run/node";
import { authenticateIntegration, IdempotencyConflictError, intakeCases } from "~/cases/intake.server";
import { INTAKE_BATCH_MAX, parseIntakePayload } from "~/cases/intake-schema";
import { BodyTooLargeError, readTextBody } from "~/server/request-body.server";

/** 500 cases of at most ~20 kB text each, with room for JSON overhead. */
const MAX_BODY_BYTES = 12 * 1024 * 1024;

function json(body: unknown, status: number, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store", ...headers },
  });
}

function problem(status: number, message: string, problems?: { path: string; message: string }[], headers: Record<string, string> = {}) {
  return json({ error: message, ...(problems ? { problems } : {}) }, status, headers);
}

function pathOfKey(cases: readonly { idempotencyKey: string }[], key: string): string {
  const index = cases.findIndex((c) => c.idempotencyKey === key);
  return cases.length === 1 ? "idempotencyKey" : `cases.${index}.idempotencyKey`;
}

export async function loader() {
  return problem(405, "Post cases to this address with POST.", undefined, { Allow: "POST" });
}

export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return problem(405, "Use POST.", undefined, { Allow: "POST" });
  const integration = await authenticateIntegration(request.headers.get("Authorization"));
  if (!integration)
    return problem(401, "Send a valid integration token as 'Authorization: Bearer <token>'.", undefined, {
      "WWW-Authenticate": 'Bearer realm="surge-intake"',
    });
  if (!(request.headers.get("Content-Type") ?? "").startsWith("application/json"))
    return problem(415, "Send the cases as application/json.");
  let body: unknown;
  try {
    body = JSON.parse(await readTextBody(request, MAX_BODY_BYTES));
  } catch (error) {
    if (error instanceof BodyTooLargeError)
      return problem(413, `The request is too large; send at most ${INTAKE_BATCH_MAX} cases per request.`);
    return problem(400, "The body is not valid JSON.", [{ path: "", message: "The body is not valid JSON" }]);
  }
  const parsed = parseIntakePayload(body);
  if (!parsed.ok) return problem(400, `The payload has ${parsed.problems.length} problem(s); nothing was stored.`, parsed.problems);
  let results;
  try {
    results = await intakeCases(integration.id, parsed.cases);
  } catch (error) {
    if (!(error instanceof IdempotencyConflictError)) throw error;
    // Nothing of the request was stored: the transaction rolled back.
    return problem(
      409,
      `${error.message}; nothing was stored. Use a new idempotencyKey for a new message.`,
      error.keys.map((key) => ({ path: pathOfKey(parsed.cases, key), message: "Used before with a different payload" })),
    );
  }
  const status = results.every((r) => r.replayed) ? 200 : 201;
  const shaped = results.map((r) => ({
    idempotencyKey: r.idempotencyKey,
    caseId: r.caseId,
    caseNumber: r.caseNumber,
    outcome: r.outcome,
    replayed: r.replayed,
  }));
  return json(parsed.batch ? { cases: shaped } : shaped[0], status);
}
