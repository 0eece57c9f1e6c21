import type { KvCommand } from "@raftkit/kvsrv";
import { FilePersister } from "@raftkit/persister-file";
import type { RequestHandler } from "@raftkit/raft";
import { TcpTransport } from "@raftkit/transport-tcp";
import { ADMIN_STATUS, type MemberStatus } from "../admin.js";
import { realClock, realRandom } from "../real-time.js";
import { KvRaftServer } from "../server.js";
import type { Command } from "./args.js";

type ServeCommand = Extract<Command, { kind: "serve" }>;

/**
 * Runs one member until SIGINT or SIGTERM: raft's RPCs and the clients' requests share one TCP
 * port (client methods are `KVServer.*`), and state lives in a FilePersister under `--data`.
 */
export async function serve(command: ServeCommand, log: (line: string) => void): Promise<void> {
  const persister = await FilePersister.open<KvCommand>(command.data, { sync: command.sync });
  const tcp = new TcpTransport({
    cluster: command.cluster,
    self: command.id,
    peers: command.peers,
    log: (level, message) => {
      if (level !== "info") log(`${level}: ${message}`);
    },
  });
  // One listener, two audiences: route client calls to the key/value server, the rest to raft.
  let raftHandler: RequestHandler | undefined;
  let kvHandler: RequestHandler | undefined;
  tcp.listen((method, args) => {
    if (method === ADMIN_STATUS) return status();
    const handler = method.startsWith("KVServer.") ? kvHandler : raftHandler;
    if (!handler) throw new Error(`not serving ${method} yet`);
    return handler(method, args);
  });
  const raftTransport = {
    call: (to: number, method: string, args: unknown) => tcp.call(to, method, args),
    listen: (handler: RequestHandler) => {
      raftHandler = handler;
    },
  };
  const server = new KvRaftServer({
    id: command.id,
    peerCount: command.peers.length,
    transport: raftTransport,
    persister,
    clock: realClock,
    random: realRandom,
    maxRaftState: command.maxRaftState,
    onError: (error) => {
      log(`fatal: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  });
  server.listen({
    listen: (handler) => {
      kvHandler = handler;
    },
  });
  const status = (): MemberStatus => ({ id: command.id, ...server.raft.getState(), transport: tcp.stats() });
  const bound = await tcp.start();
  log(
    `member ${command.id} of ${command.peers.length} serving on ${bound?.host}:${bound?.port}, data in ${command.data}`,
  );

  // Tell the operator (and the process tests) when this member becomes or stops being leader.
  let leading: { term: number; isLeader: boolean } | undefined;
  const watch = setInterval(() => {
    const state = server.raft.getState();
    if (state.isLeader === leading?.isLeader && (!state.isLeader || state.term === leading.term)) return;
    leading = state;
    log(state.isLeader ? `leader for term ${state.term}` : `follower in term ${state.term}`);
  }, 100);

  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log(`${signal}: shutting down`);
      resolve();
    };
    process.once("SIGINT", () => stop("SIGINT"));
    process.once("SIGTERM", () => stop("SIGTERM"));
  });
  clearInterval(watch);
  server.kill();
  await tcp.close();
  await persister.close();
  log("stopped cleanly");
}
