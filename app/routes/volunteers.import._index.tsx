import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { CsrfInput } from "~/auth/csrf-input";
import { ErrorSummary } from "~/forms/error-summary";
import { MAX_IMPORT_ROWS, MAX_UPLOAD_BYTES } from "~/enrolment/import-limits";
import { receiveUpload, recentImports } from "~/enrolment/enrolment-import.server";
import { requireAbility } from "~/permissions/guard.server";

export const meta: MetaFunction = () => [{ title: "Enrol from a file · Surge" }];

export async function loader(args: LoaderFunctionArgs) {
  requireAbility(args, "create", "EnrolmentImport");
  const recent = await recentImports(10);
  return { recent: recent.map((entry) => ({ ...entry, createdAt: entry.createdAt.toISOString() })) };
}

export async function action(args: ActionFunctionArgs) {
  const { user } = requireAbility(args, "create", "EnrolmentImport");
  const uploaded = await receiveUpload(args.request, user.id);
  if (!uploaded.ok) return data({ problem: uploaded.problem }, { status: uploaded.status });
  return redirect(`/volunteers/import/${uploaded.importId}`);
}

const megabytes = MAX_UPLOAD_BYTES / (1024 * 1024);

export default function ImportUpload() {
  const { recent } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  return (
    <section aria-labelledby="import-title">
      <p>
        <Link to="/volunteers">← Volunteers</Link>
      </p>
      <h1 id="import-title">Enrol volunteers from a file</h1>
      <p>
        Upload a CSV file (UTF-8, comma or semicolon separated) or an Excel workbook (.xlsx, first sheet) with a header line and one volunteer
        per line: at most {megabytes} MB and {MAX_IMPORT_ROWS.toLocaleString("en")} rows. Next you check how the columns are read, then a dry
        run shows what every row would do; nothing is saved until you commit.
      </p>
      {result?.problem ? (
        <ErrorSummary focusKey={result}>
          <p>{result.problem.message}</p>
        </ErrorSummary>
      ) : null}
      <Form method="post" encType="multipart/form-data" noValidate data-main-form>
        {/* The token comes before the file: the server checks it before storing the upload. */}
        <CsrfInput />
        <div className="field">
          <label htmlFor="file">CSV or Excel file</label>
          <input
            id="file"
            name="file"
            type="file"
            accept=".csv,.xlsx,text/csv,text/plain,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            required
          />
        </div>
        <button type="submit" className="primary" disabled={navigation.state === "submitting"}>
          {navigation.state === "submitting" ? "Uploading…" : "Upload and preview"}
        </button>
      </Form>
      <p>
        Example files and the column list: see the README (“Bulk enrolment: the CSV format”).
      </p>
      {recent.length > 0 ? (
        <div className="table-scroll">
          <table>
            <caption>Recent uploads</caption>
            <thead>
              <tr>
                <th scope="col">File</th>
                <th scope="col">Status</th>
                <th scope="col">Rows</th>
                <th scope="col">By</th>
                <th scope="col">When (UTC)</th>
              </tr>
            </thead>
            <tbody>
              {recent.map((entry) => (
                <tr key={entry.id}>
                  <th scope="row">
                    <Link to={`/volunteers/import/${entry.id}`}>{entry.fileName}</Link>
                  </th>
                  <td>{entry.status.replace("_", " ")}</td>
                  <td>{entry.totalRows || "—"}</td>
                  <td>{entry.createdBy?.name ?? "—"}</td>
                  <td>{entry.createdAt.slice(0, 16).replace("T", " ")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
