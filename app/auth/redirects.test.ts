import { describe, expect, it } from "vitest";
import { safeRedirectPath } from "./session.server";

const ORIGIN = "https://surge.example";

describe("safeRedirectPath", () => {
  it.each([
    ["/cases?status=open", "/cases?status=open"],
    ["/cases/abc#timeline", "/cases/abc#timeline"],
    ["/a/../users", "/users"],
    ["//evil.example", "/"],
    ["/\\evil.example", "/"],
    ["/\t/evil.example", "/"],
    ["/\n/evil.example", "/"],
    ["/%09/evil.example", "/%09/evil.example"],
    ["/cases\r\nSet-Cookie: x=1", "/"],
    ["/\u0085", "/"],
    ["https://evil.example", "/"],
    ["https://surge.example/cases", "/"],
    ["javascript:alert(1)", "/"],
    ["cases", "/"],
    ["", "/"],
    [null, "/"],
  ])("%j -> %s", (input, expected) => {
    expect(safeRedirectPath(input, ORIGIN)).toBe(expected);
  });

  it("never returns something that resolves to another origin", () => {
    for (const input of ["/\\/evil.example", "/\t\\evil.example", "/ /evil.example", "/.//evil.example"]) {
      const result = safeRedirectPath(input, ORIGIN);
      expect(new URL(result, ORIGIN).origin).toBe(ORIGIN);
    }
  });
});
