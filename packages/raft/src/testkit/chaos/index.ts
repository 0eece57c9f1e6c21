export { acceptsConcurrentChanges } from "./broken-membership.js";
export { ChaosCluster, type ChaosClusterOptions } from "./chaos-cluster.js";
export { checkAcknowledgedWrites } from "./checkers/acknowledged-writes.js";
export { checkLinearizability, type LinearizabilityOutcome } from "./checkers/linearizability.js";
export { checkRecovery } from "./checkers/liveness.js";
export type { Violation } from "./checkers/violation.js";
export { assertChaosPassed, ChaosFailure, writeChaosArtifacts } from "./failure.js";
export { type ActiveFault, FAULT_KINDS, type FaultKind } from "./faults.js";
export { type FaultyMemoryStorageOptions, faultyMemoryStorage } from "./faulty-storage-model.js";
export { HashChain } from "./hash-chain.js";
export { type KvClient, type KvWorkloadOptions, kvWorkload } from "./kv-workload.js";
export { type Endpoint, LinkFaults } from "./link-faults.js";
export type { ChaosMember, ClientHandler, MemberContext, MemberFactory, MemberRaft } from "./member.js";
export { MembershipDriver } from "./membership-driver.js";
export { MEMBERSHIP_FAULTS, type MembershipFault, MIN_VOTERS } from "./membership-faults.js";
export { Nemesis } from "./nemesis.js";
export { PausableClock } from "./pausable-clock.js";
export { type RaftMemberOptions, raftMember } from "./raft-member.js";
export { Roster } from "./roster.js";
export { type ChaosOptions, type ChaosReport, runChaos } from "./run-chaos.js";
export { formatSchedule, makeSchedule, type ScheduleOptions, type ScheduleStep } from "./schedule.js";
export {
  type DiskFault,
  type DiskFaults,
  type MemberStorage,
  memoryStorage,
  type StorageModel,
} from "./storage-model.js";
export { Timeline, type TimelineEntry } from "./timeline.js";
export { type Workload, WorkloadRun, type WorkloadRunOptions } from "./workload.js";
