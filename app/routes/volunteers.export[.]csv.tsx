// GET /volunteers/export.csv?<roster filters>: the roster as CSV, streamed
// page by page, every cell neutralised against spreadsheet formulas.
import { Readable } from "node:stream";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { writeAudit } from "~/audit/audit-log.server";
import { rosterCsvStream } from "~/enrolment/csv-export.server";
import { rosterQueryFrom } from "~/enrolment/roster-query";
import { rosterEntries } from "~/enrolment/roster.server";
import { requireAbility } from "~/permissions/guard.server";

export async function loader(args: LoaderFunctionArgs) {
  const { user } = requireAbility(args, "read", "Volunteer");
  const query = rosterQueryFrom(new URL(args.request.url).searchParams);
  await writeAudit({ actorId: user.id, action: "roster.exported", subjectType: "Volunteer", data: { ...query.filters, sort: query.sort } });
  const stream = rosterCsvStream(rosterEntries(query));
  const day = new Date().toISOString().slice(0, 10);
  return new Response(Readable.toWeb(stream) as ReadableStream, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="volunteers-${day}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
