/** Where a client's newest request sits in this leader's log. */
export interface InflightRequest {
  readonly seq: number;
  readonly index: number;
  readonly term: number;
}

/**
 * Each client's newest request in this leader's log, not yet applied: a retry of it (the client
 * gave up on a slow reply) waits for that entry instead of logging the request again. Forgotten
 * when its index applies, and all at once when leadership is lost or a snapshot is installed.
 */
export class InflightRequests {
  readonly #byClient = new Map<number, InflightRequest>();
  readonly #clientAt = new Map<number, number>();

  get(sessionId: number): InflightRequest | undefined {
    return this.#byClient.get(sessionId);
  }

  set(sessionId: number, request: InflightRequest): void {
    this.#byClient.set(sessionId, request);
    this.#clientAt.set(request.index, sessionId);
  }

  /** The entry at `index` applied. */
  applied(index: number): void {
    const client = this.#clientAt.get(index);
    if (client === undefined) return;
    this.#clientAt.delete(index);
    if (this.#byClient.get(client)?.index === index) this.#byClient.delete(client);
  }

  clear(): void {
    this.#byClient.clear();
    this.#clientAt.clear();
  }
}
