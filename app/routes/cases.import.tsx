// CSV import of cases (tests and demos): upload a file, or paste CSV. All rows
// are checked first; any problem rejects the file with every problem listed.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData } from "@remix-run/node";
import { Form, useActionData } from "@remix-run/react";
import { CsrfInput } from "~/auth/csrf-input";
import { ErrorSummary } from "~/forms/error-summary";
import { assertValidCsrf } from "~/auth/csrf.server";
import { CSV_COLUMNS, CSV_IMPORT_MAX_ROWS } from "~/cases/case-csv-format";
import { importCasesCsv } from "~/cases/case-import.server";
import type { ValidationProblem } from "~/cases/validation-problems";
import { requireAbility } from "~/permissions/guard.server";
import { BodyTooLargeError, payloadTooLarge, readLimited } from "~/server/request-body.server";
import { Notice } from "~/forms/notice";

export const meta: MetaFunction = () => [{ title: "Import cases · Surge" }];

const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

export async function loader(args: LoaderFunctionArgs) {
  requireAbility(args, "create", "Case");
  return null;
}

type Result = { problems: ValidationProblem[] } | { message: string };

export async function action(args: ActionFunctionArgs) {
  const { user } = requireAbility(args, "create", "Case");
  const { request } = args;
  if (!(request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data"))
    throw new Response("Send the file as multipart/form-data.", { status: 415 });
  let form: FormData;
  try {
    form = await readLimited(request, MAX_UPLOAD_BYTES, (limited) =>
      unstable_parseMultipartFormData(limited, unstable_createMemoryUploadHandler({ maxPartSize: MAX_UPLOAD_BYTES })),
    );
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw payloadTooLarge("The file is too large (at most 20 MB).");
    throw new Response("The upload could not be read, or is larger than 20 MB.", { status: 400 });
  }
  await assertValidCsrf(request, form);
  const file = form.get("file");
  const pasted = form.get("csv");
  const csv = file && typeof file !== "string" && file.size > 0 ? await file.text() : typeof pasted === "string" ? pasted : "";
  if (!csv.trim()) return data<Result>({ problems: [{ path: "", message: "Choose a CSV file or paste CSV." }] }, { status: 400 });
  const result = await importCasesCsv(csv, { actorId: user.id });
  if (!result.ok) return data<Result>({ problems: result.problems }, { status: 400 });
  return data<Result>({
    message: `Imported: ${result.created} new case(s), ${result.threaded} threaded onto open cases, ${result.deflected} answered by the bot, ${result.replayed} already imported before.`,
  });
}

export default function ImportCases() {
  const result = useActionData<typeof action>();
  return (
    <section aria-labelledby="import-title">
      <h1 id="import-title">Import cases from CSV</h1>
      <p>
        For tests and demos. The first row names the columns: <code>{CSV_COLUMNS.join(",")}</code>. Required: channelId, language,
        customerId, customerName, body. Topics are separated by “;”, true/false columns accept true/false/yes/no/1/0, times are ISO 8601
        with a time zone. At most {CSV_IMPORT_MAX_ROWS} rows; importing the same file twice adds nothing.
      </p>
      <div aria-live="polite">
        {result && "message" in result ? (
          <Notice tone="success">
            {result.message}
          </Notice>
        ) : null}
      </div>
      {result && "problems" in result ? (
        <ErrorSummary focusKey={result}>
          <p>Nothing was imported. Fix these problems:</p>
          <ul>
            {result.problems.slice(0, 200).map((p, i) => (
              <li key={i}>
                {p.path ? <code>{p.path}</code> : null} {p.message}
              </li>
            ))}
          </ul>
          {result.problems.length > 200 ? <p>…and {result.problems.length - 200} more.</p> : null}
        </ErrorSummary>
      ) : null}
      <Form method="post" encType="multipart/form-data" data-main-form>
        <CsrfInput />
        <div className="field">
          <label htmlFor="file">CSV file</label>
          <input id="file" name="file" type="file" accept=".csv,text/csv" />
        </div>
        <div className="field">
          <label htmlFor="csv">Or paste CSV</label>
          <textarea id="csv" name="csv" rows={8} spellCheck={false} />
        </div>
        <button type="submit" className="primary">
          Import
        </button>
      </Form>
    </section>
  );
}
