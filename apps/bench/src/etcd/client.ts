import { Agent } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import type { KvClient } from "../scenario.js";
import { field, postJson } from "./http.js";

/** One HTTP request may take this long before it counts as failed (and is retried elsewhere). */
const REQUEST_TIMEOUT_MS = 5_000;
/** An operation gives up after retrying this long: a bench must end even if etcd does not answer. */
const OPERATION_DEADLINE_MS = 15_000;
const RETRY_DELAY_MS = 20;
/** Appends racing on one key retry their compare-and-swap at most this often. */
const MAX_APPEND_ATTEMPTS = 100;

const base64 = (text: string) => Buffer.from(text, "utf8").toString("base64");
const fromBase64 = (text: unknown) =>
  typeof text === "string" ? Buffer.from(text, "base64").toString() : "";

/**
 * etcd's v3 HTTP/JSON gateway as the bench's clients share it: one keep-alive agent (a
 * connection per concurrent client, reused), the member requests go to (the leader at the start;
 * after a failure the next member that answers), and counts of requests and body bytes.
 */
export class EtcdGateway {
  readonly agent = new Agent({ keepAlive: true });
  requests = 0;
  bytes = 0;
  #member: number;

  constructor(
    readonly urls: readonly URL[],
    leader: number,
  ) {
    this.#member = leader;
  }

  /**
   * POSTs to `path` and resolves with etcd's JSON answer. A network error, a timeout or a non-200
   * answer (no leader yet, leader changed, member stopping) is retried on the next member until
   * OPERATION_DEADLINE_MS has passed; then the last error is thrown.
   */
  async call(path: string, payload: unknown): Promise<unknown> {
    const deadline = performance.now() + OPERATION_DEADLINE_MS;
    let member = this.#member;
    for (;;) {
      let failure: unknown;
      this.requests++;
      try {
        const reply = await postJson(this.agent, this.urls[member]!, path, payload, REQUEST_TIMEOUT_MS);
        this.bytes += reply.bytes;
        if (reply.status === 200) {
          this.#member = member;
          return reply.body;
        }
        failure = new Error(
          `etcd at ${this.urls[member]} answered ${path} with ${reply.status}: ${JSON.stringify(reply.body)}`,
        );
      } catch (error) {
        failure = error;
      }
      if (performance.now() > deadline) throw failure;
      member = (member + 1) % this.urls.length;
      await sleep(RETRY_DELAY_MS);
    }
  }

  close(): void {
    this.agent.destroy();
  }
}

interface Stored {
  value: string;
  /** etcd's revision of the key's last change, as the decimal string the gateway uses for int64. */
  modRevision: string;
}

/**
 * A bench client on etcd: Get is a linearizable range (etcd's default, `serializable: false`),
 * Put a put, and Append — which etcd has no request for — a read followed by a transaction that
 * writes the longer value only if the key has not changed since (retried if it has).
 */
export class EtcdKvClient implements KvClient {
  constructor(private readonly gateway: EtcdGateway) {}

  async get(key: string): Promise<string> {
    return (await this.#read(key))?.value ?? "";
  }

  put(key: string, value: string): Promise<unknown> {
    return this.gateway.call("/v3/kv/put", { key: base64(key), value: base64(value) });
  }

  async append(key: string, value: string): Promise<void> {
    for (let attempt = 1; attempt <= MAX_APPEND_ATTEMPTS; attempt++) {
      const stored = await this.#read(key);
      const reply = await this.gateway.call("/v3/kv/txn", {
        // A key that does not exist compares as revision 0.
        compare: [
          { key: base64(key), target: "MOD", result: "EQUAL", mod_revision: stored?.modRevision ?? "0" },
        ],
        success: [{ request_put: { key: base64(key), value: base64((stored?.value ?? "") + value) } }],
      });
      if (field(reply, "succeeded") === true) return;
    }
    throw new Error(`etcd: an append to ${key} lost its compare-and-swap ${MAX_APPEND_ATTEMPTS} times`);
  }

  async #read(key: string): Promise<Stored | undefined> {
    const reply = await this.gateway.call("/v3/kv/range", { key: base64(key) });
    const kvs = field(reply, "kvs");
    const kv = Array.isArray(kvs) ? (kvs[0] as unknown) : undefined;
    if (kv === undefined) return undefined;
    return { value: fromBase64(field(kv, "value")), modRevision: String(field(kv, "mod_revision") ?? "0") };
  }
}
