import type { CallableEnd, Clock, Random, StateMachine } from "@raftkit/raft";
import type { MemberFactory } from "@raftkit/raft/testkit";
import { ServiceClient } from "../client/client.js";
import type { ServiceEntry } from "../replica/entry.js";
import { labrpcHandlers, serviceHandler, type WireParsers } from "../replica/rpc.js";
import { ReplicatedService } from "../service.js";
import type { ReplicaSettings } from "./cluster.js";

export interface ChaosReplicaOptions<C, R, Q, A> {
  /** A fresh state machine for each replica incarnation. */
  stateMachine: () => StateMachine<C, R, Q, A>;
  /** Options for every replica (snapshot policy, reads, timeouts, raft timing ...). */
  replica?: ReplicaSettings<C, R, Q, A>;
  parsers?: WireParsers<C, Q>;
}

/**
 * Members for the raft testkit's nemesis (`runChaos` from `@raftkit/raft/testkit`): a
 * ReplicatedService of your state machine per incarnation, serving `Service.*` to clients.
 */
export function chaosReplica<C, R, Q, A>(
  options: ChaosReplicaOptions<C, R, Q, A>,
): MemberFactory<ServiceEntry<C>> {
  return (ctx) => {
    const service = new ReplicatedService<C, R, Q, A>({
      ...options.replica,
      id: ctx.id,
      members: ctx.members,
      transport: ctx.transport,
      storage: ctx.storage,
      stateMachine: options.stateMachine(),
      clock: ctx.clock,
      random: ctx.random,
      onError: ctx.onError,
    });
    return {
      raft: service.node,
      services: { Service: labrpcHandlers(serviceHandler(service, options.parsers)) },
      kill: () => void service.close(),
    };
  };
}

/**
 * A client for a chaos workload: a ServiceClient over the nemesis's ends. Its calls may take up
 * to 10 minutes of virtual time, so a call caught in a fault finishes once the cluster heals
 * (the liveness oracle bounds that) instead of ending with an unknown outcome.
 */
export function chaosClient<C, R, Q, A>(
  ends: readonly CallableEnd[],
  env: { clock: Clock; random: Random },
): ServiceClient<C, R, Q, A> {
  return new ServiceClient<C, R, Q, A>(ends, { clock: env.clock, random: env.random, timeoutMs: 600_000 });
}
