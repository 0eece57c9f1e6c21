import { test } from "uvu";
import * as assert from "uvu/assert";
import { TcpTransport } from "../src/index.js";
import { makeCa } from "./certs.js";
import { captureLog, eventually, type LogLine, startCluster } from "./helpers.js";

const oldCa = makeCa("raftkit rotation test, old CA");
const newCa = makeCa("raftkit rotation test, new CA");

const logged = (lines: LogLine[], level: string, text: string) =>
  lines.some((l) => l.level === level && l.message.includes(text));

async function expectLogged(lines: LogLine[], level: string, text: string) {
  await eventually(() => logged(lines, level, text), 3000, `log has ${text}: ${JSON.stringify(lines)}`);
}

/**
 * Calls until a call fails with `text` logged: the first call after a rotation may go out on the
 * connection being closed and fail without a handshake.
 */
async function expectRefused(
  call: () => Promise<{ ok: boolean }>,
  lines: LogLine[],
  level: string,
  text: string,
) {
  await eventually(
    async () => !(await call()).ok && logged(lines, level, text),
    5000,
    `refused with ${text}: ${JSON.stringify(lines)}`,
  );
  assert.is((await call()).ok, false, "and refused again");
}

test("membership: a member removed from the allow-list is refused from then on, its certificate still valid", async () => {
  const logs = [0, 1, 2].map(() => captureLog());
  const { nodes, close } = await startCluster(3, (id) => ({
    tls: oldCa.tls(oldCa.member(id)),
    log: logs[id]!.log,
  }));
  for (const [id, node] of nodes.entries()) node.listen(() => id);
  try {
    assert.equal(await nodes[2]!.call(0, "AppendEntries", {}), { ok: true, reply: 0 });
    nodes[0]!.setMembers([0, 1]); // member 2 leaves the configuration
    const reason = "member 2 is not in the configuration";
    const refusals = () =>
      logs[0]!.lines.filter(
        (l) =>
          l.level === "warn" &&
          /^refused "2" \(127\.0\.0\.1:\d+\): /.test(l.message) &&
          l.message.endsWith(reason),
      ).length;
    // Its open connection is closed now, and its next handshake is refused: both logged by member 0.
    await eventually(() => refusals() === 1, 3000, "member 0 closes member 2's open connection");
    await expectRefused(
      () => nodes[2]!.call(0, "AppendEntries", {}),
      logs[2]!.lines,
      "error",
      `refused us: ${reason}`,
    );
    assert.ok(refusals() >= 2, JSON.stringify(logs[0]!.lines));
    // Member 0 does not call it either; member 1 is served as before.
    assert.equal(await nodes[0]!.call(2, "AppendEntries", {}), { ok: false });
    assert.equal(await nodes[1]!.call(0, "AppendEntries", {}), { ok: true, reply: 0 });
    nodes[0]!.setMembers([0, 1, 2]);
    await eventually(async () => (await nodes[2]!.call(0, "X", {})).ok, 5000, "member 2 let back in");
  } finally {
    await close();
  }
});

test("rotation: updateTls to a new CA refuses the old certificates on new connections and accepts the new", async () => {
  const logs = [0, 1].map(() => captureLog());
  const { nodes, close } = await startCluster(2, (id) => ({
    tls: oldCa.tls(oldCa.member(id)),
    log: logs[id]!.log,
  }));
  for (const [id, node] of nodes.entries()) node.listen(() => id);
  try {
    assert.equal(await nodes[0]!.call(1, "X", {}), { ok: true, reply: 1 });
    nodes[1]!.updateTls(newCa.tls(newCa.member(1)));
    // The open connection was closed; member 0, still on the old CA, is refused both ways.
    const notOurs = "certificate is not signed by our CA";
    await expectRefused(() => nodes[0]!.call(1, "X", {}), logs[0]!.lines, "error", `the member's ${notOurs}`);
    await expectLogged(logs[1]!.lines, "warn", `the caller's ${notOurs}`);
    await expectRefused(() => nodes[1]!.call(0, "X", {}), logs[1]!.lines, "error", `the member's ${notOurs}`);
    nodes[0]!.updateTls(newCa.tls(newCa.member(0)));
    await eventually(async () => (await nodes[0]!.call(1, "X", {})).ok, 5000, "0 -> 1 on the new CA");
    await eventually(async () => (await nodes[1]!.call(0, "X", {})).ok, 5000, "1 -> 0 on the new CA");
  } finally {
    await close();
  }
});

test("rotation: a replaced certificate, once revoked, is refused while its replacement is accepted", async () => {
  const logs = [0, 1].map(() => captureLog());
  const replaced = oldCa.member(0);
  const { nodes, addresses, close } = await startCluster(2, (id) => ({
    tls: oldCa.tls(id === 0 ? replaced : oldCa.member(id)),
    log: logs[id]!.log,
  }));
  nodes[1]!.listen(() => "ok");
  const thief = captureLog();
  const stolen = new TcpTransport({
    cluster: "test",
    self: 0,
    peers: addresses,
    tls: oldCa.tls(replaced),
    log: thief.log,
  });
  try {
    assert.equal(await stolen.call(1, "X", {}), { ok: true, reply: "ok" });
    // Member 0 gets a new certificate; the old one is revoked and member 1 loads the new list.
    nodes[0]!.updateTls(oldCa.tls(oldCa.member(0)));
    nodes[1]!.updateTls(oldCa.tls(oldCa.member(1), oldCa.revoke(replaced)));
    const reason = "the caller's certificate has been revoked (CERT_REVOKED)";
    await expectRefused(() => stolen.call(1, "X", {}), thief.lines, "error", `refused us: ${reason}`);
    await expectLogged(logs[1]!.lines, "warn", reason);
    await eventually(async () => (await nodes[0]!.call(1, "X", {})).ok, 5000, "the replacement is accepted");
  } finally {
    await Promise.all([stolen.close(), close()]);
  }
});

test("rotation: updateTls on a transport without TLS is a configuration error", () => {
  const t = new TcpTransport({ cluster: "test", self: 0 });
  assert.throws(
    () => t.updateTls(oldCa.tls(oldCa.member(0))),
    /updateTls needs a transport created with `tls`/,
  );
});

test.after(() => {
  oldCa.dispose();
  newCa.dispose();
});

test.run();
