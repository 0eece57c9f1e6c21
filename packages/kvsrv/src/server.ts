import type { Transport } from "@raftkit/raft";
import type { KvCommand, KvResult } from "./commands.js";
import { MalformedCommandError } from "./errors.js";
import { KV_METHODS, type KvReply, opOfMethod } from "./protocol.js";
import { KvStateMachine, type KvStateMachineOptions } from "./state-machine.js";
import { malformedResult, parseKvRequest } from "./validate.js";

export interface KvServerOptions extends KvStateMachineOptions {
  /** The state machine to serve; a fresh one by default. */
  stateMachine?: KvStateMachine;
}

/**
 * The single-server key/value service: answers `KVServer.Get`, `.Put`, `.Append` and `.Delete`
 * by applying them to a KvStateMachine in arrival order. Requests are handled synchronously,
 * so each one is atomic. A bad request gets a `malformed` (or `unknown-method`)
 * reply and the server keeps serving.
 */
export class KvServer {
  readonly stateMachine: KvStateMachine;
  private appliedCount = 0;

  constructor(options: KvServerOptions = {}) {
    this.stateMachine = options.stateMachine ?? new KvStateMachine(options);
  }

  /** Serves requests arriving on `transport`. */
  listen(transport: Pick<Transport, "listen">): this {
    transport.listen((method, args) => this.handle(method, args));
    return this;
  }

  /** Answers one request: `method` is one of KV_METHODS, `args` the untrusted RPC arguments. */
  handle(method: string, args: unknown): KvReply {
    const op = opOfMethod(method);
    if (op === undefined) return { status: "unknown-method", method, methods: Object.values(KV_METHODS) };
    let command: KvCommand;
    try {
      command = parseKvRequest(op, args);
    } catch (error) {
      if (error instanceof MalformedCommandError) return malformedResult(error);
      throw error;
    }
    return this.apply(command);
  }

  /** Executes a well-formed command directly (what `handle` does after checking the request). */
  apply(command: KvCommand): KvResult {
    this.appliedCount++;
    return this.stateMachine.apply(command, this.appliedCount);
  }
}

/**
 * Handlers for an RPC framework that dispatches `"KVServer.<Method>"` to an object of methods
 * (such as labrpc's `new Service("KVServer", kvServiceHandlers(server))`).
 */
export function kvServiceHandlers(
  server: KvServer,
): Record<"Get" | "Put" | "Append" | "Delete", (args: unknown) => KvReply> {
  return {
    Get: (args) => server.handle(KV_METHODS.get, args),
    Put: (args) => server.handle(KV_METHODS.put, args),
    Append: (args) => server.handle(KV_METHODS.append, args),
    Delete: (args) => server.handle(KV_METHODS.delete, args),
  };
}
