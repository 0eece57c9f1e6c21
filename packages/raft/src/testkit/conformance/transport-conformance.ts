import type { Clock, PeerId, Transport } from "../../interfaces.js";
import { type ConformanceCase, check, sameData, show } from "./conformance-case.js";

/** What the transport suite needs: three members that can reach each other, and a dead address. */
export interface TransportFixture {
  /** Members 0, 1 and 2, each able to call the others by id. */
  transports: readonly Transport[];
  /** A peer id the members know of but that never answers (nothing listens, or unreachable). */
  unreachable: PeerId;
  /** A method name the transports carry (e.g. a raft method, for an adapter that only knows those). */
  method: string;
  clock: Clock;
  /** A failed call to `unreachable` must resolve within this many clock ms. */
  failWithinMs: number;
  /** A call whose handler never answers must resolve `{ ok: false }` within this many clock ms. */
  hangWithinMs: number;
  /** Runs a case's body (inside the simulation, for a virtual-time fixture). */
  run(body: () => Promise<void>): Promise<void>;
  dispose(): void | Promise<void>;
}

type MakeFixture = () => TransportFixture | Promise<TransportFixture>;

function transportCase(
  name: string,
  make: MakeFixture,
  body: (f: TransportFixture) => Promise<void>,
): ConformanceCase {
  return {
    name: `transport conformance: ${name}`,
    async run() {
      const fixture = await make();
      try {
        await fixture.run(() => body(fixture));
      } finally {
        await fixture.dispose();
      }
    },
  };
}

/**
 * The contract every Transport must keep, as a list of cases: delivery of requests and replies,
 * failure (not an exception) for an unreachable peer and for a peer that never answers,
 * many calls in flight at once, and large messages.
 */
export function transportConformance(make: MakeFixture): ConformanceCase[] {
  return [
    transportCase("a request reaches the peer's handler and its reply comes back", make, async (f) => {
      const seen: unknown[] = [];
      f.transports[1]!.listen((method, args) => {
        seen.push({ method, args });
        return { answer: args, from: 1 };
      });
      const args = { term: 3, bytes: new Uint8Array([1, 2, 3]), list: ["a", { b: null }] };
      const result = await f.transports[0]!.call(1, f.method, args);
      check(result.ok, "a call between live members failed");
      check(sameData(result.reply, { answer: args, from: 1 }), `wrong reply ${show(result.reply)}`);
      check(seen.length === 1 && sameData(seen[0], { method: f.method, args }), `handler saw ${show(seen)}`);
    }),
    transportCase("a call to an unreachable peer resolves { ok: false } in bounded time", make, async (f) => {
      const t0 = f.clock.now();
      const result = await f.transports[0]!.call(f.unreachable, f.method, { x: 1 });
      check(!result.ok, "a call to an unreachable peer succeeded");
      const took = f.clock.now() - t0;
      check(took <= f.failWithinMs, `the failure took ${took} ms, over ${f.failWithinMs}`);
    }),
    transportCase("a call whose handler never answers resolves { ok: false }", make, async (f) => {
      f.transports[2]!.listen(() => new Promise(() => {}));
      const t0 = f.clock.now();
      const result = await f.transports[0]!.call(2, f.method, { x: 1 });
      check(!result.ok, "a call that was never answered succeeded");
      const took = f.clock.now() - t0;
      check(took <= f.hangWithinMs, `it took ${took} ms, over ${f.hangWithinMs}`);
    }),
    transportCase("many calls in flight at once each get their own reply", make, async (f) => {
      f.transports[1]!.listen(async (_method, args) => {
        const n = (args as { n: number }).n;
        await f.clock.sleep((n * 7) % 11);
        return { n, square: n * n };
      });
      const calls = [0, 2].flatMap((from) =>
        Array.from({ length: 100 }, (_, i) => ({ from, n: from * 1000 + i })).map(async ({ from, n }) => ({
          n,
          result: await f.transports[from]!.call(1, f.method, { n }),
        })),
      );
      for (const { n, result } of await Promise.all(calls)) {
        check(result.ok, `call ${n} failed`);
        check(sameData(result.reply, { n, square: n * n }), `call ${n} got ${show(result.reply)}`);
      }
    }),
    transportCase("a large message (4 MiB) crosses intact both ways", make, async (f) => {
      const big = new Uint8Array(4 * 1024 * 1024);
      for (let i = 0; i < big.length; i += 997) big[i] = i % 251;
      f.transports[1]!.listen((_method, args) => ({ echo: (args as { data: Uint8Array }).data }));
      const result = await f.transports[0]!.call(1, f.method, { data: big });
      check(result.ok, "the large call failed");
      check(sameData((result.reply as { echo: unknown }).echo, big), "the large message came back changed");
    }),
  ];
}
