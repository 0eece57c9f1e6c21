export { abortable, sleep, throwIfAborted, withTimeout } from "./abort.js";
export { ServiceClient } from "./client/client.js";
export { newClientId } from "./client/client-id.js";
export type { ClientCallOptions, ServiceClientOptions } from "./client/client-options.js";
export { endsOf, type ServerEnd } from "./client/ends.js";
export {
  LeadershipLostError,
  MalformedRequestError,
  MemberIdRemovedError,
  MembershipChangePendingError,
  MembershipChangeRefusedError,
  NoQuorumError,
  NotLeaderError,
  OverloadedError,
  ServiceClosedError,
  ServiceConfigError,
  ServiceError,
  type ServiceErrorCode,
  ServiceProtocolError,
  SessionExpiredError,
  SnapshotFormatError,
  SubmitTimeoutError,
  SupersededError,
  UnknownMethodError,
  ValueTooLargeError,
  WrongServerError,
} from "./errors.js";
export { RoleChangeEvent, type ServiceEventMap, SnapshotEvent } from "./events.js";
export { isMembersView, type MembershipChangeDone, type MembersView, showsChange } from "./membership.js";
export {
  type CallOptions,
  DEFAULT_MAX_SESSIONS,
  DEFAULT_TIMEOUT_MS,
  type ReadMode,
  type ReplicatedServiceOptions,
  type Session,
} from "./options.js";
export type { ServiceEntry } from "./replica/entry.js";
export type { Leadership } from "./replica/leadership.js";
export { ownString } from "./replica/own-string.js";
export { labrpcHandlers, serviceHandler, type WireParsers } from "./replica/rpc.js";
export {
  type SessionOutcome,
  type SessionRecord,
  SessionTable,
  type SessionVerdict,
} from "./replica/sessions.js";
export type { SnapshotPolicyOptions } from "./replica/snapshot-policy.js";
export { type SplitTransport, splitTransport } from "./replica/split-transport.js";
export { ReplicatedService } from "./service.js";
export { SERVICE_METHODS, type WireReply } from "./wire.js";
export { SERVICE_WIRE_CODECS } from "./wire-codecs.js";
