import { newClientId, type ServerEnd, ServiceClient, type ServiceClientOptions } from "@raftkit/service";
import type { LockCommand, LockResult, LockState } from "./lock-machine.js";

/**
 * A client of the lock service. Its `owner` name (stable for its life, unlike a session id)
 * is who holds what it acquires; every call goes through a ServiceClient, so retries never
 * acquire or release twice.
 */
export class LockClient {
  readonly owner: string;
  readonly #client: ServiceClient<LockCommand, LockResult, string, LockState>;

  constructor(servers: readonly ServerEnd[], options: ServiceClientOptions & { owner?: string } = {}) {
    this.owner = options.owner ?? newClientId(options.random);
    this.#client = new ServiceClient(servers, options);
  }

  /** Takes `lock`: its fencing token, or the current holder when someone else has it. */
  async acquire(lock: string, options: { signal?: AbortSignal } = {}) {
    const result = await this.#client.submit({ op: "acquire", lock, owner: this.owner }, options);
    return result as Exclude<LockResult, { released: boolean }>;
  }

  /** Gives `lock` back: whether this owner held it. */
  async release(lock: string, options: { signal?: AbortSignal } = {}): Promise<boolean> {
    const result = await this.#client.submit({ op: "release", lock, owner: this.owner }, options);
    return (result as { released: boolean }).released;
  }

  /** Who holds `lock` now and its newest token (a linearizable read). */
  state(lock: string, options: { signal?: AbortSignal } = {}): Promise<LockState> {
    return this.#client.read(lock, options);
  }
}
