// The console workspace's markup. Three columns on a wide screen (my cases,
// the conversation with the reply and note forms, the case facts), two on a
// tablet, one on a phone. Notes and replies look nothing alike on purpose.
import { Form, Link, useNavigation, useRevalidator, useSearchParams } from "@remix-run/react";
import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import { CsrfInput } from "~/auth/csrf-input";
import { LiveRegion, useAnnouncer } from "~/live/live-region";
import { useLiveEvents } from "~/live/use-live-events";
import { deliveryLabel, type ConversationEntry } from "./conversation";
import { nextDue, timeLeftLabel } from "./due-times";
import { CONSOLE_SHORTCUTS, shortcutFor } from "./shortcuts";
import { formatUtc } from "~/reference/utc-time";

type When = string | Date | null;

export interface WorkspaceProps {
  now: string;
  case: {
    id: string; number: number; subject: string; status: string; language: string; customerName: string; loyaltyTier: string;
    bookingReference: string | null; flightNumber: string | null; departureAt: When; receivedAt: When; priorityTier: number;
    priorityReason?: string | null; firstResponseDueAt: When; resolutionDueAt: When; firstRespondedAt: When; resolvedAt: When;
    firstResponseBreachedAt: When; resolutionBreachedAt: When; contactReasons: string[] | null;
    channel: { name: string }; assignee: { name: string } | null;
  };
  conversation: ConversationEntry[];
  timeline: { id: string; type: string; createdAt: When; detail?: string | null }[];
  earlierCases: { id: string; number: number; subject: string; status: string; receivedAt: When }[];
  templates: { id: string; name: string; language: string; preview: string; missing: string[]; disclosesBooking: boolean }[];
  contactReasons: { id: string; label: string }[];
  myCases: { id: string; number: number; subject: string; status: string; firstResponseDueAt: When; resolutionDueAt: When; firstRespondedAt: When; resolvedAt: When }[];
  identity: { needed: boolean; done: boolean };
  may: { reply: boolean; writeFreeText: boolean; work: boolean; note: boolean };
  result: { ok: true; notice: string } | { ok: false; intent: string; fieldErrors: Record<string, string> } | null;
  routingPanel: ReactNode;
  gesturePanel: ReactNode;
  /** Escalation: the hops, the escalate form, the expert's actions, questions to the help inbox. */
  escalationPanel: ReactNode;
}

const statusText = (status: string) => status.replace("_", " ");

function DueText({ item, now }: { item: { firstResponseDueAt: When; resolutionDueAt: When; firstRespondedAt: When; resolvedAt: When }; now: Date }) {
  const due = nextDue({ ...item });
  if (!due) return <span>no due time</span>;
  const label = timeLeftLabel(due.at, now);
  const late = label.startsWith("overdue");
  return (
    <span className={late ? "due late" : "due"}>
      {late ? "⚠ " : ""}
      {due.kind}: {label}
    </span>
  );
}

/** The fields a failed form should send the focus to, in order of appearance. */
function ErrorSummary({ errors, id }: { errors: Record<string, string>; id: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), [errors]);
  return (
    <div className="form-error" role="alert" tabIndex={-1} ref={ref} id={id}>
      {Object.values(errors).map((message) => (
        <p key={message}>{message}</p>
      ))}
    </div>
  );
}

export function CaseWorkspace(props: WorkspaceProps) {
  const { case: c, result, may } = props;
  const now = new Date(props.now);
  const heading = useRef<HTMLHeadingElement>(null);
  const replyField = useRef<HTMLSelectElement>(null);
  const noteField = useRef<HTMLTextAreaElement>(null);
  const holdButton = useRef<HTMLButtonElement>(null);
  const resolveField = useRef<HTMLFieldSetElement>(null);
  const nextForm = useRef<HTMLFormElement>(null);
  const busy = useNavigation().state === "submitting";
  const [params] = useSearchParams();
  const ids = useId();
  const [templateId, setTemplateId] = useState("");
  const autoNext = useRef<HTMLInputElement>(null);
  const errors = result && !result.ok ? result : null;
  const revalidator = useRevalidator();
  const [announcement, announce] = useAnnouncer();

  // Live: a customer message, a reassignment or a mention reloads the page's data (through the
  // loader, which checks permissions) and is announced to screen readers.
  useLiveEvents((event) => {
    const here = event.caseId === c.id;
    if (!here && event.kind !== "case_assigned" && event.kind !== "mention" && event.kind !== "resync") return;
    revalidator.revalidate();
    if (event.kind === "case_message" && here) announce("New message from the customer on this case.");
    else if (event.kind === "case_updated" && here) announce("This case was updated.");
    else if (event.kind === "case_assigned") announce(here ? "This case was reassigned." : "A case was assigned to you.");
    else if (event.kind === "mention") announce("A colleague mentioned you in a note.");
  });

  // Focus moves to the case when it opens (and when another case opens).
  useEffect(() => heading.current?.focus(), [c.id]);
  // The auto-next choice is remembered in this browser.
  useEffect(() => {
    if (autoNext.current) autoNext.current.checked = window.localStorage.getItem("surge.autoNext") === "on";
  }, []);
  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      const target = event.target as HTMLElement | null;
      const targetIsField = !!target && (["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName) || target.isContentEditable);
      const shortcut = shortcutFor({ key: event.key, altKey: event.altKey, ctrlKey: event.ctrlKey, metaKey: event.metaKey, targetIsField });
      if (!shortcut) return;
      const act: Record<string, () => void> = {
        "next-case": () => nextForm.current?.requestSubmit(),
        reply: () => replyField.current?.focus(),
        note: () => noteField.current?.focus(),
        hold: () => holdButton.current?.click(),
        resolve: () => resolveField.current?.querySelector("input")?.focus(),
        case: () => heading.current?.focus(),
      };
      event.preventDefault();
      act[shortcut.action]?.();
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const chosen = props.templates.find((template) => template.id === templateId);
  const notice = result?.ok ? result.notice : params.get("message")?.slice(0, 300);
  const working = c.status === "assigned" || c.status === "on_hold";

  return (
    <div className="workspace">
      <aside className="workspace-cases" aria-labelledby={`${ids}-mine`}>
        <h2 id={`${ids}-mine`}>My open cases</h2>
        <Form method="post" action="/cases/next" ref={nextForm}>
          <CsrfInput />
          <button type="submit" className="primary" aria-keyshortcuts="n">
            Next case <kbd>n</kbd>
          </button>
        </Form>
        {props.myCases.length === 0 ? (
          <p>You hold no case.</p>
        ) : (
          <ul className="my-cases">
            {props.myCases.map((mine) => (
              <li key={mine.id} aria-current={mine.id === c.id ? "page" : undefined}>
                <Link to={`/cases/${mine.id}`}>
                  #{mine.number} {mine.subject}
                </Link>
                <br />
                <small>
                  {statusText(mine.status)} · <DueText item={mine} now={now} />
                </small>
              </li>
            ))}
          </ul>
        )}
        <h2>Shortcuts</h2>
        <dl className="shortcuts">
          {CONSOLE_SHORTCUTS.map((shortcut) => (
            <div key={shortcut.key}>
              <dt>
                <kbd>{shortcut.key}</kbd>
              </dt>
              <dd>{shortcut.label}</dd>
            </div>
          ))}
        </dl>
      </aside>

      <article className="workspace-case" aria-labelledby="case-title">
        <h1 id="case-title" tabIndex={-1} ref={heading}>
          Case #{c.number}: {c.subject}
        </h1>
        <p className="case-summary">
          {statusText(c.status)}
          {c.assignee ? `, assigned to ${c.assignee.name}` : ""} · {c.channel.name}, {c.language} · tier {c.priorityTier} ·{" "}
          <DueText item={c} now={now} />
          {c.firstResponseBreachedAt ? " · first response was late" : ""}
          {c.resolutionBreachedAt ? " · resolution was late" : ""}
        </p>
        <LiveRegion message={announcement} />
        <div aria-live="polite" className="live">
          {notice ? (
            <p className="notice success" role="status">
              {notice}
            </p>
          ) : null}
        </div>

        <section aria-labelledby={`${ids}-conversation`}>
          <h2 id={`${ids}-conversation`}>Conversation</h2>
          <ol className="conversation">
            {props.conversation.map((entry) => (
              <li key={`${entry.kind}-${entry.id}`} className={`entry entry-${entry.kind}`}>
                {entry.kind === "note" ? (
                  <p className="entry-head">
                    <strong>Internal note</strong> by {entry.author}, {formatUtc(entry.at)} — not sent to the customer
                  </p>
                ) : entry.kind === "customer" ? (
                  <p className="entry-head">
                    <strong>{c.customerName} (customer)</strong>, {formatUtc(entry.at)}
                    {entry.subject ? `: ${entry.subject}` : ""}
                  </p>
                ) : entry.kind === "reply" ? (
                  <p className="entry-head">
                    <strong>Reply by {entry.author}</strong>, {formatUtc(entry.at)} · {entry.language} · {deliveryLabel(entry.delivery)}
                  </p>
                ) : (
                  <p className="entry-head">
                    <strong>Automatic message</strong>, {formatUtc(entry.at)} · {deliveryLabel(entry.delivery)}
                  </p>
                )}
                <p className="entry-body">{entry.body}</p>
              </li>
            ))}
          </ol>
        </section>

        {props.escalationPanel}

        {may.reply && props.identity.needed && !props.identity.done ? (
          <section aria-labelledby={`${ids}-identity`} className="identity-check">
            <h2 id={`${ids}-identity`}>Identity check</h2>
            <p>Before you discuss the booking, ask for the booking reference and the family name of a passenger on it.</p>
            <Form method="post">
              <CsrfInput />
              <input type="hidden" name="intent" value="identity" />
              {errors?.intent === "identity" ? <ErrorSummary errors={errors.fieldErrors} id={`${ids}-identity-errors`} /> : null}
              <label className="check">
                <input type="checkbox" name="confirmed" /> The customer gave booking reference {c.bookingReference ?? "(none on this case)"} and a passenger&apos;s family
                name that match.
              </label>
              <button type="submit" disabled={busy}>
                Confirm identity
              </button>
            </Form>
          </section>
        ) : null}

        {may.reply ? (
          <section aria-labelledby={`${ids}-reply`} className="reply-panel">
            <h2 id={`${ids}-reply`}>Reply to the customer</h2>
            <Form method="post">
              <CsrfInput />
              <input type="hidden" name="intent" value="reply" />
              {errors?.intent === "reply" ? <ErrorSummary errors={errors.fieldErrors} id={`${ids}-reply-errors`} /> : null}
              <div className="field">
                <label htmlFor={`${ids}-template`}>Template</label>
                <select id={`${ids}-template`} name="templateId" ref={replyField} value={templateId} onChange={(event) => setTemplateId(event.target.value)} aria-keyshortcuts="r">
                  <option value="">{may.writeFreeText ? "No template: write the reply below" : "Choose a template"}</option>
                  {props.templates.map((template) => (
                    <option key={template.id} value={template.id} disabled={template.missing.length > 0}>
                      {template.name} ({template.language}){template.language === c.language ? "" : " · not the case's language"}
                      {template.missing.length ? " · needs data this case lacks" : ""}
                    </option>
                  ))}
                </select>
              </div>
              {props.templates.every((template) => template.language !== c.language) ? (
                <p className="hint">No approved template in {c.language} yet: ask a supervisor.</p>
              ) : null}
              {chosen ? (
                <div className="template-preview" aria-live="polite">
                  <p>
                    <strong>What the customer will read</strong>
                    {chosen.disclosesBooking ? " (discloses booking details)" : ""}:
                  </p>
                  <p className="entry-body">{chosen.preview}</p>
                </div>
              ) : null}
              <div className="field">
                <label htmlFor={`${ids}-text`}>{may.writeFreeText ? "Reply text (or a first line before the template)" : "A personal first line (optional)"}</label>
                <textarea id={`${ids}-text`} name="text" rows={may.writeFreeText ? 5 : 2} maxLength={4000} />
              </div>
              <button type="submit" className="primary" disabled={busy}>
                Send reply
              </button>
            </Form>
          </section>
        ) : null}

        {may.note ? (
          <section aria-labelledby={`${ids}-note`} className="note-panel">
            <h2 id={`${ids}-note`}>Internal note</h2>
            <p className="hint">Only colleagues see notes. Mention someone with @ and the first part of their email, such as @agent.</p>
            <Form method="post">
              <CsrfInput />
              <input type="hidden" name="intent" value="note" />
              {errors?.intent === "note" ? <ErrorSummary errors={errors.fieldErrors} id={`${ids}-note-errors`} /> : null}
              <div className="field">
                <label htmlFor={`${ids}-note-body`}>Note (never sent to the customer)</label>
                <textarea id={`${ids}-note-body`} name="body" rows={3} maxLength={4000} ref={noteField} aria-keyshortcuts="i" />
              </div>
              <button type="submit" disabled={busy}>
                Save internal note
              </button>
            </Form>
          </section>
        ) : null}

        {may.work && working ? (
          <section aria-labelledby={`${ids}-work`} className="work-panel">
            <h2 id={`${ids}-work`}>Hold or resolve</h2>
            <Form method="post">
              <CsrfInput />
              <input type="hidden" name="intent" value={c.status === "on_hold" ? "resume" : "hold"} />
              {errors && (errors.intent === "hold" || errors.intent === "resume") ? <ErrorSummary errors={errors.fieldErrors} id={`${ids}-hold-errors`} /> : null}
              <button type="submit" ref={holdButton} disabled={busy} aria-keyshortcuts="h">
                {c.status === "on_hold" ? "Take back from hold" : "Put on hold (waiting for the customer)"}
              </button>
            </Form>
            <Form method="post">
              <CsrfInput />
              <input type="hidden" name="intent" value="resolve" />
              {errors?.intent === "resolve" ? <ErrorSummary errors={errors.fieldErrors} id={`${ids}-resolve-errors`} /> : null}
              <fieldset ref={resolveField}>
                <legend>Contact reasons (at least one)</legend>
                {props.contactReasons.map((reason) => (
                  <label key={reason.id} className="check">
                    <input type="checkbox" name="reasons" value={reason.id} /> {reason.label}
                  </label>
                ))}
              </fieldset>
              <label className="check">
                <input
                  type="checkbox"
                  name="autoNext"
                  value="on"
                  ref={autoNext}
                  onChange={(event) => {
                    window.localStorage.setItem("surge.autoNext", event.target.checked ? "on" : "off");
                  }}
                />{" "}
                Then give me the next case
              </label>
              <button type="submit" className="primary" disabled={busy} aria-keyshortcuts="e">
                Resolve
              </button>
            </Form>
          </section>
        ) : null}

        <details>
          <summary>Timeline ({props.timeline.length} events)</summary>
          <ol>
            {props.timeline.map((event) => (
              <li key={event.id}>
                {formatUtc(event.createdAt)}: {event.type.replaceAll("_", " ")}
                {event.detail ? ` (${event.detail})` : ""}
              </li>
            ))}
          </ol>
        </details>
      </article>

      <aside className="workspace-facts" aria-label="Booking and customer">
        <h2>Booking</h2>
        <dl className="case-facts">
          <dt>Customer</dt>
          <dd>
            {c.customerName} ({c.loyaltyTier === "none" ? "no loyalty tier" : `${c.loyaltyTier} member`})
          </dd>
          <dt>Booking</dt>
          <dd>{c.bookingReference ?? "no booking"}</dd>
          <dt>Flight</dt>
          <dd>{c.flightNumber ? `${c.flightNumber}, departs ${formatUtc(c.departureAt)}` : "no flight"}</dd>
          <dt>Priority</dt>
          <dd>
            Tier {c.priorityTier}
            {c.priorityReason ? ` — ${c.priorityReason}` : ""}
          </dd>
          <dt>Received</dt>
          <dd>{formatUtc(c.receivedAt)}</dd>
          {c.contactReasons && c.contactReasons.length ? (
            <>
              <dt>Contact reasons</dt>
              <dd>{c.contactReasons.join(", ")}</dd>
            </>
          ) : null}
        </dl>
        <h2>Earlier cases of this customer</h2>
        {props.earlierCases.length === 0 ? (
          <p>None that you may see.</p>
        ) : (
          <ul>
            {props.earlierCases.map((earlier) => (
              <li key={earlier.id}>
                <Link to={`/cases/${earlier.id}`}>#{earlier.number}</Link> {earlier.subject} · {statusText(earlier.status)} · {formatUtc(earlier.receivedAt)}
              </li>
            ))}
          </ul>
        )}
        {props.routingPanel}
        {props.gesturePanel}
      </aside>
    </div>
  );
}
