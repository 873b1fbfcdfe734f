import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";

// One client per process, kept on globalThis so that the server build, tests
// and scripts that import this module separately still share one pool.
const globalForPrisma = globalThis as unknown as { __surgePrisma?: PrismaClient };

export function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) {
    throw new Error(
      "DATABASE_URL is not set. `npm start` starts the embedded database and sets it; " +
        "to use PostgreSQL set DATABASE_URL=postgresql://user@host:5432/db.",
    );
  }
  return url;
}

function createClient(): PrismaClient {
  // The embedded database serves one connection at a time, so its pool is 1.
  const max = Number(process.env.DATABASE_POOL_MAX ?? 10);
  const adapter = new PrismaPg({ connectionString: databaseUrl(), max });
  return new PrismaClient({ adapter });
}

export function getDb(): PrismaClient {
  globalForPrisma.__surgePrisma ??= createClient();
  return globalForPrisma.__surgePrisma;
}

/** Lazily connected client: importing this module never opens a connection. */
export const db: PrismaClient = new Proxy({} as PrismaClient, {
  get(_target, property) {
    const client = getDb();
    const value = Reflect.get(client, property, client);
    return typeof value === "function" ? value.bind(client) : value;
  },
});

export async function disconnectDb(): Promise<void> {
  const client = globalForPrisma.__surgePrisma;
  globalForPrisma.__surgePrisma = undefined;
  await client?.$disconnect();
}
