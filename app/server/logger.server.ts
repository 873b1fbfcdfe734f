// The app's log: one JSON object per line on standard output (pino), so a
// log collector can index every field; each HTTP request's lines carry its
// request id. On a terminal (or SURGE_LOG_FORMAT=text) the same entries are
// printed as short readable lines instead.
import pino, { type DestinationStream, type Logger } from "pino";
import { formatLogLine } from "./log-format";

function destination(): DestinationStream {
  const format = process.env.SURGE_LOG_FORMAT ?? (process.stdout.isTTY ? "text" : "json");
  if (format !== "text") return pino.destination({ dest: 1, sync: true });
  return {
    write(line: string) {
      process.stdout.write(`${formatLogLine(line)}\n`);
    },
  };
}

const globalForLogger = globalThis as unknown as { __surgeLogger?: Logger };

/** The process's one logger (kept across the dev server's module reloads). */
export const logger: Logger = (globalForLogger.__surgeLogger ??= pino(
  {
    level: process.env.SURGE_LOG_LEVEL ?? "info",
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  },
  destination(),
));
