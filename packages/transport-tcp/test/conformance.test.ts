import { RealClock } from "@raftkit/labrpc";
import { transportConformance } from "@raftkit/raft/testkit";
import { test } from "uvu";
import { TcpTransport } from "../src/index.js";

// The suite raft's labrpc adapter passes, over real sockets: three members on 127.0.0.1 and a
// fourth address where nothing listens. The call timeout is the transport's default: with 300 ms,
// the first call of a case (connect, handshake, request, reply) failed when 8 copies of this file
// ran at once on 2 cores (load average 35), and the 4 MiB echo failed in a loaded `npm test`.
for (const c of transportConformance(async () => {
  const nodes = [0, 1, 2].map(
    (self) =>
      new TcpTransport({
        cluster: "conformance",
        self,
        listen: "127.0.0.1:0",
        callTimeoutMs: 2000,
        log: () => {},
      }),
  );
  const addresses = [];
  for (const node of nodes) addresses.push(`127.0.0.1:${(await node.start())!.port}`);
  const vacant = new TcpTransport({ cluster: "conformance", self: 3, listen: "127.0.0.1:0" });
  addresses.push(`127.0.0.1:${(await vacant.start())!.port}`);
  await vacant.close();
  for (const node of nodes) for (const [id, address] of addresses.entries()) node.setPeer(id, address);
  return {
    transports: nodes,
    unreachable: 3,
    method: "Conformance.Call",
    clock: new RealClock(),
    failWithinMs: 1000,
    hangWithinMs: 3000,
    run: (body) => body(),
    dispose: async () => void (await Promise.all(nodes.map((n) => n.close()))),
  };
})) {
  test(c.name, c.run);
}

test.run();
