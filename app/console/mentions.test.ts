import { describe, expect, it } from "vitest";
import { handleOf, mentionedHandles } from "./mentions";

describe("mentions", () => {
  it("finds each @handle once, lower-cased, and not inside an email address", () => {
    expect(mentionedHandles("@Agent please check, and @j.de-vries too. Also @agent again.")).toEqual(["agent", "j.de-vries"]);
    expect(mentionedHandles("Mail eva@example.com, no mention here")).toEqual([]);
    expect(mentionedHandles("(@sam) and @x")).toEqual(["sam", "x"]);
  });

  it("takes the handle from the part of the email before @", () => {
    expect(handleOf("Agent@Surge.test")).toBe("agent");
  });
});
