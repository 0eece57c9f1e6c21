// Three `raftkit-kv serve` members on 127.0.0.1 (fsync on, as the kvraft-tcp-3 scenario) and a
// client transport to them, for the scripts that measure one put from the inside (put-costs.mjs,
// put-timeline.mjs). Each member runs with `nodeArgs` before the program and `env` added to ours.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { ADMIN_STATUS } from "@raftkit/kv-cli";
import { SERVICE_WIRE_CODECS } from "@raftkit/service";
import { TcpTransport } from "@raftkit/transport-tcp";
import { freePorts } from "@raftkit/transport-tcp/testkit";

const cli = join(
  dirname(createRequire(import.meta.url).resolve("@raftkit/kv-cli/package.json")),
  "dist/main.js",
);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts the members, each keeping its data in `dir/<id>`; resolves once one of them leads.
 * `close()` stops them (SIGKILL) and the client transport.
 */
export async function startLocalCluster({ dir, env = {}, nodeArgs = [], serveArgs = [] }) {
  const peers = (await freePorts(3)).map((p) => `127.0.0.1:${p}`);
  const members = peers.map((_, id) =>
    spawn(
      process.execPath,
      [
        ...nodeArgs,
        cli,
        "serve",
        "--id",
        `${id}`,
        "--peers",
        peers.join(","),
        "--data",
        join(dir, `${id}`),
        ...serveArgs,
      ],
      { env: { ...process.env, ...env }, stdio: "ignore" },
    ),
  );
  const tcp = new TcpTransport({
    cluster: "raftkit",
    self: "bench",
    peers,
    callTimeoutMs: 1000,
    codecs: SERVICE_WIRE_CODECS,
    log: () => {},
  });
  const close = async () => {
    await tcp.close();
    for (const m of members) m.kill("SIGKILL");
  };
  try {
    for (let i = 0; ; i++) {
      const statuses = await Promise.all(
        peers.map(async (_, id) => (await tcp.call(id, ADMIN_STATUS, null)).reply),
      );
      if (statuses.some((s) => s?.isLeader)) break;
      if (i > 300) throw new Error("no leader within 15 s");
      await sleep(50);
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { peers, members, tcp, close };
}
