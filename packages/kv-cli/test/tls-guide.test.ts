import { execFile } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { join } from "node:path";
import { connect, type PeerCertificate } from "node:tls";
import { TcpTransport } from "@raftkit/transport-tcp";
import { freePorts } from "@raftkit/transport-tcp/testkit";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { CLI, ProcessCluster } from "./helpers/process-cluster.js";
import { guide, guideCertificates } from "./helpers/tls-guide.js";

// Real processes and sockets on 127.0.0.1: the README's TLS guide, run as written.

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", CLI, ...args],
      { timeout: 30_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) || 1 : 0, stdout, stderr }),
    );
  });
}

async function until(check: () => boolean, withinMs: number, what: string): Promise<void> {
  const deadline = performance.now() + withinMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`not within ${withinMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test("TLS guide: its openssl commands make certificates a 3-member cluster and a client use; a client certificate never sends raft messages, a member only in its own name; SIGHUP rotates a member's certificate", async () => {
  assert.ok(guide, "the README has the TLS guide's sh block");
  const made = guideCertificates();
  const { root } = made;
  const files = made.flags;
  const peers = (await freePorts(3)).map((port) => `127.0.0.1:${port}`);
  const cluster = new ProcessCluster(
    peers,
    (i) => join(root, `data-${i}`),
    (i) => files(`member-${i}`),
  );
  const client = [...files("client"), "--peers", peers.join(","), "--timeout", "15000"];
  try {
    for (let i = 0; i < 3; i++) cluster.start(i);
    await cluster.leader(20_000);
    assert.equal(await run(["put", "greeting", "hello", ...client]), { code: 0, stdout: "OK\n", stderr: "" });
    assert.is((await run(["get", "greeting", ...client])).stdout, "hello\n");
    for (let i = 0; i < 3; i++) await cluster.logged(i, "with mutual TLS");

    // The client's certificate gets it the key/value service, never raft's methods.
    const read = made.read;
    const sneaky = new TcpTransport({
      cluster: "raftkit",
      self: "cli",
      peers,
      tls: { cert: read("client.crt"), key: read("client.key"), ca: read("ca.crt") },
      log: () => {},
    });
    assert.equal(await sneaky.call(0, "AppendEntries", { term: 1000 }), { ok: false });
    await sneaky.close();
    // A member's certificate sends raft messages only in its own name.
    const posing = new TcpTransport({
      cluster: "raftkit",
      self: 2,
      peers,
      tls: { cert: read("member-2.crt"), key: read("member-2.key"), ca: read("ca.crt") },
      log: () => {},
    });
    const forged = { term: 0, leaderId: 1, prevLogIndex: 0, prevLogTerm: 0, entries: [], leaderCommit: 0 };
    assert.equal(await posing.call(0, "AppendEntries", forged), { ok: false });
    await posing.close();
    await until(
      () =>
        cluster
          .logOf(0)
          // level 50 is error
          .some((l) =>
            /"level":50.*request AppendEntries from \\"2\\" failed: member 2 sent AppendEntries with leaderId 1/.test(
              l,
            ),
          ),
      5000,
      `member 0 logs the forged sender: ${cluster.logOf(0).join("\n")}`,
    );
    await until(
      () =>
        cluster
          .logOf(0)
          // A JSON log line (the member's stderr is not a terminal): level 40 is warn.
          .some((l) =>
            /"level":40.*refused \\"cli\\" .*a client certificate may not call \\"AppendEntries/.test(l),
          ),
      5000,
      `member 0 logs the refusal: ${cluster.logOf(0).join("\n")}`,
    );

    // Rotation: a new certificate for member 0 in place of the old files, then SIGHUP.
    const before = new X509Certificate(read("member-0.crt")).serialNumber;
    const reissue = guide!.split("\n").filter((l) => /member-\$id/.test(l) || /^\s+-extfile member/.test(l));
    made.openssl(`id=0\n${reissue.join("\n")}`);
    const after = new X509Certificate(read("member-0.crt")).serialNumber;
    assert.is.not(after, before, "a new certificate was issued");
    cluster.signal(0, "SIGHUP");
    await until(
      () => cluster.logOf(0).some((l) => l.includes("SIGHUP: reloaded TLS")),
      5000,
      "member 0 reloads",
    );
    const presented = await new Promise<PeerCertificate>((resolve, reject) => {
      const socket = connect({
        host: "127.0.0.1",
        port: Number(peers[0]!.split(":")[1]),
        cert: read("member-1.crt"),
        key: read("member-1.key"),
        ca: read("ca.crt"),
        checkServerIdentity: () => undefined,
      });
      socket.once("secureConnect", () => {
        resolve(socket.getPeerCertificate());
        socket.destroy();
      });
      socket.once("error", reject);
    });
    assert.is(presented.serialNumber, after, "new connections get the new certificate");
    assert.is((await run(["get", "greeting", ...client])).stdout, "hello\n", "the cluster serves on");
  } finally {
    await cluster.stopAll();
    made.dispose();
  }
});

test.run();
