// `npm run db:backup -- --out FILE` and `npm run db:restore -- --from FILE [--force]`:
// the database of DATABASE_URL, else the embedded one in SURGE_DATA_DIR
// (default data/pglite; stop the server first). See docs/operations.md.
import path from "node:path";
import { parseArgs } from "node:util";
import { backupDatabase, restoreDatabase, type BackupTarget } from "./database-backup.server";

const root = path.resolve(import.meta.dirname, "../..");

async function main() {
  const [command, ...rest] = process.argv.slice(2);
  const { values } = parseArgs({ args: rest, options: { out: { type: "string" }, from: { type: "string" }, force: { type: "boolean" } } });
  const target: BackupTarget = process.env.DATABASE_URL
    ? { kind: "postgres", databaseUrl: process.env.DATABASE_URL }
    : { kind: "embedded", dataDir: path.resolve(root, process.env.SURGE_DATA_DIR ?? "data/pglite") };
  const shown = target.kind === "embedded" && target.dataDir.startsWith(root + path.sep) ? path.relative(root, target.dataDir) : target.kind === "embedded" ? target.dataDir : "";
  const where = target.kind === "postgres" ? "the PostgreSQL database of DATABASE_URL" : `the embedded database in ${shown}/`;
  if (command === "backup" && values.out) {
    const started = Date.now();
    await backupDatabase(target, path.resolve(values.out));
    console.log(`Backed up ${where} to ${values.out} in ${Date.now() - started} ms.`);
  } else if (command === "restore" && values.from) {
    const { keptAside } = await restoreDatabase(target, path.resolve(values.from), { force: values.force });
    console.log(`Restored ${values.from} into ${where}.${keptAside ? ` The previous folder is kept at ${keptAside}.` : ""}`);
  } else {
    console.error("Usage: npm run db:backup -- --out FILE | npm run db:restore -- --from FILE [--force]");
    process.exit(2);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
