import { describe, expect, it } from "vitest";
import { roleWithArticle } from "./user-forms";

describe("roleWithArticle", () => {
  it("uses “an” before a vowel", () => {
    expect(roleWithArticle("admin")).toBe("an administrator");
    expect(roleWithArticle("agent")).toBe("an experienced agent");
    expect(roleWithArticle("planner")).toBe("a planner");
    expect(roleWithArticle("volunteer")).toBe("a volunteer");
  });
});
