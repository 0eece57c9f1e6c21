import { type Simulation, simTest } from "@raftkit/labrpc";
import { type CallResult, MemoryPersister, type RequestHandler, type Transport } from "@raftkit/raft";
import { endsOf, splitTransport } from "@raftkit/service";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { KvRaftEntry } from "../src/index.js";
import { Clerk, KvRaftServer } from "../src/index.js";

/**
 * A minimal network of single-handler transports (like one TCP port per member): a call takes
 * 1 ms, copies its arguments and reply, and fails when the target is down.
 */
class Hub {
  private readonly handlers = new Map<number, RequestHandler>();
  readonly down = new Set<number>();

  constructor(private readonly sim: Simulation) {}

  transport(self: number | "client"): Transport {
    return {
      call: async (to, method, args): Promise<CallResult<unknown>> => {
        await this.sim.sleep(1);
        const handler = this.handlers.get(to);
        if (!handler || this.down.has(to) || (self !== "client" && this.down.has(self))) return { ok: false };
        const reply = await handler(method, structuredClone(args));
        return this.down.has(to) ? { ok: false } : { ok: true, reply: structuredClone(reply) };
      },
      listen: (handler) => {
        if (self !== "client") this.handlers.set(self, handler);
      },
    };
  }
}

test(
  "raft and the key/value service share one single-handler transport per server",
  simTest(async (sim) => {
    const hub = new Hub(sim);
    const servers = [0, 1, 2].map((id) => {
      const shared = splitTransport(hub.transport(id));
      return new KvRaftServer({
        id,
        peerCount: 3,
        transport: shared.raft,
        persister: new MemoryPersister<KvRaftEntry>(),
        clock: sim,
        random: sim.random,
        maxRaftState: 2000,
      }).listen(shared.services);
    });
    const ck = new Clerk(endsOf(hub.transport("client"), [0, 1, 2]), { clock: sim, random: sim.random });
    await ck.put("k", "a");
    await ck.append("k", "b");
    assert.is(await ck.get("k"), "ab");
    const leader = servers.findIndex((s) => s.raft.getState().isLeader);
    hub.down.add(leader);
    servers[leader]!.kill();
    await ck.append("k", "c");
    assert.is(await ck.get("k"), "abc");
    for (const s of servers) s.kill();
  }),
);

test.run();
