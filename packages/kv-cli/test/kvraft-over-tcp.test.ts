import type { KvRaftEntry } from "@raftkit/kvraft";
import { Clerk, KvRaftServer } from "@raftkit/kvraft";
import { realClock, realRandom } from "@raftkit/labrpc";
import { MemoryPersister, type RequestHandler } from "@raftkit/raft";
import { endsOf, SERVICE_METHODS, splitTransport } from "@raftkit/service";
import { TcpTransport } from "@raftkit/transport-tcp";
import { freePorts } from "@raftkit/transport-tcp/testkit";
import { test } from "uvu";
import * as assert from "uvu/assert";

// kvraft over real sockets on 127.0.0.1, on the real clock, in one process: a member can be cut
// off by closing its TCP transport (listener and links) and joined again on the same port.

interface Member {
  server: KvRaftServer;
  tcp: TcpTransport | undefined;
  handler: RequestHandler | undefined;
}

async function startCluster(n: number) {
  const peers = (await freePorts(n)).map((p) => `127.0.0.1:${p}`);
  const members: Member[] = [];
  const plug = async (i: number) => {
    const member = members[i]!;
    const tcp = new TcpTransport({
      cluster: "kv",
      self: i,
      peers,
      log: () => {},
      backoff: { initialMs: 20, maxMs: 200 },
    });
    if (member.handler) tcp.listen(member.handler);
    await tcp.start();
    member.tcp = tcp;
  };
  for (let i = 0; i < n; i++) {
    const member: Member = {
      server: undefined as unknown as KvRaftServer,
      tcp: undefined,
      handler: undefined,
    };
    members.push(member);
    // A transport that survives its TCP transport being closed and replaced.
    const shared = splitTransport({
      call: (to, method, args) => member.tcp?.call(to, method, args, 500) ?? Promise.resolve({ ok: false }),
      listen: (handler) => {
        member.handler = handler;
        member.tcp?.listen(handler);
      },
    });
    member.server = new KvRaftServer({
      id: i,
      peerCount: n,
      transport: shared.raft,
      persister: new MemoryPersister<KvRaftEntry>(),
      clock: realClock,
      random: realRandom,
    });
    member.server.listen(shared.services);
    await plug(i);
  }
  const client = new TcpTransport({
    cluster: "kv",
    self: "test-client",
    peers,
    callTimeoutMs: 500,
    log: () => {},
  });
  const clerk = () =>
    new Clerk(
      endsOf(
        client,
        peers.map((_, i) => i),
      ),
      { retryDelayMs: 20 },
    );
  const leader = async () => {
    for (let tries = 0; tries < 200; tries++) {
      const found = members.findIndex((m) => m.tcp && m.server.raft.getState().isLeader);
      if (found >= 0) return found;
      await realClock.sleep(25);
    }
    throw new Error("no leader within 5 s");
  };
  return {
    members,
    clerk,
    leader,
    cut: async (i: number) => {
      const tcp = members[i]!.tcp;
      members[i]!.tcp = undefined;
      await tcp?.close();
    },
    plug,
    stop: async () => {
      for (const m of members) {
        m.server.kill();
        await m.tcp?.close();
      }
      await client.close();
    },
  };
}

test("kvraft over TCP: agreement, the leader cut off from everyone, and its return", async () => {
  const cluster = await startCluster(3);
  try {
    const ck = cluster.clerk();
    await ck.put("a", "1");
    await ck.append("a", "2");
    assert.is(await ck.get("a"), "12");

    const old = await cluster.leader();
    await cluster.cut(old);
    // The other two elect a leader and go on serving; nothing waits on the cut-off member.
    await ck.append("a", "3");
    assert.is(await ck.get("a"), "123");
    // A Get at the cut-off member alone can never be answered (it cannot reach a majority).
    const stale = Promise.resolve(cluster.members[old]!.server.handle(SERVICE_METHODS.read, { query: "a" }));
    const answer = await Promise.race([stale, realClock.sleep(300).then(() => "no answer")]);
    assert.ok(
      answer === "no answer" || (answer as { status: string }).status !== "ok",
      `stale read: ${JSON.stringify(answer)}`,
    );

    await cluster.plug(old);
    await ck.append("a", "4");
    const fresh = cluster.clerk();
    assert.is(await fresh.get("a"), "1234");
  } finally {
    await cluster.stop();
  }
});

test.run();
