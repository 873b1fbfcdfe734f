// The reference-data migration is generated from the lists in app/reference;
// this keeps the two in step (a language added to the list needs a migration).
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CHANNELS } from "./channels";
import { LANGUAGE_CODES } from "./languages";
import { TOPIC_SKILLS, TOPICS } from "./topics";

const migrations = path.resolve(import.meta.dirname, "../../prisma/migrations");
const sql = readdirSync(migrations)
  .filter((name) => name.endsWith("_reference_data"))
  .map((name) => readFileSync(path.join(migrations, name, "migration.sql"), "utf8"))
  .join("\n");

describe("the reference-data migration", () => {
  it("has every channel, a skill for every channel and every ISO 639-1 language, and every topic with its skill", () => {
    for (const channel of CHANNELS) {
      expect(sql).toContain(`('${channel.id}', '${channel.name}'`);
      expect(sql).toContain(`('channel:${channel.id}'`);
    }
    expect(LANGUAGE_CODES.length).toBeGreaterThan(180);
    for (const code of LANGUAGE_CODES) expect(sql).toContain(`('language:${code}'`);
    for (const skill of TOPIC_SKILLS) expect(sql).toContain(`('${skill.id}', 'topic'`);
    for (const topic of TOPICS) expect(sql).toContain(`('${topic.id}', '${topic.name.replace(/'/g, "''")}', ${topic.skillId ? `'${topic.skillId}'` : "NULL"})`);
  });
});
