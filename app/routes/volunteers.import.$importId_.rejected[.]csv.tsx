// GET /volunteers/import/:importId/rejected.csv: the rows the latest dry run
// (or commit) of this file rejected, as uploaded plus an "error" column, to
// fix and upload again. Streamed from the stored rows.
import { Readable } from "node:stream";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { findImport, rejectedRowsDownload } from "~/enrolment/enrolment-import.server";
import { requireAbility } from "~/permissions/guard.server";

export async function loader(args: LoaderFunctionArgs) {
  requireAbility(args, "create", "EnrolmentImport");
  const id = args.params.importId ?? "";
  const found = await findImport(id);
  if (!found) throw new Response("There is no such import.", { status: 404 });
  const csv = await rejectedRowsDownload(id);
  if (!csv) throw new Response("There is no checked file to download: run the dry run, or upload the file again (uploads are kept for a day).", { status: 410 });
  const base = found.fileName.replace(/\.[^.]*$/, "").replace(/[^A-Za-z0-9._-]+/g, "-").slice(0, 80) || "upload";
  return new Response(Readable.toWeb(csv) as ReadableStream, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${base}-rejected.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
