import type { Model, Operation } from "@raftkit/porcupine";
import type { Clock, Random } from "../../interfaces.js";
import type { CallableEnd } from "../../transport/labrpc.js";
import { show } from "../applied-logs.js";
import type { Violation } from "./checkers/violation.js";

/**
 * What clients do to your service, and how to judge it: a porcupine model of the service, a
 * generator of operations (every write's value unique, so each acknowledged write can be
 * found again), and the final reads that must show every acknowledged write.
 */
export interface Workload<Client, State, Input, Output> {
  readonly model: Model<State, Input, Output>;
  /** A client of your service over `ends` (end j reaches member j). */
  client(ends: readonly CallableEnd[], env: { clock: Clock; random: Random }): Client;
  /** The next operation; `unique` is a number no other operation of the run gets. */
  next(random: Random, unique: number): Input;
  /** Performs one operation; resolves with its output once the service answered it. */
  invoke(client: Client, input: Input): Promise<Output>;
  /** The reads that, once healed, show the whole state. */
  finalReads(): readonly Input[];
  /**
   * Whether the final reads show an acknowledged operation: true/false for a write the reads
   * can tell about, undefined otherwise (reads, overwritable writes).
   */
  shows?(input: Input, reads: readonly { input: Input; output: Output }[]): boolean | undefined;
}

export interface WorkloadRunOptions {
  clients: number;
  /** Mean pause between one client's operations, in ms (default 10). */
  thinkMs?: number;
}

/** Runs a workload's clients concurrently and records every completed operation. */
export class WorkloadRun<Client, State, Input, Output> {
  readonly history: Operation<Input, Output>[] = [];
  readonly errors: Violation[] = [];
  readonly #pending = new Map<string, Promise<unknown>>();
  #stopped = false;
  #unique = 0;
  #started = 0;
  #lastStamp = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly workload: Workload<Client, State, Input, Output>,
    private readonly env: { clock: Clock; random: Random; ends: () => CallableEnd[] },
  ) {}

  /** Starts `clients` client loops; they run until `stop()`. */
  start(options: WorkloadRunOptions): void {
    for (let c = 0; c < options.clients; c++) void this.loop(c, options.thinkMs ?? 10);
  }

  /** No client starts another operation; those in flight go on. */
  stop(): void {
    this.#stopped = true;
  }

  /** Operations still waiting for an answer, by label. */
  pending(): { label: string; done: Promise<unknown> }[] {
    return [...this.#pending].map(([label, done]) => ({ label, done }));
  }

  /** One operation by a fresh client (client id `clientId`), recorded like the others. */
  once(clientId: number, input: Input): Promise<Output> {
    const client = this.workload.client(this.env.ends(), this.env);
    return this.perform(client, clientId, input);
  }

  /** A fresh unique number (for probes). */
  unique(): number {
    return ++this.#unique;
  }

  private async loop(clientId: number, thinkMs: number): Promise<void> {
    const client = this.workload.client(this.env.ends(), this.env);
    while (!this.#stopped) {
      const input = this.workload.next(this.env.random, this.unique());
      await this.perform(client, clientId, input);
      await this.env.clock.sleep(this.env.random.int(2 * thinkMs + 1));
    }
  }

  private perform(client: Client, clientId: number, input: Input): Promise<Output> {
    const label = `client ${clientId} #${++this.#started}: ${show(input)}`;
    const call = this.stamp();
    const done = this.workload.invoke(client, input).then(
      (output) => {
        this.history.push({ clientId, input, output, call, return: this.stamp() });
        return output;
      },
      (error: unknown) => {
        const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        this.errors.push({
          checker: "client-error",
          message: `${label} failed: ${text}`,
          atMs: this.env.clock.now(),
        });
        throw error;
      },
    );
    this.#pending.set(label, done);
    const forget = () => this.#pending.delete(label);
    done.then(forget, forget);
    return done;
  }

  /** Virtual time, nudged so stamps strictly increase in the order taken (real-time order). */
  private stamp(): number {
    this.#lastStamp = Math.max(this.env.clock.now(), this.#lastStamp + 1e-6);
    return this.#lastStamp;
  }
}
