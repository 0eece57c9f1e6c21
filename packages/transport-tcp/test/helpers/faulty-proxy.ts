import { connect, createServer, type Server, type Socket } from "node:net";

interface Pair {
  client: Socket;
  upstream: Socket;
  /** Cut by a partition: it never carries a byte again (like a lost NAT or firewall entry). */
  dead: boolean;
}

/**
 * A TCP proxy on 127.0.0.1 in front of `target`, for link faults that the kernel does not
 * report: `blackhole()` silently drops every byte on the connections it has (and on new ones
 * while it lasts), `heal()` lets new connections through again, `stall()` stops reading from
 * clients so their socket buffers fill up (backpressure).
 */
export class FaultyProxy {
  private readonly server: Server;
  private readonly pairs = new Set<Pair>();
  private blackholed = false;
  private stalled = false;

  constructor(private readonly targetPort: number) {
    this.server = createServer((client) => this.accept(client));
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    const address = this.server.address();
    if (!address || typeof address !== "object") throw new Error("proxy did not bind");
    return `127.0.0.1:${address.port}`;
  }

  blackhole(): void {
    this.blackholed = true;
    for (const pair of this.pairs) pair.dead = true;
  }

  heal(): void {
    this.blackholed = false;
  }

  stall(): void {
    this.stalled = true;
    for (const pair of this.pairs) pair.client.pause();
  }

  async close(): Promise<void> {
    for (const pair of this.pairs) {
      pair.client.destroy();
      pair.upstream.destroy();
    }
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    const upstream = connect(this.targetPort, "127.0.0.1");
    const pair: Pair = { client, upstream, dead: this.blackholed };
    this.pairs.add(pair);
    if (this.stalled) client.pause();
    client.on("data", (data) => {
      if (!pair.dead) upstream.write(data);
    });
    upstream.on("data", (data) => {
      if (!pair.dead) client.write(data);
    });
    const end = () => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    for (const socket of [client, upstream]) {
      socket.on("error", end);
      socket.on("close", end);
    }
  }
}
