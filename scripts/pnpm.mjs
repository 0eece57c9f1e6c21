#!/usr/bin/env node
// Runs the pnpm version named in package.json's "packageManager" through npx, so a fresh machine
// with only Node and npm needs no global pnpm (corepack does not work on our machines).
// Usage: node scripts/pnpm.mjs <pnpm arguments...>
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

const { packageManager } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
if (!/^pnpm@\d+\.\d+\.\d+$/.test(packageManager ?? "")) {
  console.error(`package.json "packageManager" must name an exact pnpm version, got ${packageManager}`);
  process.exit(2);
}
const result = spawnSync("npx", ["--yes", packageManager, ...process.argv.slice(2)], {
  stdio: "inherit",
  env: { ...process.env, npm_config_update_notifier: "false", TURBO_TELEMETRY_DISABLED: "1" },
});
process.exit(result.status ?? 1);
