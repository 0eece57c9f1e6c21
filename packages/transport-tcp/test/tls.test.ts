import { connect } from "node:tls";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { TcpTransport } from "../src/index.js";
import { makeCa } from "./certs.js";
import { captureLog, eventually, type LogLine, startCluster } from "./helpers.js";
import { hello } from "./raw-client.js";

const cluster = makeCa("raftkit test cluster");
const rogue = makeCa("someone else");
const members = [0, 1, 2].map((id) => cluster.member(id));

test("mutual TLS: members with their own certificates from the cluster CA talk both ways", async () => {
  const { nodes, close } = await startCluster(3, (id) => ({ tls: cluster.tls(members[id]!) }));
  for (const [id, node] of nodes.entries()) node.listen(() => `node ${id}`);
  try {
    for (const [from, to] of [
      [0, 1],
      [1, 2],
      [2, 0],
    ] as const) {
      assert.equal(await nodes[from]!.call(to, "Who", null), { ok: true, reply: `node ${to}` });
    }
  } finally {
    await close();
  }
});

test("mutual TLS: a certificate from another CA is refused; both sides log it", async () => {
  const server = captureLog();
  const { nodes, addresses, close } = await startCluster(2, (id) => ({
    tls: cluster.tls(members[id]!),
    log: server.log,
  }));
  let served = 0;
  nodes[1]!.listen(() => ++served);
  const caller = captureLog();
  const impostor = new TcpTransport({
    cluster: "test",
    self: 0,
    peers: addresses,
    tls: { ...rogue.member(0), ca: cluster.ca.cert },
    log: caller.log,
  });
  try {
    assert.equal(await impostor.call(1, "X", 1), { ok: false });
    const reason = "the caller's certificate is not signed by our CA (";
    const logged = (lines: LogLine[], level: string, text: string) =>
      lines.some((l) => l.level === level && l.message.includes(text));
    await eventually(
      () => logged(caller.lines, "error", `refused us: ${reason}`),
      3000,
      "the caller logs it",
    );
    await eventually(() => logged(server.lines, "warn", reason), 3000, "the member logs it");
    assert.is(served, 0);
    assert.equal(await nodes[0]!.call(1, "X", 1), { ok: true, reply: 1 });
  } finally {
    await Promise.all([impostor.close(), close()]);
  }
});

test("mutual TLS: a client with no certificate cannot send a request; both sides see why", async () => {
  const server = captureLog();
  const { nodes, addresses, close } = await startCluster(2, (id) => ({
    tls: cluster.tls(members[id]!),
    log: server.log,
  }));
  let served = 0;
  nodes[1]!.listen(() => ++served);
  try {
    // A hello written anyway never gets answered.
    const socket = connect({
      host: "127.0.0.1",
      port: Number(addresses[1]!.split(":")[1]),
      ca: cluster.ca.cert,
      checkServerIdentity: () => undefined,
    });
    let clientError: Error | undefined;
    socket.on("error", (error) => (clientError = error));
    const received: Buffer[] = [];
    socket.on("data", (d: Buffer) => received.push(d));
    socket.write(hello(1));
    await new Promise<void>((resolve) => socket.once("close", () => resolve()));
    assert.is(served, 0);
    assert.ok(
      server.lines.some((l) =>
        /refused an unidentified caller .*: the caller presented no certificate/.test(l.message),
      ),
      JSON.stringify(server.lines),
    );
    assert.is(clientError, undefined, "the member answers with a refusal frame, not a broken handshake");
    assert.match(Buffer.concat(received).toString(), /the caller presented no certificate/);
    assert.equal(await nodes[0]!.call(1, "X", 1), { ok: true, reply: 1 });
  } finally {
    await close();
  }
});

test.after(() => {
  cluster.dispose();
  rogue.dispose();
});

test.run();
