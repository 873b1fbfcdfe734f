import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const alias = { "~": fileURLToPath(new URL("./app", import.meta.url)) };

// Browser tests need Debian's Chromium (CHROMIUM_PATH or /usr/bin/chromium).
// CI installs it and always runs them; elsewhere they run when it is there.
const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const browserTests = process.env.CI === "true" || existsSync(chromium);
if (!browserTests) {
  console.warn(`\n[surge] Browser tests (tests/e2e) NOT run: no Chromium at ${chromium}. Install Debian's chromium to run them.\n`);
}

// "unit": plain domain modules, no database. "db": anything that talks to a
// database; each test file gets a fresh one (embedded PGlite by default,
// PostgreSQL when TEST_DATABASE_URL is set). "e2e": real server + Chromium.
export default defineConfig({
  resolve: { alias },
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["app/**/*.test.{ts,tsx}"],
          // A few unit tests parse 10,000-row files: room for a busy machine (speed is measured in bench/).
          testTimeout: 30_000,
          exclude: ["app/**/*.server.test.ts", "node_modules/**"],
        },
      },
      {
        resolve: { alias },
        test: {
          name: "db",
          include: ["app/**/*.server.test.ts", "tests/*.test.ts"],
          globalSetup: ["tests/setup/build-app.ts", "tests/setup/global-setup.ts"],
          setupFiles: ["tests/setup/database.ts"],
          // The in-process HTTP servers of these tests log warnings only (app processes they start log at info).
          env: { SURGE_LOG_LEVEL: "warn" },
          pool: "forks",
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
      ...(browserTests
        ? [
            {
              resolve: { alias },
              test: {
                name: "e2e",
                include: ["tests/e2e/**/*.test.ts"],
                // A browser on a busy CI machine can take more than the default second to show a result.
                expect: { poll: { timeout: 20_000 } },
                globalSetup: ["tests/setup/build-app.ts"],
                pool: "forks" as const,
                fileParallelism: false,
                testTimeout: 120_000,
                hookTimeout: 180_000,
              },
            },
          ]
        : []),
    ],
  },
});
