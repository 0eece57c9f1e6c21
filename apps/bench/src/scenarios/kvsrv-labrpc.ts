import { Clerk, KV_SERVICE, KvServer, kvServiceHandlers } from "@raftkit/kvsrv";
import { Network, RealClock, randomName, realRandom, Server, Service } from "@raftkit/labrpc";
import type { Scenario } from "../scenario.js";

/** kvsrv's single server on a reliable labrpc network, on the real clock. */
export const kvsrvLabrpc: Scenario = {
  name: "kvsrv-labrpc",
  description: "single key/value server (exactly-once sessions) over the simulated network, reliable",
  transport: "labrpc",
  servers: 1,
  async deploy() {
    const clock = new RealClock();
    const net = new Network({ clock, random: realRandom });
    const server = new KvServer({ appendReturnsOldValue: true });
    net.addServer("kv", new Server().addService(new Service(KV_SERVICE, kvServiceHandlers(server))));
    return {
      makeClients: (n) =>
        Array.from({ length: n }, () => {
          const end = net.makeEnd(randomName(realRandom));
          net.connect(end.name, "kv");
          net.enable(end.name, true);
          return new Clerk({ call: (_to, method, args) => end.call(method, args) }, { clock });
        }),
      counters: () => ({ rpcs: net.getTotalCount(), bytes: net.getTotalBytes() }),
      close: async () => net.cleanup(),
    };
  },
};
