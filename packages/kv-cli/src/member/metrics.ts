import { Counter, collectDefaultMetrics, Gauge, Registry } from "prom-client";
import type { MemberStatus } from "../admin.js";

/** Prometheus metrics of one member, read from its status when scraped. */
export class MemberMetrics {
  readonly registry = new Registry();
  /** HTTP API requests by operation and outcome. */
  readonly httpRequests: Counter<"op" | "code">;

  constructor(status: () => MemberStatus) {
    const r = this.registry;
    collectDefaultMetrics({ register: r, prefix: "raftkit_kv_" });
    const gauge = (name: string, help: string, read: (s: MemberStatus) => number) =>
      new Gauge({
        name,
        help,
        registers: [r],
        collect() {
          this.set(read(status()));
        },
      });
    gauge("raftkit_kv_term", "Current raft term", (s) => s.term);
    gauge("raftkit_kv_is_leader", "1 if this member leads, else 0", (s) => (s.isLeader ? 1 : 0));
    gauge("raftkit_kv_commit_index", "Highest log index known committed", (s) => s.commitIndex);
    gauge(
      "raftkit_kv_applied_index",
      "Highest log index applied to the key/value state",
      (s) => s.appliedIndex,
    );
    gauge("raftkit_kv_last_leader_contact_seconds", "Seconds since a leader was last heard from", (s) =>
      s.lastContactMs === undefined ? Number.NaN : s.lastContactMs / 1000,
    );
    gauge("raftkit_kv_transport_calls", "Calls made by this member's transport", (s) => s.transport.calls);
    gauge("raftkit_kv_transport_failed_calls", "Calls that failed", (s) => s.transport.failedCalls);
    gauge("raftkit_kv_transport_served", "Requests this member answered", (s) => s.transport.served);
    gauge("raftkit_kv_transport_sent_bytes", "Bytes written to sockets", (s) => s.transport.bytesSent);
    gauge("raftkit_kv_transport_received_bytes", "Bytes read from sockets", (s) => s.transport.bytesReceived);
    this.httpRequests = new Counter({
      name: "raftkit_kv_http_requests_total",
      help: "HTTP API requests by operation and status code",
      labelNames: ["op", "code"],
      registers: [r],
    });
  }
}
