import { describe, expect, it } from "vitest";
import { webhookUrlSchema } from "./webhook-url";

describe("webhook URL", () => {
  it("accepts http and https URLs", () => {
    expect(webhookUrlSchema.parse(" https://channel.example/hooks/surge ")).toBe("https://channel.example/hooks/surge");
    expect(webhookUrlSchema.safeParse("http://127.0.0.1:3100/").success).toBe(true);
  });

  it("refuses other schemes, relative URLs and credentials", () => {
    for (const bad of ["ftp://x.example/", "/hooks", "javascript:alert(1)", "https://user:pw@x.example/", ""]) {
      expect(webhookUrlSchema.safeParse(bad).success, bad).toBe(false);
    }
  });
});
