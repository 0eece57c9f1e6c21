import { Clerk, type KvRaftEntry, KvRaftServer, kvRaftServiceHandlers } from "@raftkit/kvraft";
import type { CallableEnd, Clock, Random } from "@raftkit/raft";
import type { ChaosMember, MemberContext, MemberFactory } from "@raftkit/raft/testkit";

export interface KvRaftMemberOptions {
  reads?: "log" | "read-index";
  /** -1: never snapshot. */
  maxRaftState?: number;
  /** Breaks the server on purpose, for a negative control. */
  wrap?: (
    server: KvRaftServer,
    handlers: ReturnType<typeof kvRaftServiceHandlers>,
    clock: Clock,
  ) => ChaosMember["services"];
}

/** kvraft members: a KvRaftServer per incarnation, serving `KVServer.*` to clerks. */
export function kvRaftMember(options: KvRaftMemberOptions = {}): MemberFactory<KvRaftEntry> {
  return (ctx: MemberContext<KvRaftEntry>) => {
    const server = new KvRaftServer({
      id: ctx.id,
      peerCount: ctx.peerCount,
      transport: ctx.transport,
      persister: { ...bind(ctx.storage), raftStateSize: () => ctx.storage.raftStateSize?.() ?? 0 },
      clock: ctx.clock,
      random: ctx.random,
      maxRaftState: options.maxRaftState ?? -1,
      reads: options.reads ?? "log",
      onError: ctx.onError,
    });
    const handlers = kvRaftServiceHandlers(server);
    return {
      raft: server.raft,
      services: options.wrap ? options.wrap(server, handlers, ctx.clock) : { KVServer: handlers },
      kill: () => server.kill(),
    };
  };
}

/** The storage's methods bound to it, so they survive being spread into an object. */
function bind(storage: MemberContext<KvRaftEntry>["storage"]) {
  return {
    load: () => storage.load(),
    saveHardState: storage.saveHardState.bind(storage),
    appendEntries: storage.appendEntries.bind(storage),
    saveSnapshot: storage.saveSnapshot.bind(storage),
  };
}

/** A kvraft clerk over the chaos cluster's ends. */
export const kvRaftClient = (ends: readonly CallableEnd[], env: { clock: Clock; random: Random }): Clerk =>
  new Clerk(ends, { clock: env.clock, random: env.random });
