// Prisma CLI configuration. Machines here cannot download Prisma's native
// engines, so the CLI runs the WASM schema engine through adapter-pg.
// ../shared/PRISMA-OFFLINE.md explains each workaround below; re-check them on
// any Prisma or adapter upgrade (tests/migrations.test.ts guards the basics).
import { randomUUID } from "node:crypto";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { defineConfig } from "prisma/config";

// The CLI must always have a DATABASE_URL, or it falls back to the native
// engine. With a config file present it does not read .env, so default here.
process.env.DATABASE_URL ??= "postgresql://postgres@127.0.0.1:5432/surge";

// The WASM engine cannot decode pg_catalog's "char" (OID 18) columns through
// adapter-pg; report them as text (OID 25). This patch lives only in the CLI.
type FieldDescription = { dataTypeID: number };
const resultPrototype = pg.Result.prototype as unknown as { addFields(fields: FieldDescription[]): void };
const addFields = resultPrototype.addFields;
resultPrototype.addFields = function (fields: FieldDescription[]) {
  for (const field of fields) if (field.dataTypeID === 18) field.dataTypeID = 25;
  return addFields.call(this, fields);
};

function connectionFields(url: string) {
  // Separate fields, not a connection string: the shadow-database code only
  // overrides `database`, and pg lets a connection string win over it.
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 5432),
    user: decodeURIComponent(parsed.username || "postgres"),
    password: decodeURIComponent(parsed.password),
    database: decodeURIComponent(parsed.pathname.slice(1) || "postgres"),
  };
}

// adapter-pg runs a migration script by splitting it on every ";", which
// breaks function bodies ($$ ... $$). Send the script as one simple query
// instead: PostgreSQL parses the statements itself, and they run in one
// implicit transaction, so a failing migration leaves nothing half-applied.
type ScriptRunner = { client: pg.Pool; onError(error: unknown): never; executeScript(script: string): Promise<void> };
function runScriptsWhole<A extends object>(adapter: A): A {
  const runner = adapter as unknown as ScriptRunner;
  runner.executeScript = async (script: string) => {
    try {
      await runner.client.query(script);
    } catch (error) {
      runner.onError(error);
    }
  };
  return adapter;
}

export default defineConfig({
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations"), seed: "tsx prisma/seed.ts" },
  engine: "js",
  experimental: { adapter: true },
  async adapter() {
    const fields = connectionFields(process.env.DATABASE_URL!);
    const factory = new PrismaPg(fields);
    const connect = factory.connect.bind(factory);
    factory.connect = async () => runScriptsWhole(await connect());
    // adapter-pg drops its shadow database while the pool is still open and
    // leaves it behind; make our own and close the pool before dropping it.
    factory.connectToShadowDb = async () => {
      const admin = new pg.Client(fields);
      await admin.connect();
      const shadow = `surge_shadow_${randomUUID().replaceAll("-", "")}`;
      await admin.query(`CREATE DATABASE "${shadow}"`);
      await admin.end();
      const adapter = runScriptsWhole(await new PrismaPg({ ...fields, database: shadow }).connect());
      const dispose = adapter.dispose.bind(adapter);
      adapter.dispose = async () => {
        await dispose();
        const cleaner = new pg.Client(fields);
        await cleaner.connect();
        await cleaner.query(`DROP DATABASE IF EXISTS "${shadow}" WITH (FORCE)`);
        await cleaner.end();
      };
      return adapter;
    };
    return factory;
  },
});
