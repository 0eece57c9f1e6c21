import { KvRaftServer, shareTransport } from "@raftkit/kvraft";
import { KV_METHODS, type KvCommand, realClock, realRandom } from "@raftkit/kvsrv";
import { FilePersister } from "@raftkit/persister-file";
import { TcpTransport } from "@raftkit/transport-tcp";
import { ADMIN_STATUS, type MemberStatus } from "../admin.js";
import type { Command } from "../options.js";
import { plaintextWarning, readTls } from "../tls.js";

type ServeCommand = Extract<Command, { kind: "serve" }>;

/**
 * Runs one member until SIGINT or SIGTERM: raft's RPCs and the clients' requests share one TCP
 * port, and state lives in a FilePersister under `--data`.
 */
export async function serve(command: ServeCommand, log: (line: string) => void): Promise<void> {
  // Listen for signals first: a stop requested while starting up still shuts down cleanly.
  let stopSignal: string | undefined;
  let wake = () => {};
  const onSignal = (signal: string) => {
    stopSignal ??= signal;
    wake();
  };
  process.once("SIGINT", () => onSignal("SIGINT"));
  process.once("SIGTERM", () => onSignal("SIGTERM"));

  const persister = await FilePersister.open<KvCommand>(command.data, { sync: command.sync });
  const tcp = new TcpTransport({
    cluster: command.cluster,
    self: command.id,
    peers: command.peers,
    ...(command.tls ? { tls: readTls(command.tls) } : {}),
    // A client certificate may use the key/value service and read the status, nothing else.
    clientMethods: [...Object.values(KV_METHODS), ADMIN_STATUS],
    log: (level, message) => {
      if (level !== "info") log(`${level}: ${message}`);
    },
  });
  // One port for raft's RPCs, the clients' requests and Admin.Status.
  let status: () => MemberStatus = () => {
    throw new Error("not started");
  };
  const shared = shareTransport({
    call: (to, method, args) => tcp.call(to, method, args),
    listen: (handler) =>
      tcp.listen((method, args) => (method === ADMIN_STATUS ? status() : handler(method, args))),
  });
  const server = new KvRaftServer({
    id: command.id,
    peerCount: command.peers.length,
    transport: shared.raft,
    persister,
    clock: realClock,
    random: realRandom,
    maxRaftState: command.maxRaftState,
    onError: (error) => {
      log(`fatal: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  });
  server.listen(shared.clients);
  status = () => ({ id: command.id, ...server.raft.getState(), transport: tcp.stats() });
  const bound = await tcp.start();
  const warning = plaintextWarning(bound?.host ?? "", command.tls);
  if (warning) log(warning);
  log(
    `member ${command.id} of ${command.peers.length} serving on ${bound?.host}:${bound?.port}` +
      `${command.tls ? " with mutual TLS" : ""}, data in ${command.data}`,
  );
  const tlsFiles = command.tls;
  const reload = () => {
    if (!tlsFiles) return log("SIGHUP: no TLS to reload (started without --tls-cert)");
    try {
      tcp.updateTls(readTls(tlsFiles));
      log(`SIGHUP: reloaded TLS from ${tlsFiles.cert}, ${tlsFiles.key}, ${tlsFiles.ca}`);
    } catch (error) {
      // A file missing or half-written (a rotation in progress): keep serving with what we have.
      log(`SIGHUP: kept the current TLS material: ${(error as Error).message}`);
    }
  };
  process.on("SIGHUP", reload);

  // Tell the operator (and the process tests) when this member becomes or stops being leader.
  let leading: { term: number; isLeader: boolean } | undefined;
  const watch = setInterval(() => {
    const state = server.raft.getState();
    if (state.isLeader === leading?.isLeader && (!state.isLeader || state.term === leading.term)) return;
    leading = state;
    log(state.isLeader ? `leader for term ${state.term}` : `follower in term ${state.term}`);
  }, 100);

  if (!stopSignal) await new Promise<void>((resolve) => (wake = resolve));
  log(`${stopSignal}: shutting down`);
  clearInterval(watch);
  process.off("SIGHUP", reload);
  server.kill();
  await tcp.close();
  await persister.close();
  log("stopped cleanly");
}
