import type { OutgoingMessage, RaftMethod } from "../messages.js";
import { RAFT_METHODS } from "../messages.js";
import { encodedEntrySize } from "../storage/codec.js";

/** Counts per raft RPC method. */
export type PerMethod = Record<RaftMethod, number>;

/**
 * What a monitoring system reads from a node: plain counters that only grow (Prometheus
 * counters), plus the storage latency sum and maximum. All times are in ms of the node's clock.
 */
export interface RaftMetrics {
  /** Elections this member started (terms it campaigned for). */
  elections: number;
  /** Pre-vote rounds this member started. */
  preVotes: number;
  /** Times this member became leader. */
  leaderships: number;
  /** Commands `start()` accepted as leader. */
  proposals: number;
  /** `start()` calls refused (not the leader, or a transfer in progress). */
  proposalsRefused: number;
  /** Log entries this member learnt were committed. */
  commits: number;
  /** Requests sent, by method. */
  messagesSent: PerMethod;
  /** Payload bytes sent, by method: encoded entries (AppendEntries), snapshot data (InstallSnapshot). */
  bytesSent: PerMethod;
  /** Requests that got no reply (network fault, peer down), by method. */
  sendFailures: PerMethod;
  /** Requests received, by method. */
  messagesReceived: PerMethod;
  /** InstallSnapshot requests sent. */
  snapshotsSent: number;
  /** Leadership transfers started here. */
  transfers: number;
  /** Storage batches written, and how long they took to become durable. */
  storageWrites: number;
  storageLatencyMsSum: number;
  storageLatencyMsMax: number;
}

const perMethod = (): PerMethod => Object.fromEntries(RAFT_METHODS.map((m) => [m, 0])) as PerMethod;

export function emptyMetrics(): RaftMetrics {
  return {
    elections: 0,
    preVotes: 0,
    leaderships: 0,
    proposals: 0,
    proposalsRefused: 0,
    commits: 0,
    messagesSent: perMethod(),
    bytesSent: perMethod(),
    sendFailures: perMethod(),
    messagesReceived: perMethod(),
    snapshotsSent: 0,
    transfers: 0,
    storageWrites: 0,
    storageLatencyMsSum: 0,
    storageLatencyMsMax: 0,
  };
}

/**
 * The entries' encoded sizes. A proposal's encoding is kept from its proposal on (see
 * command-bytes.ts), so measuring it is a lookup; a cache of sizes per entry here cost a WeakMap
 * insert per entry, more than it saved.
 */
function payloadBytes(message: OutgoingMessage<unknown>): number {
  if (message.method === "InstallSnapshot") return message.args.data.byteLength;
  if (message.method !== "AppendEntries") return 0;
  let bytes = 0;
  for (const entry of message.args.entries) bytes += encodedEntrySize(entry);
  return bytes;
}

/** Counts a request sent. */
export function countSent(metrics: RaftMetrics, message: OutgoingMessage<unknown>): void {
  metrics.messagesSent[message.method]++;
  metrics.bytesSent[message.method] += payloadBytes(message);
  if (message.method === "InstallSnapshot") metrics.snapshotsSent++;
}

/** Counts a storage batch that took `ms` to become durable. */
export function countWrite(metrics: RaftMetrics, ms: number): void {
  metrics.storageWrites++;
  metrics.storageLatencyMsSum += ms;
  if (ms > metrics.storageLatencyMsMax) metrics.storageLatencyMsMax = ms;
}
