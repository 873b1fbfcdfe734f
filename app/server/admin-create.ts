// `npm run admin:create -- --email you@airline.example [--name "Your Name"]`
// Makes an admin account on the configured database (DATABASE_URL, or the
// embedded one under data/ when it is not set), applying pending migrations
// first so it also works before the first `npm run serve`.
//   (no option)        asks for the password twice (hidden) on a terminal;
//   --password-stdin   reads the password from standard input (scripts, tests);
//   --link             no password: prints a one-time link to set it (72 hours).
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { disconnectDb } from "../db/db.server";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "../db/embedded-database.server";
import { AdminCreateError, createAdmin } from "../users/first-admin.server";
import { migrateDatabase } from "./migrations.server";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = "";
  for await (const chunk of stream) text += String(chunk);
  return text.replace(/\r?\n$/, "");
}

/** Reads one line without echoing it. */
function askHidden(question: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
    const output = rl as unknown as { _writeToOutput: (text: string) => void };
    rl.question(question, (answer) => {
      rl.close();
      process.stdout.write("\n");
      resolve(answer);
    });
    output._writeToOutput = (text: string) => {
      if (text.startsWith(question)) process.stdout.write(question);
    };
  });
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      email: { type: "string" },
      name: { type: "string" },
      "password-stdin": { type: "boolean", default: false },
      link: { type: "boolean", default: false },
    },
  });
  if (!values.email) {
    console.error("Usage: npm run admin:create -- --email you@airline.example [--name NAME] [--password-stdin | --link]");
    return 2;
  }
  let password: string | undefined;
  if (values["password-stdin"]) password = await readAll(process.stdin);
  else if (!values.link) {
    if (!process.stdin.isTTY) {
      console.error("No terminal to ask for a password: use --password-stdin or --link.");
      return 2;
    }
    password = await askHidden("Password for the new admin: ");
    if ((await askHidden("Type it again: ")) !== password) {
      console.error("The two passwords are not the same.");
      return 1;
    }
  }

  let embedded: EmbeddedDatabase | null = null;
  if (!process.env.DATABASE_URL) {
    embedded = await startEmbeddedDatabase({ dataDir: path.resolve(root, process.env.SURGE_DATA_DIR ?? "data/pglite"), port: 0 });
    process.env.DATABASE_URL = embedded.url;
    process.env.DATABASE_POOL_MAX = "1";
  }
  try {
    await migrateDatabase(root, process.env.DATABASE_URL);
    const created = await createAdmin({ email: values.email, name: values.name, password });
    if (created.kind === "password") console.log(`Admin ${created.email} created. Sign in at /login.`);
    else {
      const base = (process.env.SURGE_PUBLIC_URL ?? `http://localhost:${process.env.PORT ?? 3000}`).replace(/\/$/, "");
      console.log(`Admin ${created.email} created. Set the password with this one-time link (until ${created.expiresAt.toISOString()}):`);
      console.log(`  ${base}${created.path}`);
    }
    return 0;
  } catch (error) {
    if (error instanceof AdminCreateError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  } finally {
    await disconnectDb();
    await embedded?.stop();
  }
}

process.exitCode = await main();
