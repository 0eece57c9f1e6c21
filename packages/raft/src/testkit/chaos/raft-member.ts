import type { RaftConfig } from "../../config.js";
import type { StateMachine } from "../../interfaces.js";
import { RaftNode } from "../../node/raft-node.js";
import type { MemberFactory } from "./member.js";

export interface RaftMemberOptions<Command> {
  /** Your state machine, one per incarnation; every member's results must agree index by index. */
  machine?: () => StateMachine<Command>;
  config?: Partial<RaftConfig>;
}

/**
 * Members that are a bare RaftNode applying committed commands to your state machine (a fresh
 * one per incarnation, which re-applies the log from the start: no snapshots here).
 */
export function raftMember<Command>(options: RaftMemberOptions<Command> = {}): MemberFactory<Command> {
  return (ctx) => {
    const machine = options.machine?.();
    const raft = new RaftNode<Command>({
      id: ctx.id,
      members: ctx.members,
      transport: ctx.transport,
      storage: ctx.storage,
      clock: ctx.clock,
      random: ctx.random,
      onError: ctx.onError,
      ...(options.config ? { config: options.config } : {}),
      onApply: (message) => {
        if (message.kind !== "command" || !machine) return;
        ctx.onApplied(message.index, machine.apply(message.command, message.index));
      },
    });
    return { raft, kill: () => raft.kill() };
  };
}
