// Builds the Remix app once per test run: HTTP and browser tests run the real build.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { root } from "../support/databases";

export default function buildApp() {
  if (process.env.SURGE_TEST_SKIP_BUILD === "1") return;
  execFileSync(process.execPath, [path.join(root, "node_modules/@remix-run/dev/dist/cli.js"), "build"], { cwd: root, stdio: "ignore" });
  // Later projects in the same run need not build again.
  process.env.SURGE_TEST_SKIP_BUILD = "1";
}
