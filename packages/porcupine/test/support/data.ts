import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The shared porcupine histories: `../shared/porcupine-data` relative to the repository root. */
export const DATA_DIR = fileURLToPath(new URL("../../../../../shared/porcupine-data/", import.meta.url));

function requireDataDir(): string {
  if (!existsSync(DATA_DIR)) {
    throw new Error(
      `porcupine test data not found at ${DATA_DIR}; it must sit at ../shared/porcupine-data relative to the ` +
        "repository root (see packages/porcupine/README.md)",
    );
  }
  return DATA_DIR;
}

/** Names of the etcd logs, e.g. `etcd_000.log`, sorted. */
export function etcdFiles(): string[] {
  return readdirSync(`${requireDataDir()}jepsen`)
    .filter((name) => /^etcd_\d{3}\.log$/.test(name))
    .sort();
}

export function readDataFile(relative: string): string {
  return readFileSync(`${requireDataDir()}${relative}`, "utf8");
}

/** Expected answers from porcupine's own tests (see the data README). */
const LINEARIZABLE_ETCD = new Set([
  2, 5, 7, 18, 25, 31, 38, 45, 48, 49, 51, 53, 56, 67, 75, 76, 80, 87, 92, 95, 98, 100, 101, 102,
]);

export function etcdExpected(name: string): "ok" | "illegal" {
  const number = Number(/(\d{3})/.exec(name)![1]);
  return LINEARIZABLE_ETCD.has(number) ? "ok" : "illegal";
}

export const KV_FILES = ["c01-ok", "c01-bad", "c10-ok", "c10-bad", "c50-ok", "c50-bad"] as const;
export type KvFile = (typeof KV_FILES)[number];
