import { Clerk, endsOf } from "@raftkit/kvraft";
import { TcpTransport } from "@raftkit/transport-tcp";
import { nanoid } from "nanoid";
import type { Common } from "./options.js";
import { readTls } from "./tls.js";

/** A clerk over TCP, as a client (not a member) of the cluster. */
export function connect(options: Common): { clerk: Clerk; close(): Promise<void> } {
  const tcp = new TcpTransport({
    cluster: options.cluster,
    self: `client-${nanoid(8)}`,
    peers: options.peers,
    callTimeoutMs: 2000,
    ...(options.tls ? { tls: readTls(options.tls) } : {}),
    log: () => {},
  });
  const clerk = new Clerk(
    endsOf(
      tcp,
      options.peers.map((_, i) => i),
    ),
  );
  return { clerk, close: () => tcp.close() };
}

/** One key/value operation through `clerk`, giving up after `timeoutMs`; prints-ready result. */
export async function perform(
  clerk: Clerk,
  op: "get" | "put" | "append",
  args: string[],
  timeoutMs: number,
): Promise<string> {
  const signal = AbortSignal.timeout(timeoutMs);
  const [key = "", value = ""] = args;
  if (op === "get") return clerk.get(key, { signal });
  if (op === "put") await clerk.put(key, value, { signal });
  else await clerk.append(key, value, { signal });
  return "OK";
}
