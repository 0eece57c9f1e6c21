import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

/** The environment variable that names the etcd binary, instead of looking for `etcd` on PATH. */
export const ETCD_ENV = "RAFTKIT_ETCD";

const isExecutable = (path: string) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** The etcd binary to run: $RAFTKIT_ETCD if set, else the first executable `etcd` on PATH. */
export function findEtcd(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const given = env[ETCD_ENV];
  const candidates = given
    ? [given]
    : (env.PATH ?? "")
        .split(delimiter)
        .filter((dir) => dir !== "")
        .map((dir) => join(dir, "etcd"));
  return candidates.find(isExecutable);
}

/** Why no etcd binary was found, and what to do, for an error message. */
export function missingEtcd(env: NodeJS.ProcessEnv = process.env): string {
  const given = env[ETCD_ENV];
  const why = given ? `${ETCD_ENV}=${given} is not an executable file` : "there is no etcd on PATH";
  return `the etcd scenarios need an etcd binary (3.4 or later), but ${why}; install etcd or set ${ETCD_ENV} to its path`;
}
