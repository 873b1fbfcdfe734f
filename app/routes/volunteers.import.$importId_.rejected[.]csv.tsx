// GET /volunteers/import/:importId/rejected.csv: the rows this file would
// reject, as uploaded plus an "error" column, to fix and upload again.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { findImport, rejectedRowsFile, uploadExists } from "~/enrolment/enrolment-import.server";
import { EnrolmentFileError } from "~/enrolment/csv-import";
import { requireAbility } from "~/permissions/guard.server";

export async function loader(args: LoaderFunctionArgs) {
  requireAbility(args, "create", "EnrolmentImport");
  const id = args.params.importId ?? "";
  const found = await findImport(id);
  if (!found) throw new Response("There is no such import.", { status: 404 });
  if (!(await uploadExists(id))) throw new Response("The uploaded file is no longer kept; upload it again.", { status: 410 });
  try {
    const csv = await rejectedRowsFile(id);
    const base = found.fileName.replace(/\.[^.]*$/, "").replace(/[^A-Za-z0-9._-]+/g, "-").slice(0, 80) || "upload";
    return new Response(csv, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="${base}-rejected.csv"`,
        "Cache-Control": "no-store",
      },
    });
  } catch (error) {
    if (error instanceof EnrolmentFileError) throw new Response(error.message, { status: 422 });
    throw error;
  }
}
