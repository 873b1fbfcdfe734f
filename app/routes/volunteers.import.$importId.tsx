import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { CsrfInput } from "~/auth/csrf-input";
import {
  COMMIT_MODES,
  findImport,
  importReportPage,
  importState,
  defaultProficiencyFromForm,
  mappingFromForm,
  previewImport,
  runDryRunStep,
  saveMapping,
  startCommit,
  type CommitMode,
} from "~/enrolment/enrolment-import.server";
import { NOTHING_TO_IMPORT_MESSAGE, rowsToImport } from "~/enrolment/import-dry-run";
import { commitRefusal, editRefusal, isCommittableImport, isEditableImport } from "~/enrolment/import-status";
import { REPORT_VIEWS, reportCursorOf, reportViewOf, rowsInView, type ReportView } from "~/enrolment/import-rows";
import { ENROLMENT_FIELD_LABELS, ENROLMENT_FIELDS, REQUIRED_ENROLMENT_FIELDS } from "~/enrolment/volunteer-schema";
import { readForm } from "~/forms/form-submission.server";
import { requireAbility } from "~/permissions/guard.server";
import { Notice } from "~/forms/notice";

export const meta: MetaFunction = () => [{ title: "Enrolment import · Surge" }];

async function loadImport(id: string) {
  const found = await findImport(id);
  if (!found) throw new Response("There is no such import.", { status: 404 });
  return found;
}

export async function loader(args: LoaderFunctionArgs) {
  requireAbility(args, "create", "EnrolmentImport");
  const found = await loadImport(args.params.importId ?? "");
  const state = importState(found);
  const editable = isEditableImport(found.status);
  const preview = editable ? await previewImport(found.id, state.mapping) : null;
  // The report's rows come from EnrolmentImportRow a page at a time (?view=…&after=<row number>).
  const search = new URL(args.request.url).searchParams;
  const view = reportViewOf(search.get("view"));
  const after = reportCursorOf(search.get("after"));
  const page = state.report && found.status !== "previewed" ? await importReportPage(found.id, state, { view, after }) : null;
  return {
    id: found.id,
    fileName: found.fileName,
    fileBytes: found.fileBytes,
    status: found.status,
    mode: found.mode,
    totalRows: found.totalRows,
    processedRows: found.processedRows,
    error: found.error,
    report: state.report ?? null,
    page: page && { view, after, rows: page.rows, nextAfter: page.nextAfter },
    format: state.format ?? "csv",
    defaultProficiency: state.defaultProficiency ?? "",
    result: state.result ?? null,
    preview: preview?.ok
      ? {
          headers: preview.headers,
          mapping: preview.mapping,
          sampleRows: preview.sampleRows,
          unknownColumns: preview.columns.unknownColumns,
          columnProblem: preview.columnProblem,
          delimiter: preview.delimiter === "\t" ? "tab" : preview.delimiter === ";" ? "semicolon" : "comma",
        }
      : null,
    previewProblem: preview && !preview.ok ? preview.problem.message : null,
  };
}

export async function action(args: ActionFunctionArgs) {
  const { user } = requireAbility(args, "create", "EnrolmentImport");
  const found = await loadImport(args.params.importId ?? "");
  const form = await readForm(args.request);
  const intent = form.get("intent");
  const self = `/volunteers/import/${found.id}`;
  if (intent === "map" || intent === "dry-run") {
    const refusal = editRefusal(found.status);
    if (refusal) return data({ error: refusal }, { status: 409 });
    const preview = await previewImport(found.id, importState(found).mapping);
    if (!preview.ok) return data({ error: preview.problem.message }, { status: 422 });
    const mapping = mappingFromForm(form, preview.headers.length);
    const defaultProficiency = defaultProficiencyFromForm(form);
    if (intent === "map") {
      // The same choices again change nothing (and keep the dry run).
      const same =
        preview.headers.every((_, position) => (mapping[position] ?? null) === (preview.mapping[position] ?? null)) &&
        (defaultProficiency ?? null) === (importState(found).defaultProficiency ?? null);
      if (!same) await saveMapping(found.id, mapping, defaultProficiency);
      return redirect(self);
    }
    const step = await runDryRunStep(found.id, mapping, defaultProficiency);
    if (!step.ok) return data({ error: step.problem.message }, { status: 422 });
    return redirect(self);
  }
  if (intent === "commit") {
    const mode = form.get("mode");
    if (typeof mode !== "string" || !COMMIT_MODES.includes(mode as CommitMode)) {
      return data({ error: "Choose how to import: all rows or nothing, or the valid rows only." }, { status: 400 });
    }
    const refusal = commitRefusal(found.status);
    if (refusal) return data({ error: refusal }, { status: 409 });
    const report = importState(found).report;
    if (report && rowsToImport(report) === 0) return data({ error: NOTHING_TO_IMPORT_MESSAGE }, { status: 409 });
    const { job } = await startCommit(found.id, mode as CommitMode, user.id);
    // Small files finish while the planner waits; big ones continue and the page shows progress.
    await Promise.race([job, new Promise((resolve) => setTimeout(resolve, 1500))]);
    return redirect(self);
  }
  return data({ error: "Unknown action." }, { status: 400 });
}

const STATUS_LABELS: Record<string, string> = {
  valid: "valid (new)",
  will_update: "will update",
  unchanged: "unchanged",
  duplicate_in_file: "duplicate in file",
  error: "error",
  conflict: "conflict",
};

function Progress({ processed, total }: { processed: number; total: number }) {
  const revalidator = useRevalidator();
  useEffect(() => {
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, 1000);
    return () => clearInterval(timer);
  }, [revalidator]);
  const percent = total ? Math.floor((processed / total) * 100) : 0;
  return (
    <div>
      <noscript>
        <meta httpEquiv="refresh" content="2" />
      </noscript>
      <label htmlFor="import-progress">Importing…</label>
      <progress id="import-progress" value={processed} max={total || 1}>
        {percent}%
      </progress>
      <p role="status" aria-live="polite">
        {processed.toLocaleString("en")} of {total.toLocaleString("en")} rows processed ({percent}%).
      </p>
    </div>
  );
}

type LoadedPage = NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["page"]>;

/** The stored rows, 100 per page in file order, filtered by result; "next" continues after the last row shown. */
function ReportRows({ importId, counts, page }: { importId: string; counts: Parameters<typeof rowsInView>[1]; page: LoadedPage }) {
  const base = `/volunteers/import/${importId}`;
  const views = Object.entries(REPORT_VIEWS) as [ReportView, (typeof REPORT_VIEWS)[ReportView]][];
  return (
    <>
      <nav aria-label="Show rows">
        <ul className="filters">
          {views.map(([key, view]) => (
            <li key={key}>
              {key === page.view ? (
                <strong aria-current="page">
                  {view.label} ({rowsInView(key, counts)})
                </strong>
              ) : (
                <Link to={`${base}?view=${key}`}>
                  {view.label} ({rowsInView(key, counts)})
                </Link>
              )}
            </li>
          ))}
        </ul>
      </nav>
      <div className="table-scroll">
        <table>
          <caption>
            What each row does ({REPORT_VIEWS[page.view].label}
            {page.after > 0 ? `, after row ${page.after}` : ""})
          </caption>
          <thead>
            <tr>
              <th scope="col">Row</th>
              <th scope="col">Result</th>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {page.rows.map((row) => (
              <tr key={row.row} className={`row-${row.status}`}>
                <th scope="row">{row.row}</th>
                <td>{STATUS_LABELS[row.status]}</td>
                <td>{row.name}</td>
                <td>{row.email}</td>
                <td>{row.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {page.rows.length === 0 ? <p>No rows to show.</p> : null}
      <p>
        {page.after > 0 ? <Link to={`${base}?view=${page.view}`}>← First rows</Link> : null}{" "}
        {page.nextAfter !== null ? <Link to={`${base}?view=${page.view}&after=${page.nextAfter}`}>Next rows →</Link> : null}
      </p>
    </>
  );
}

export default function ImportPage() {
  const loaded = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { preview, report, page, result, status } = loaded;
  const editable = isEditableImport(status);
  return (
    <section aria-labelledby="import-title">
      <p>
        <Link to="/volunteers/import">← Uploads</Link>
      </p>
      <h1 id="import-title">Import of {loaded.fileName}</h1>
      <p>
        {(loaded.fileBytes / 1024).toFixed(1)} KB · status: <strong>{status.replace("_", " ")}</strong>
      </p>
      {actionData?.error ? (
        <Notice tone="error">
          {actionData.error}
        </Notice>
      ) : null}
      {loaded.error && !actionData?.error ? (
        <Notice tone="error">
          {loaded.error}
        </Notice>
      ) : null}
      {loaded.previewProblem ? (
        <Notice tone="error">
          {loaded.previewProblem}
        </Notice>
      ) : null}

      {editable && preview ? (
        <>
          <h2>1. Columns</h2>
          <p>
            {loaded.format === "xlsx" ? "Read from the first sheet of the Excel workbook." : <>Separator: {preview.delimiter}.</>} Check which field each
            column fills; choose “do not import” for columns to skip.
          </p>
          {preview.columnProblem ? (
            <Notice tone="error">
              {preview.columnProblem.message}
            </Notice>
          ) : null}
          {preview.unknownColumns.length > 0 ? (
            <p className="notice">
              Unknown columns, ignored unless you map them: {preview.unknownColumns.map((header) => `“${header}”`).join(", ")}.
            </p>
          ) : null}
          <Form method="post">
            <CsrfInput />
            <div className="table-scroll">
              <table>
                <caption>Columns of the file and the field each one fills</caption>
                <thead>
                  <tr>
                    <th scope="col">Column in the file</th>
                    <th scope="col">First values</th>
                    <th scope="col">Read as</th>
                  </tr>
                </thead>
                <tbody>
                  {preview.headers.map((header, position) => (
                    <tr key={position}>
                      <th scope="row">{header || `(column ${position + 1})`}</th>
                      <td>
                        {preview.sampleRows
                          .slice(0, 3)
                          .map((cells) => cells[position] ?? "")
                          .filter(Boolean)
                          .join(" · ")
                          .slice(0, 120)}
                      </td>
                      <td>
                        <label className="visually-hidden" htmlFor={`column-${position}`}>
                          Field for column {header}
                        </label>
                        <select id={`column-${position}`} name={`column.${position}`} defaultValue={preview.mapping[position] ?? ""}>
                          <option value="">do not import</option>
                          {ENROLMENT_FIELDS.map((field) => (
                            <option key={field} value={field}>
                              {ENROLMENT_FIELD_LABELS[field]}
                              {(REQUIRED_ENROLMENT_FIELDS as readonly string[]).includes(field) ? " (required)" : ""}
                            </option>
                          ))}
                        </select>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <div className="field">
              <label htmlFor="default-proficiency">Proficiency for languages listed without one (such as "nl, en, fr")</label>
              <select id="default-proficiency" name="defaultProficiency" defaultValue={loaded.defaultProficiency} aria-describedby="default-proficiency-hint">
                <option value="">none: reject such rows</option>
                <option value="native">native</option>
                <option value="fluent">fluent</option>
                <option value="basic">basic (simple cases only in that language)</option>
              </select>
              <p id="default-proficiency-hint" className="hint">
                Languages written with a proficiency (nl:native, Dutch fluent) keep theirs.
              </p>
            </div>
            <div className="filters">
              <button type="submit" name="intent" value="map" className="secondary">
                Save column choices
              </button>
              <button type="submit" name="intent" value="dry-run" className="primary">
                Check every row (dry run, saves nothing)
              </button>
            </div>
          </Form>
        </>
      ) : null}

      {report && status !== "previewed" ? (
        <>
          <h2>2. Dry run</h2>
          <ul className="cards" aria-label="Dry run counts">
            {Object.entries(report.counts).map(([key, count]) => (
              <li key={key} className="card">
                <span className="figure">{count}</span> {STATUS_LABELS[key] ?? key}
              </li>
            ))}
          </ul>
          {report.rejected > 0 ? (
            <p>
              <a href={`/volunteers/import/${loaded.id}/rejected.csv`} download>
                Download the {report.rejected} rejected rows as CSV
              </a>{" "}
              (your columns plus an “error” column; fix them and upload that file again).
            </p>
          ) : null}
          {page ? <ReportRows importId={loaded.id} counts={report.counts} page={page} /> : null}
        </>
      ) : null}

      {isCommittableImport(status) && report && rowsToImport(report) === 0 ? (
        <>
          <h2>3. Commit</h2>
          <p>{NOTHING_TO_IMPORT_MESSAGE}</p>
        </>
      ) : null}

      {isCommittableImport(status) && report && rowsToImport(report) > 0 ? (
        <>
          <h2>3. Commit</h2>
          <Form method="post">
            <CsrfInput />
            <input type="hidden" name="intent" value="commit" />
            <fieldset>
              <legend>How to import</legend>
              <label>
                <input type="radio" name="mode" value="all_or_nothing" defaultChecked={report.rejected === 0} /> All rows or nothing: import only if
                no row is rejected
              </label>
              <br />
              <label>
                <input type="radio" name="mode" value="valid_only" defaultChecked={report.rejected > 0} /> Valid rows only: import{" "}
                {rowsToImport(report)} rows and leave the {report.rejected} rejected rows out
              </label>
            </fieldset>
            <button type="submit" className="primary">
              Import
            </button>
          </Form>
        </>
      ) : null}

      {status === "committing" ? <Progress processed={loaded.processedRows} total={loaded.totalRows} /> : null}

      {status === "committed" && result ? (
        <>
          <h2>Done</h2>
          <Notice tone="success">
            {result.created} volunteers enrolled, {result.updated} updated, {result.unchanged} unchanged, {result.skipped} duplicates skipped,{" "}
            {result.rejected} rejected.
          </Notice>
          {result.created > 0 ? (
            <form method="post" action="/volunteers/invitations.csv">
              <CsrfInput />
              <input type="hidden" name="importId" value={loaded.id} />
              <button type="submit" className="primary">
                Download invitation links for the {result.created} new volunteers (CSV for a mail merge)
              </button>
              <p className="hint">Each download issues new links; links from an earlier download stop working.</p>
            </form>
          ) : null}
          {result.rejected > 0 ? (
            <p>
              <a href={`/volunteers/import/${loaded.id}/rejected.csv`} download>
                Download the {result.rejected} rejected rows as CSV
              </a>
            </p>
          ) : null}
          <p>
            <Link to="/volunteers?sort=newest">See the roster</Link>
          </p>
        </>
      ) : null}
    </section>
  );
}
