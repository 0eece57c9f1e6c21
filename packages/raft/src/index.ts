export { DEFAULT_CONFIG, type RaftConfig, resolveConfig } from "./config.js";
export {
  addressOf,
  describeMembership,
  isMember,
  isMembership,
  isVoter,
  type MemberAddress,
  type Membership,
  type MembershipChange,
  membersOf,
  votersOnly,
} from "./core/membership.js";
export { type CoreInitialState, type CoreOptions, RaftCore } from "./core/raft-core.js";
export type { ReadState } from "./core/read-only.js";
export type { Ready, StorageOp } from "./core/ready.js";
export type { TransferOutcome } from "./core/transfer.js";
export {
  AbortedError,
  CorruptStateError,
  InvalidMessageError,
  LeadershipLostError,
  LeadershipTransferError,
  MemberIdRemovedError,
  MembershipChangeError,
  MembershipChangePendingError,
  NotLeaderError,
  ProposalTooLargeError,
  RaftConfigError,
  RaftError,
  RaftUsageError,
  UncommittedLimitError,
  UnencodableCommandError,
} from "./errors.js";
export type {
  CallResult,
  Clock,
  PeerId,
  Random,
  RequestHandler,
  StateMachine,
  Timer,
  Transport,
} from "./interfaces.js";
export {
  type AppendEntriesArgs,
  type AppendEntriesReply,
  type InstallSnapshotArgs,
  type InstallSnapshotReply,
  type OutgoingMessage,
  RAFT_METHODS,
  type RaftMethod,
  type RequestVoteArgs,
  type RequestVoteReply,
  type TimeoutNowArgs,
  type TimeoutNowReply,
} from "./messages.js";
export { type RaftNodeEventMap, TypedEventTarget } from "./node/events.js";
export type { PerMethod, RaftMetrics } from "./node/metrics.js";
export type { ChangeCommitted } from "./node/pending-changes.js";
export { RaftNode, type RaftNodeOptions } from "./node/raft-node.js";
export { decodeRaftState, encodeRaftState } from "./storage/codec.js";
export { encodedCommand } from "./storage/command-bytes.js";
export { MemoryPersister } from "./storage/memory-persister.js";
export type { Durability, Persister, RaftStorage, StoredRaftState } from "./storage/storage.js";
export { type CallableEnd, LabrpcTransport } from "./transport/labrpc.js";
export { hasExactly, type WireCodec } from "./transport/method-codec.js";
export { RAFT_WIRE_CODECS } from "./transport/raft-wire-codecs.js";
export type { ApplyMsg, HardState, LogEntry, RaftState, Role, SnapshotMeta, StartResult } from "./types.js";
