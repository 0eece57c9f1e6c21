import {
  type KvOk,
  type KvResult,
  KvStateMachine,
  MalformedCommandError,
  malformedResult,
} from "@raftkit/kvsrv";
import type { StateMachine } from "@raftkit/raft";
import { decodeKvCommand, type KvRaftCommand } from "./command.js";

/**
 * kvsrv's KvStateMachine fed kvraft's compact commands (see `KvRaftCommand`): the log holds the
 * compact form, the key/value logic and the snapshot format are kvsrv's.
 */
export class KvRaftStateMachine implements StateMachine<KvRaftCommand, KvResult, string, KvOk> {
  readonly inner = new KvStateMachine({ appendReturnsOldValue: false });

  /** Executes `command`; a malformed one executes nothing and returns a `malformed` result. */
  apply(command: KvRaftCommand, index: number): KvResult {
    try {
      return this.inner.apply(decodeKvCommand(command), index);
    } catch (error) {
      if (error instanceof MalformedCommandError) return malformedResult(error);
      throw error;
    }
  }

  query(key: string): KvOk {
    return this.inner.query(key);
  }

  snapshot(): Uint8Array {
    return this.inner.snapshot();
  }

  restore(snapshot: Uint8Array): void {
    this.inner.restore(snapshot);
  }
}
