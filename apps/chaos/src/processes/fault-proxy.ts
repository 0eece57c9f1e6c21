import { createServer, type Server, Socket } from "node:net";

/** What the proxy does to the bytes of one link right now. */
export interface LinkState {
  /** Drop every connection, refuse new ones (a partition). */
  cut: boolean;
  /** Hold every chunk this long before passing it on, in order (ms). */
  delayMs: number;
  /** Chance per chunk, per mille, of resetting the connection (a lost segment the peer gives up on). */
  dropPerMille: number;
}

const HEALTHY: LinkState = Object.freeze({ cut: false, delayMs: 0, dropPerMille: 0 });

/**
 * A TCP proxy on 127.0.0.1 in front of one member, for one direction of one link: the member
 * on the other side dials the proxy instead of the target. The nemesis cuts, delays or drops
 * through `set`. Bytes pass through untouched otherwise (the handshake included).
 */
export class FaultProxy {
  #state: LinkState = HEALTHY;
  readonly #pairs = new Set<{ a: Socket; b: Socket }>();
  readonly #server: Server;
  #port = 0;

  constructor(
    private readonly target: { host: string; port: number },
    private readonly random: () => number,
  ) {
    this.#server = createServer((socket) => this.accept(socket));
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once("error", reject);
      this.#server.listen(0, "127.0.0.1", () => resolve());
    });
    this.#port = (this.#server.address() as { port: number }).port;
    return this.address;
  }

  get address(): string {
    return `127.0.0.1:${this.#port}`;
  }

  get state(): LinkState {
    return this.#state;
  }

  set(state: Partial<LinkState>): void {
    this.#state = { ...this.#state, ...state };
    if (this.#state.cut) for (const pair of this.#pairs) this.drop(pair);
  }

  heal(): void {
    this.#state = HEALTHY;
  }

  async close(): Promise<void> {
    for (const pair of this.#pairs) this.drop(pair);
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  private accept(a: Socket): void {
    if (this.#state.cut) {
      a.destroy();
      return;
    }
    const b = new Socket();
    const pair = { a, b };
    this.#pairs.add(pair);
    b.connect(this.target.port, this.target.host);
    this.pipe(a, b, pair);
    this.pipe(b, a, pair);
    for (const s of [a, b]) {
      s.on("error", () => this.drop(pair));
      s.on("close", () => this.drop(pair));
    }
  }

  /** Forwards `from` to `to` chunk by chunk, in order, each after the link's delay. */
  private pipe(from: Socket, to: Socket, pair: { a: Socket; b: Socket }): void {
    let tail = Promise.resolve();
    from.on("data", (chunk: Buffer) => {
      const { delayMs, dropPerMille } = this.#state;
      if (dropPerMille > 0 && this.random() * 1000 < dropPerMille) {
        this.drop(pair);
        return;
      }
      tail = tail.then(async () => {
        if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
        if (!to.destroyed && !this.#state.cut) to.write(chunk);
      });
    });
  }

  private drop(pair: { a: Socket; b: Socket }): void {
    this.#pairs.delete(pair);
    pair.a.destroy();
    pair.b.destroy();
  }
}
