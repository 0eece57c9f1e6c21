import { simTest } from "@raftkit/labrpc";
import { encode } from "cbor-x";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { MalformedRequestError, SERVICE_METHODS, SnapshotFormatError, serviceHandler } from "../src/index.js";
import { checkEntry } from "../src/replica/entry.js";
import { decodeServiceSnapshot, encodeServiceSnapshot } from "../src/replica/snapshot-codec.js";
import { ServiceCluster } from "../src/testkit/index.js";
import { Counter } from "./helpers/counter.js";

test(
  "a session's id is the log index of the entry that opened it: every replica knows it, none repeats",
  simTest(async (sim) => {
    const cluster = new ServiceCluster(sim, { servers: 3, stateMachine: () => new Counter() });
    const [a, b] = [cluster.client(), cluster.client()];
    assert.is(await a.submit({ add: 1 }), 1);
    assert.is(await b.submit({ add: 1 }), 2);
    const leader = cluster.replica(cluster.leader()!)!;
    const opened = await leader.openSession();
    assert.ok(opened <= leader.appliedIndex, `opened at ${opened}, applied ${leader.appliedIndex}`);
    const ids = [a.sessionId!, b.sessionId!, opened];
    assert.equal(
      [...ids].sort((x, y) => x - y),
      ids,
      "ids grow with the log",
    );
    assert.is(new Set(ids).size, 3);
    // The session opened directly works for a submit on that replica, once per seq.
    assert.is(await leader.submit({ add: 5 }, { session: { sessionId: opened, seq: 1 } }), 7);
    assert.is(await leader.submit({ add: 5 }, { session: { sessionId: opened, seq: 1 } }), 7);
    await sim.sleep(500);
    for (const id of [0, 1, 2]) assert.is(cluster.replica(id)!.sessionCount, 3, `replica ${id}`);
    await cluster.close();
  }),
);

test(
  "a Submit with a client-made id (an older client) is refused MALFORMED, saying to upgrade",
  simTest(async (sim) => {
    const cluster = new ServiceCluster(sim, { servers: 3, stateMachine: () => new Counter() });
    while (cluster.leader() === undefined) await sim.sleep(100);
    const handler = serviceHandler(cluster.replica(cluster.leader()!)!);
    const reply = (await handler(SERVICE_METHODS.submit, {
      clientId: "abc",
      seq: 1,
      command: { add: 1 },
    })) as {
      code?: string;
      message?: string;
    };
    assert.is(reply.code, "MALFORMED");
    assert.match(
      reply.message ?? "",
      /"session" must be the positive integer Service.OpenSession replied with/,
    );
    assert.match(reply.message ?? "", /upgrade it/);
    await cluster.close();
  }),
);

test("a snapshot of the previous format (sessions by client id) is refused by name, never misread", () => {
  const old = encode({ v: 1, machine: new Uint8Array([1]), sessions: [["Zx3_clientid", 4, 9, 1]] });
  assert.throws(
    () => decodeServiceSnapshot(old),
    (e: unknown) =>
      e instanceof SnapshotFormatError && /version 1 \(sessions named by client ids/.test(e.message),
  );
  const now = encodeServiceSnapshot({ machine: new Uint8Array([1]), sessions: [[7, 4, 9, 1]] });
  assert.equal(decodeServiceSnapshot(now).sessions, [[7, 4, 9, 1]]);
  const stringIds = encode({ v: 2, machine: new Uint8Array([1]), sessions: [["7", 4, 9, 1]] });
  assert.throws(
    () => decodeServiceSnapshot(stringIds),
    (e: unknown) => e instanceof SnapshotFormatError,
  );
});

test("a log entry of the previous format (a client id string) is refused by name", () => {
  for (const old of [
    [1, "Zx3_clientid", 1, { add: 1 }],
    [2, "Zx3_clientid"],
  ]) {
    assert.throws(
      () => checkEntry(old),
      (e: unknown) =>
        e instanceof MalformedRequestError && /before cluster-assigned session ids/.test(e.message),
      JSON.stringify(old),
    );
  }
  assert.equal(checkEntry([1, 12, 3, { add: 1 }]), {
    kind: "session",
    sessionId: 12,
    seq: 3,
    command: { add: 1 },
  });
  assert.equal(checkEntry([2]), { kind: "open" });
});

test.run();
