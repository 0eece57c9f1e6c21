import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** porcupine's published test histories, kept in the repository (see `test/data/README.md`). */
export const DATA_DIR = fileURLToPath(new URL("../data/", import.meta.url));

/** Names of the etcd logs, e.g. `etcd_000.log`, sorted. */
export function etcdFiles(): string[] {
  return readdirSync(`${DATA_DIR}jepsen`)
    .filter((name) => /^etcd_\d{3}\.log$/.test(name))
    .sort();
}

export function readDataFile(relative: string): string {
  return readFileSync(`${DATA_DIR}${relative}`, "utf8");
}

/** Expected answers from porcupine's own tests (see the data README); 095 is the empty log. */
const LINEARIZABLE_ETCD = new Set([
  2, 5, 7, 18, 25, 31, 38, 45, 48, 49, 51, 53, 56, 67, 75, 76, 80, 87, 92, 95, 98, 100, 101, 102,
]);

export function etcdExpected(name: string): "ok" | "illegal" {
  const number = Number(/(\d{3})/.exec(name)![1]);
  return LINEARIZABLE_ETCD.has(number) ? "ok" : "illegal";
}

export const KV_FILES = ["c01-ok", "c01-bad", "c10-ok", "c10-bad", "c50-ok", "c50-bad"] as const;
export type KvFile = (typeof KV_FILES)[number];
