import { Clerk, type KvRaftEntry, KvRaftServer } from "@raftkit/kvraft";
import type { CallableEnd, Clock, Random } from "@raftkit/raft";
import type { ChaosMember, MemberContext, MemberFactory } from "@raftkit/raft/testkit";
import { labrpcHandlers } from "@raftkit/service";

export interface KvRaftMemberOptions {
  reads?: "log" | "read-index";
  /** -1: never snapshot. */
  maxRaftState?: number;
  /** Breaks the server on purpose, for a negative control. */
  wrap?: (
    server: KvRaftServer,
    handlers: ReturnType<typeof labrpcHandlers>,
    clock: Clock,
  ) => ChaosMember["services"];
}

/** kvraft members: a KvRaftServer per incarnation, serving the service layer's `Service.*` to clerks. */
export function kvRaftMember(options: KvRaftMemberOptions = {}): MemberFactory<KvRaftEntry> {
  return (ctx: MemberContext<KvRaftEntry>) => {
    const server = new KvRaftServer({
      id: ctx.id,
      members: ctx.members,
      transport: ctx.transport,
      persister: { ...bind(ctx.storage), raftStateSize: () => ctx.storage.raftStateSize?.() ?? 0 },
      clock: ctx.clock,
      random: ctx.random,
      maxRaftState: options.maxRaftState ?? -1,
      reads: options.reads ?? "log",
      onError: ctx.onError,
    });
    const handlers = labrpcHandlers(server.handle);
    return {
      raft: server.raft,
      services: options.wrap ? options.wrap(server, handlers, ctx.clock) : { Service: handlers },
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
