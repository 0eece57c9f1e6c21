import { Network, randomName, Server, Simulation, seedFromEnv } from "@raftkit/labrpc";
import { test } from "uvu";
import { LabrpcTransport } from "../src/index.js";
import { transportConformance } from "../src/testkit/index.js";

// The suite transport-tcp passes, on the simulated network: three members in virtual time, and a
// fourth peer id whose server never joined the network.
for (const c of transportConformance(() => {
  const seed = seedFromEnv();
  const sim = new Simulation({ seed });
  const net = new Network({ clock: sim, random: sim.random });
  const transports = [0, 1, 2].map((self) => {
    const ends = [0, 1, 2, 3].map((to) => {
      const end = net.makeEnd(randomName(sim.random));
      net.connect(end.name, to);
      net.enable(end.name, true);
      return end;
    });
    const transport = new LabrpcTransport(ends, "Raft", { clock: sim, callTimeoutMs: 1000 });
    const server = new Server();
    transport.register(server);
    net.addServer(self, server);
    return transport;
  });
  return {
    transports,
    unreachable: 3,
    method: "AppendEntries",
    clock: sim,
    failWithinMs: 100,
    hangWithinMs: 1000,
    run: (body) =>
      sim.run(body).catch((error: unknown) => {
        if (error instanceof Error) error.message += `\nseed=${seed} (replay: RAFTKIT_SEED=${seed})`;
        throw error;
      }),
    dispose: () => net.cleanup(),
  };
})) {
  test(c.name, c.run);
}

test.run();
