import { CLI, type ServeProcess, spawnServe } from "../../src/testkit/index.js";

export { CLI };

/** `raftkit-kv serve` processes on 127.0.0.1, one data directory each. */
export class ProcessCluster {
  private readonly members: Array<ServeProcess | undefined> = [];

  constructor(
    readonly peers: string[],
    private readonly dataDir: (i: number) => string,
    /** More `serve` flags for member i (its TLS files, `--http`, ...). */
    private readonly extraArgs: (i: number) => string[] = () => [],
  ) {}

  start(i: number): void {
    const flags = ["--id", String(i), "--peers", this.peers.join(","), "--data", this.dataDir(i)];
    this.members[i] = spawnServe([...flags, ...this.extraArgs(i)]);
  }

  /** The live member that most recently announced leadership of the highest term. */
  async leader(withinMs = 20_000): Promise<number> {
    const deadline = performance.now() + withinMs;
    while (performance.now() < deadline) {
      let best = -1;
      let bestTerm = -1;
      for (const [i, m] of this.members.entries()) {
        if (!m) continue;
        const announcement = m.log.findLast((line) => /leader for term|follower in term/.test(line));
        const term = Number(/term (\d+)/.exec(announcement ?? "")?.[1] ?? -1);
        if (announcement?.includes("leader for term") && term > bestTerm) [best, bestTerm] = [i, term];
      }
      if (best >= 0) return best;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const logs = this.members.map((m, i) => `member ${i}:\n  ${m?.log.slice(-8).join("\n  ")}`);
    throw new Error(`no leader announced within ${withinMs} ms\n${logs.join("\n")}`);
  }

  /** kill -9: no chance to flush or close anything. */
  async kill9(i: number): Promise<void> {
    const m = this.members[i];
    if (!m) return;
    m.child.kill("SIGKILL");
    await m.exited;
    this.members[i] = undefined;
  }

  /** Waits until member i says it is serving. */
  ready(i: number, withinMs = 20_000): Promise<void> {
    return this.logged(i, "serving on", withinMs);
  }

  /** Waits until member i has logged a line containing `text`. */
  async logged(i: number, text: string, withinMs = 20_000): Promise<void> {
    const deadline = performance.now() + withinMs;
    while (!this.members[i]?.log.some((line) => line.includes(text))) {
      if (performance.now() > deadline)
        throw new Error(
          `member ${i} did not log "${text}" within ${withinMs} ms:\n  ${this.logOf(i).join("\n  ")}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** SIGTERM, expecting a clean exit with code 0. */
  async terminate(i: number): Promise<number | null> {
    const m = this.members[i];
    if (!m) return null;
    m.child.kill("SIGTERM");
    const code = await m.exited;
    this.members[i] = undefined;
    return code;
  }

  /** Member i's process id, while it runs. */
  pidOf(i: number): number | undefined {
    return this.members[i]?.child.pid;
  }

  /** Whether member i's process has exited (on its own or killed). */
  hasExited(i: number): boolean {
    const m = this.members[i];
    return m === undefined || m.child.exitCode !== null || m.child.signalCode !== null;
  }

  /** Sends `signal` (SIGHUP, say) to member i. */
  signal(i: number, signal: NodeJS.Signals): void {
    this.members[i]?.child.kill(signal);
  }

  /** Whether member i was started and has not exited. */
  isRunning(i: number): boolean {
    const child = this.members[i]?.child;
    return child !== undefined && child.exitCode === null && child.signalCode === null;
  }

  logOf(i: number): string[] {
    return this.members[i]?.log ?? [];
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.members.map((_, i) => this.kill9(i)));
  }
}
