/**
 * A short deterministic tour of labrpc: three servers, one client, a reliable then an unreliable
 * network, and a crash. Run it twice with the same seed and it prints the same story.
 *
 *     node dist/demo.js [seed]
 */
import { Network, type NetworkEvent, randomName, Server, Service, Simulation } from "./index.js";

const seed = Number(process.argv[2] ?? 42);
const sim = new Simulation({ seed });
const events: NetworkEvent[] = [];
const net = new Network({ clock: sim, random: sim.random, onEvent: (e) => events.push(e) });

const fmt = (ms: number) => `${(ms / 1000).toFixed(3).padStart(7)}s`;
const say = (text: string) => console.log(`${fmt(sim.now())}  ${text}`);

async function tour(): Promise<void> {
  await sim.run(async () => {
    const totals = [0, 0, 0];
    for (const id of [0, 1, 2]) {
      const counter = new Service("Counter", {
        Add: (args: { n: number }) => {
          totals[id] = (totals[id] ?? 0) + args.n;
          return { total: totals[id] };
        },
      });
      net.addServer(id, new Server().addService(counter));
    }
    const call = async (id: number, n: number) => {
      const end = net.makeEnd(randomName(sim.random));
      net.connect(end.name, id);
      net.enable(end.name, true);
      const result = await end.call<{ total: number }>("Counter.Add", { n });
      say(`Counter.Add(${n}) on server ${id}: ${result.ok ? `reply total=${result.reply.total}` : "failed"}`);
    };

    say(`seed ${seed}: reliable network, one call to each server`);
    for (const id of [0, 1, 2]) await call(id, 1);

    say("network becomes unreliable (0-26 ms delays, 10% requests and 10% replies lost)");
    net.setReliable(false);
    await Promise.all(Array.from({ length: 12 }, (_, i) => call(i % 3, 10)));

    say("server 2 crashes (deleted from the network); calls to it fail after a short delay");
    net.deleteServer(2);
    net.setReliable(true);
    await call(2, 100);
    await call(0, 100);

    const byKind = new Map<string, number>();
    for (const e of events) byKind.set(e.kind, (byKind.get(e.kind) ?? 0) + 1);
    say(`done: ${net.getTotalCount()} RPCs, ${net.getTotalBytes()} bytes on the wire`);
    say(`outcomes: ${[...byKind].map(([k, n]) => `${k} ${n}`).join(", ")}`);
    say(`handler totals (a dropped reply still ran the handler): ${totals.join(", ")}`);
  });
}

tour().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
