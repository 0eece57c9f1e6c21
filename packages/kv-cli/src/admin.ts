import type { TransportStats } from "@raftkit/transport-tcp";

/** The method every `raftkit-kv serve` member answers with its role and transport counters. */
export const ADMIN_STATUS = "Admin.Status";

/** What `Admin.Status` returns. */
export interface MemberStatus {
  id: number;
  term: number;
  isLeader: boolean;
  transport: TransportStats;
}
