/**
 * labrpc throughput on the real clock, reliable network: RPCs per second for sequential calls on
 * one end and for concurrent calls from many ends. Usage: pnpm --filter @raftkit/labrpc bench [calls]
 */
import { Network, RealClock, realRandom, Server, Service } from "../src/index.js";

const total = Number(process.argv[2] ?? 100_000);

function setup() {
  const net = new Network({ clock: new RealClock(), random: realRandom });
  const echo = new Service("Echo", { Ping: (args: { n: number; body: string }) => ({ n: args.n + 1 }) });
  net.addServer("s", new Server().addService(echo));
  const makeEnd = (name: string) => {
    const end = net.makeEnd(name);
    net.connect(name, "s");
    net.enable(name, true);
    return end;
  };
  return { net, makeEnd };
}

async function sequential(): Promise<number> {
  const { makeEnd } = setup();
  const end = makeEnd("seq");
  const t0 = performance.now();
  for (let i = 0; i < total; i++) {
    const r = await end.call("Echo.Ping", { n: i, body: "x" });
    if (!r.ok) throw new Error("reliable call failed");
  }
  return total / ((performance.now() - t0) / 1000);
}

async function concurrent(clients: number): Promise<number> {
  const { makeEnd } = setup();
  const ends = Array.from({ length: clients }, (_, i) => makeEnd(`c${i}`));
  const perClient = Math.ceil(total / clients);
  const t0 = performance.now();
  await Promise.all(
    ends.map(async (end) => {
      for (let i = 0; i < perClient; i++) await end.call("Echo.Ping", { n: i, body: "x" });
    }),
  );
  return (perClient * clients) / ((performance.now() - t0) / 1000);
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US").padStart(10);
await sequential(); // warm-up
console.log(`labrpc throughput, ${total.toLocaleString("en-US")} calls each, real clock, reliable network`);
console.log(`sequential, 1 end:      ${fmt(await sequential())} RPCs/s`);
console.log(`concurrent, 10 ends:    ${fmt(await concurrent(10))} RPCs/s`);
console.log(`concurrent, 100 ends:   ${fmt(await concurrent(100))} RPCs/s`);
