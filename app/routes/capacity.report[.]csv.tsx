// GET /capacity/report.csv?day=YYYY-MM-DD: the daily capacity report (UTC day, yesterday by default).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { dailyReportCsv } from "~/capacity/capacity-history.server";
import { requireAbility } from "~/permissions/guard.server";

export async function loader(args: LoaderFunctionArgs) {
  requireAbility(args, "read", "Capacity");
  const asked = new URL(args.request.url).searchParams.get("day") ?? "";
  const day = /^\d{4}-\d{2}-\d{2}$/.test(asked) && !Number.isNaN(Date.parse(`${asked}T00:00:00Z`)) ? asked : new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  return new Response(await dailyReportCsv(day), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="capacity-${day}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
