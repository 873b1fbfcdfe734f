import { describe, expect, it } from "vitest";
import { formatLogLine, loggablePath } from "./log-format";

describe("formatLogLine", () => {
  it("prints a start-up entry as one readable line", () => {
    expect(formatLogLine(JSON.stringify({ level: "info", msg: "Surge is ready at http://localhost:3000", pid: 1 }))).toBe(
      "[surge] Surge is ready at http://localhost:3000",
    );
  });

  it("names the level when it is not info, and adds the request and the error", () => {
    const line = JSON.stringify({
      level: "error",
      msg: "request failed",
      reqId: "abc-1",
      req: { method: "POST", url: "/cases/next" },
      res: { statusCode: 500 },
      responseTime: 12.4,
      err: { stack: "Error: boom\n    at here" },
    });
    expect(formatLogLine(line)).toBe("[surge] ERROR request failed POST /cases/next 500 12 ms (request abc-1)\nError: boom\n    at here");
  });

  it("passes a line that is not JSON through unchanged", () => {
    expect(formatLogLine("plain text\n")).toBe("plain text");
  });
});

describe("loggablePath", () => {
  it("hides one-time link tokens and keeps other paths", () => {
    expect(loggablePath("/invite/abc123secret")).toBe("/invite/[token]");
    expect(loggablePath("/reset/abc123secret?x=1")).toBe("/reset/[token]?x=1");
    expect(loggablePath("/cases/next")).toBe("/cases/next");
  });
});
