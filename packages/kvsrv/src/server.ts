import type { Transport } from "@raftkit/raft";
import { DEFAULT_MAX_SESSIONS, SessionTable } from "@raftkit/service";
import { MalformedCommandError } from "./errors.js";
import {
  KV_METHODS,
  KV_OPEN_SESSION,
  KV_SERVER_METHODS,
  type KvReply,
  type KvSessionExpired,
  type KvSuperseded,
  opOfMethod,
} from "./protocol.js";
import { KvStateMachine, type KvStateMachineOptions } from "./state-machine.js";
import { malformedResult, parseClientId, parseKvRequest } from "./validate.js";

export interface KvServerOptions extends KvStateMachineOptions {
  /** The state machine to serve; a fresh one by default. */
  stateMachine?: KvStateMachine;
  /**
   * Client sessions kept (default: the service layer's, 10 000); opening one more evicts the
   * least recently used, whose later writes are then refused `session-expired`.
   */
  maxSessions?: number;
}

const OK = Object.freeze({ status: "ok" as const });
const SUPERSEDED: KvSuperseded = Object.freeze({ status: "superseded" });
const SESSION_EXPIRED: KvSessionExpired = Object.freeze({ status: "session-expired" });

/**
 * The single-server key/value service: answers `KVServer.OpenSession`, `.Get`, `.Put`, `.Append`
 * and `.Delete` by applying them to a KvStateMachine in arrival order. Retried writes are
 * recognised by the service layer's SessionTable — the same code that deduplicates the commands of
 * every replicated service — with the arrival count standing for the log index, and the clients'
 * own ids (from nanoid) naming the sessions, since there is no log to assign them. Requests are
 * handled synchronously, so each one is atomic. A bad request gets a `malformed` (or
 * `unknown-method`) reply and the server keeps serving.
 */
export class KvServer {
  readonly stateMachine: KvStateMachine;
  readonly #sessions: SessionTable<string>;
  #arrivals = 0;

  constructor(options: KvServerOptions = {}) {
    this.stateMachine = options.stateMachine ?? new KvStateMachine(options);
    const maxSessions = options.maxSessions ?? DEFAULT_MAX_SESSIONS;
    if (!(Number.isSafeInteger(maxSessions) && maxSessions >= 1)) {
      throw new RangeError(`maxSessions must be an integer >= 1, got ${maxSessions}`);
    }
    this.#sessions = new SessionTable<string>(maxSessions);
  }

  /** Client sessions held (bounded by `maxSessions`). */
  get sessionCount(): number {
    return this.#sessions.size;
  }

  /** Serves requests arriving on `transport`. */
  listen(transport: Pick<Transport, "listen">): this {
    transport.listen((method, args) => this.handle(method, args));
    return this;
  }

  /** Answers one request: `method` is one of KV_SERVER_METHODS, `args` the untrusted RPC arguments. */
  handle(method: string, args: unknown): KvReply {
    try {
      if (method === KV_OPEN_SESSION) {
        this.#sessions.open(parseClientId(args), ++this.#arrivals);
        return OK;
      }
      const op = opOfMethod(method);
      if (op === undefined) return { status: "unknown-method", method, methods: KV_SERVER_METHODS };
      const { command, session } = parseKvRequest(op, args);
      const index = ++this.#arrivals;
      if (command.op === "get") {
        // A Get proves its client saw every earlier reply: its cached result can go.
        if (session) this.#sessions.acknowledge(session.clientId, session.seq);
        return this.stateMachine.apply(command, index);
      }
      const outcome = this.#sessions.execute(session!.clientId, session!.seq, index, () =>
        this.stateMachine.apply(command, index),
      );
      if (outcome.kind === "superseded") return SUPERSEDED;
      if (outcome.kind === "expired") return SESSION_EXPIRED;
      return outcome.result;
    } catch (error) {
      if (error instanceof MalformedCommandError) return malformedResult(error);
      throw error;
    }
  }
}

/**
 * Handlers for an RPC framework that dispatches `"KVServer.<Method>"` to an object of methods
 * (such as labrpc's `new Service("KVServer", kvServiceHandlers(server))`).
 */
export function kvServiceHandlers(
  server: KvServer,
): Record<"OpenSession" | "Get" | "Put" | "Append" | "Delete", (args: unknown) => KvReply> {
  return {
    OpenSession: (args) => server.handle(KV_OPEN_SESSION, args),
    Get: (args) => server.handle(KV_METHODS.get, args),
    Put: (args) => server.handle(KV_METHODS.put, args),
    Append: (args) => server.handle(KV_METHODS.append, args),
    Delete: (args) => server.handle(KV_METHODS.delete, args),
  };
}
