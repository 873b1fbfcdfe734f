// A pino JSON line as one readable line for a terminal: "[surge] message",
// then the request's method, path, status and time, then any error's stack.
interface LogEntry {
  level?: string;
  msg?: string;
  reqId?: string;
  req?: { method?: string; url?: string };
  res?: { statusCode?: number };
  responseTime?: number;
  err?: { stack?: string; message?: string };
}

export function formatLogLine(line: string): string {
  let entry: LogEntry;
  try {
    entry = JSON.parse(line) as LogEntry;
  } catch {
    return line.trimEnd();
  }
  const level = entry.level && entry.level !== "info" ? `${entry.level.toUpperCase()} ` : "";
  let text = `[surge] ${level}${entry.msg ?? ""}`;
  if (entry.req?.method && entry.res?.statusCode !== undefined) {
    text += ` ${entry.req.method} ${entry.req.url ?? ""} ${entry.res.statusCode} ${Math.round(entry.responseTime ?? 0)} ms`;
  }
  if (entry.reqId) text += ` (request ${entry.reqId})`;
  const error = entry.err?.stack ?? entry.err?.message;
  if (error) text += `\n${error}`;
  return text;
}

/** A request path as logged: one-time link tokens (invitations, password resets) are not written to the log. */
export function loggablePath(url: string | undefined): string {
  return (url ?? "").replace(/^\/(invite|reset)\/[^/?#]+/, "/$1/[token]");
}
