import { type ClientEnd, type Clock, type Network, Server, type ServerName, Service } from "@raftkit/labrpc";
import type { Transport } from "@raftkit/raft";
import { KV_SERVER_METHODS, KV_SERVICE } from "../../src/index.js";

/**
 * The client side of a labrpc end as a Transport. A reliable labrpc network delivers in zero
 * virtual time; `latencyMs` makes every call take a little (like a real RPC's CPU cost), so a
 * clerk looping on a reliable network lets virtual time advance.
 */
export function endTransport(end: ClientEnd, clock: Clock, latencyMs: number): Pick<Transport, "call"> {
  return {
    async call(_to, method, args) {
      if (latencyMs > 0) await clock.sleep(latencyMs);
      return end.call(method, args);
    },
  };
}

/** The server side: `listen(handler)` puts a labrpc server with a `KVServer` service under `name`. */
export function serverTransport(net: Network, name: ServerName): Pick<Transport, "listen"> {
  return {
    listen(handler) {
      // "KVServer.Get" is labrpc's method "Get" of service "KVServer".
      const methods = KV_SERVER_METHODS.map((m) => [
        m.slice(KV_SERVICE.length + 1),
        (args: unknown) => handler(m, args),
      ]);
      const service = new Service(KV_SERVICE, Object.fromEntries(methods));
      net.addServer(name, new Server().addService(service));
    },
  };
}
