import { type CallResult, ClientEnd } from "./client-end.js";
import { decode, encode } from "./codec.js";
import { RemoteHandlerError, UnknownMethodError } from "./errors.js";
import type { Server } from "./server.js";
import type { Clock } from "./sim/clock.js";
import type { Random } from "./sim/random.js";

export type EndName = string | number;
export type ServerName = string | number;

/** What happened to one RPC, for traces and demos. */
export type NetworkEventKind =
  | "unreachable" // end disabled, unconnected or server missing: fails after a delay, no handler runs
  | "request-dropped" // unreliable network lost the request: no handler runs
  | "dead" // handler ran but its server crashed or the end was disabled meanwhile: reply suppressed
  | "reply-dropped" // unreliable network lost the reply: the handler did run
  | "duplicated" // the network delivered a second copy of the request; its reply goes nowhere
  | "reply"; // reply delivered (possibly late, with long reordering)

export interface NetworkEvent {
  time: number;
  kind: NetworkEventKind;
  end: EndName;
  server: ServerName | undefined;
  method: string;
  /** Encoded size of the arguments, or of the reply for `"reply"`. */
  bytes: number;
}

export interface NetworkOptions {
  clock: Clock;
  random: Random;
  /** Called once per RPC outcome; useful for traces. */
  onEvent?: (event: NetworkEvent) => void;
}

/** Delay ranges and probabilities, as in the MIT 6.5840 labrpc. */
const SHORT_DELAY_MS = 27;
const LONG_DELAY_MS = 7000;
const UNREACHABLE_DELAY_MS = 100;
const DROP_PER_MILLE = 100;
const REORDER_PER_900 = 600;

interface EndState {
  readonly name: EndName;
  enabled: boolean;
  server: ServerName | undefined;
}

const FAILED: CallResult<never> = Object.freeze({ ok: false });

/**
 * A simulated network of client ends and servers. Ends start disabled and unconnected. The
 * network starts reliable with long delays and long reordering off. Every argument and reply is
 * deep-copied through cbor-x, and its encoded size is what the byte counter adds up.
 */
export class Network {
  private readonly clock: Clock;
  private readonly random: Random;
  private readonly onEvent: ((event: NetworkEvent) => void) | undefined;
  private readonly ends = new Map<EndName, EndState>();
  private readonly servers = new Map<ServerName, Server>();
  /** Handlers running now, each with a way to stop waiting for it when it becomes dead. */
  private readonly inFlight = new Set<{ end: EndState; server: Server; kill: () => void }>();
  private reliable = true;
  private longDelays = false;
  private longReordering = false;
  private duplicatePerMille = 0;
  private closed = false;
  private totalCount = 0;
  private totalBytes = 0;

  constructor(options: NetworkOptions) {
    this.clock = options.clock;
    this.random = options.random;
    this.onEvent = options.onEvent;
  }

  /** Reliable: no delays or drops. Unreliable: 0–26 ms delay, 10% requests and 10% replies lost. */
  setReliable(reliable: boolean): void {
    this.reliable = reliable;
  }

  /** With long delays, calls to unreachable servers fail after 0–7 s instead of 0–100 ms. */
  setLongDelays(on: boolean): void {
    this.longDelays = on;
  }

  /** With long reordering, 2/3 of replies arrive 200–2200 ms late. */
  setLongReordering(on: boolean): void {
    this.longReordering = on;
  }

  /**
   * Delivers a second copy of that share of requests (per mille, 0–1000), 0–27 ms later (up to
   * 2.2 s with long reordering), as a retransmitting network or a retrying proxy would. The
   * copy's handler runs; its reply is dropped. Off (0) by default.
   */
  setDuplication(perMille: number): void {
    if (!Number.isInteger(perMille) || perMille < 0 || perMille > 1000) {
      throw new RangeError(`duplication must be an integer per mille in [0, 1000], got ${perMille}`);
    }
    this.duplicatePerMille = perMille;
  }

  duplication(): number {
    return this.duplicatePerMille;
  }

  isReliable(): boolean {
    return this.reliable;
  }

  isLongDelays(): boolean {
    return this.longDelays;
  }

  isLongReordering(): boolean {
    return this.longReordering;
  }

  /** Creates a client end, disabled and unconnected. Throws if the name is taken. */
  makeEnd(name: EndName): ClientEnd {
    if (this.ends.has(name)) throw new Error(`client end ${String(name)} already exists`);
    const state: EndState = { name, enabled: false, server: undefined };
    this.ends.set(name, state);
    return new ClientEnd(name, (method, args) => this.send(state, method, args));
  }

  /** Forgets an end; its calls fail from now on. */
  deleteEnd(name: EndName): void {
    const state = this.ends.get(name);
    if (!state) return;
    state.enabled = false;
    this.ends.delete(name);
    this.killInFlight((f) => f.end === state);
  }

  /** Connects an end to a server name (once; the server may be added later). */
  connect(endName: EndName, serverName: ServerName): void {
    const state = this.endState(endName);
    if (state.server !== undefined && state.server !== serverName) {
      throw new Error(`client end ${String(endName)} is already connected to ${String(state.server)}`);
    }
    state.server = serverName;
  }

  /** Enables or disables an end. Disabling also suppresses replies to its calls still in flight. */
  enable(endName: EndName, enabled: boolean): void {
    const state = this.endState(endName);
    state.enabled = enabled;
    if (!enabled) this.killInFlight((f) => f.end === state);
  }

  /** Puts a server under a name, replacing (and so crashing) any server there. */
  addServer(name: ServerName, server: Server): void {
    const previous = this.servers.get(name);
    this.servers.set(name, server);
    if (previous && previous !== server) this.killInFlight((f) => f.server === previous);
  }

  /** Removes a server, as in a crash: calls in flight to it fail and their replies are suppressed. */
  deleteServer(name: ServerName): void {
    const previous = this.servers.get(name);
    this.servers.delete(name);
    if (previous) this.killInFlight((f) => f.server === previous);
  }

  /** RPCs that reached the named server. */
  getCount(serverName: ServerName): number {
    return this.servers.get(serverName)?.getCount() ?? 0;
  }

  /** Every RPC sent, including dropped and undeliverable ones. */
  getTotalCount(): number {
    return this.totalCount;
  }

  /** Encoded bytes of every request sent plus every reply delivered. */
  getTotalBytes(): number {
    return this.totalBytes;
  }

  /** Shuts the network down: calls in flight and all later calls fail at once. */
  cleanup(): void {
    this.closed = true;
    this.killInFlight(() => true);
  }

  private endState(name: EndName): EndState {
    const state = this.ends.get(name);
    if (!state) throw new Error(`no client end named ${String(name)}`);
    return state;
  }

  private killInFlight(match: (f: { end: EndState; server: Server }) => boolean): void {
    for (const f of this.inFlight) if (match(f)) f.kill();
  }

  private isDead(end: EndState, serverName: ServerName, server: Server): boolean {
    return (
      this.closed ||
      !end.enabled ||
      this.ends.get(end.name) !== end ||
      this.servers.get(serverName) !== server
    );
  }

  private emit(kind: NetworkEventKind, end: EndState, method: string, bytes: number): void {
    this.onEvent?.({ time: this.clock.now(), kind, end: end.name, server: end.server, method, bytes });
  }

  private async send(end: EndState, method: string, args: unknown): Promise<CallResult<unknown>> {
    if (this.closed) return FAILED;
    const request = encode(args, `arguments of ${method}`);
    this.totalCount++;
    this.totalBytes += request.length;

    const serverName = end.server;
    const server = serverName === undefined ? undefined : this.servers.get(serverName);
    if (!end.enabled || serverName === undefined || !server || this.ends.get(end.name) !== end) {
      this.emit("unreachable", end, method, request.length);
      await this.clock.sleep(this.random.int(this.longDelays ? LONG_DELAY_MS : UNREACHABLE_DELAY_MS));
      return FAILED;
    }

    const reliable = this.reliable;
    if (!reliable) {
      await this.clock.sleep(this.random.int(SHORT_DELAY_MS));
      if (this.random.int(1000) < DROP_PER_MILLE) {
        this.emit("request-dropped", end, method, request.length);
        return FAILED;
      }
    }

    if (this.duplicatePerMille > 0 && this.random.int(1000) < this.duplicatePerMille) {
      void this.deliverCopy(end, serverName, server, method, request);
    }
    const outcome = await this.runHandler(end, server, method, request);
    if (!outcome.ok || this.isDead(end, serverName, server)) {
      this.emit("dead", end, method, request.length);
      return FAILED;
    }
    if (!reliable && this.random.int(1000) < DROP_PER_MILLE) {
      this.emit("reply-dropped", end, method, request.length);
      return FAILED;
    }
    const reply = encode(outcome.reply, `reply of ${method}`);
    if (this.longReordering && this.random.int(900) < REORDER_PER_900) {
      await this.clock.sleep(200 + this.random.int(1 + this.random.int(2000)));
    }
    this.totalBytes += reply.length;
    this.emit("reply", end, method, reply.length);
    return { ok: true, reply: decode(reply) };
  }

  /** A duplicate of a request: delivered later unless the link or server died; reply dropped. */
  private async deliverCopy(
    end: EndState,
    serverName: ServerName,
    server: Server,
    method: string,
    request: Uint8Array,
  ): Promise<void> {
    const late = this.longReordering ? 200 + this.random.int(2000) : this.random.int(SHORT_DELAY_MS);
    await this.clock.sleep(late);
    if (this.isDead(end, serverName, server)) return;
    this.totalCount++;
    this.totalBytes += request.length;
    this.emit("duplicated", end, method, request.length);
    // A handler that throws on a copy is the same bug as on the original, which reports it.
    await this.runHandler(end, server, method, request).catch(() => undefined);
  }

  /** Runs the handler on a fresh copy of the arguments, unless its server dies first. */
  private runHandler(
    end: EndState,
    server: Server,
    method: string,
    request: Uint8Array,
  ): Promise<{ ok: true; reply: unknown } | { ok: false }> {
    return new Promise((resolve, reject) => {
      let result: unknown;
      try {
        result = server.dispatch(method, decode(request));
      } catch (error) {
        reject(error instanceof UnknownMethodError ? error : new RemoteHandlerError(method, error));
        return;
      }
      if (!(result instanceof Promise)) {
        resolve({ ok: true, reply: result });
        return;
      }
      const flight = { end, server, kill: () => settle({ ok: false }) };
      const settle = (value: { ok: true; reply: unknown } | { ok: false }) => {
        this.inFlight.delete(flight);
        resolve(value);
      };
      this.inFlight.add(flight);
      result.then(
        (reply: unknown) => settle({ ok: true, reply }),
        (error: unknown) => {
          this.inFlight.delete(flight);
          reject(new RemoteHandlerError(method, error));
        },
      );
    });
  }
}
