import { KvStateMachine, MalformedCommandError, malformedResult } from "@raftkit/kvsrv";
import type { StateMachine } from "@raftkit/raft";
import { decodeKvCommand, type KvRaftAnswer, type KvRaftCommand, type KvRaftResult } from "./command.js";

/**
 * kvsrv's KvStateMachine fed kvraft's compact commands (see `KvRaftCommand`), answering with
 * kvraft's compact results (see `KvRaftResult`): the log holds the compact form, the key/value
 * logic and the snapshot format are kvsrv's.
 */
export class KvRaftStateMachine implements StateMachine<KvRaftCommand, KvRaftResult, string, KvRaftAnswer> {
  readonly inner = new KvStateMachine({ appendReturnsOldValue: false });

  /** Executes `command`; a malformed one executes nothing and returns a `malformed` result. */
  apply(command: KvRaftCommand, index: number): KvRaftResult {
    try {
      const result = this.inner.apply(decodeKvCommand(command), index);
      return result.status === "ok" ? result.value : result;
    } catch (error) {
      if (error instanceof MalformedCommandError) return malformedResult(error);
      throw error;
    }
  }

  /** The value of `key`, or undefined when it has none. */
  query(key: string): KvRaftAnswer {
    return this.inner.lookup(key);
  }

  snapshot(): Uint8Array {
    return this.inner.snapshot();
  }

  restore(snapshot: Uint8Array): void {
    this.inner.restore(snapshot);
  }
}
