import {
  LeadershipLostError,
  MalformedRequestError,
  MemberIdRemovedError,
  MembershipChangePendingError,
  MembershipChangeRefusedError,
  NotLeaderError,
  OverloadedError,
  ServiceClosedError,
  ServiceError,
  type ServiceErrorCode,
  SessionExpiredError,
  SubmitTimeoutError,
  SupersededError,
  UnknownMethodError,
  ValueTooLargeError,
  WrongServerError,
} from "./errors.js";

/**
 * The RPC protocol between a ServiceClient and the replicas. Every request may name the cluster
 * and the member it is meant for; a replica that is not that member refuses it (`WRONG_SERVER`).
 */
export const SERVICE_METHODS = Object.freeze({
  openSession: "Service.OpenSession",
  submit: "Service.Submit",
  read: "Service.Read",
  /** The configuration as the leader has it (`{ anyReplica: true }`: as this replica has it). */
  members: "Service.Members",
  /** One membership change (`{ change }`), answered once committed. */
  changeMembership: "Service.ChangeMembership",
});

/** Who a request is for; a replica refuses a request addressed to another cluster or member. */
export interface Addressed {
  readonly cluster?: string;
  readonly to?: number;
}

/** Opens a session; the reply's value is its id (a positive integer) for every Submit after. */
export interface OpenSessionArgs extends Addressed {}
export interface SubmitArgs extends Addressed {
  /** The id `Service.OpenSession` replied with. */
  readonly session: number;
  readonly seq: number;
  readonly command: unknown;
}
export interface ReadArgs extends Addressed {
  readonly query: unknown;
}

/** A reply: the value, or an error by its stable code. */
export type WireReply =
  | { readonly status: "ok"; readonly value?: unknown }
  | {
      readonly status: "error";
      readonly code: ServiceErrorCode;
      readonly message: string;
      /** NOT_LEADER: the leader the replica knows of. */
      readonly leaderId?: number;
      /** TOO_LARGE: the command's size; OVERLOADED: the bytes waiting for a quorum. */
      readonly sizeBytes?: number;
      /** TOO_LARGE and OVERLOADED: the limit in bytes. */
      readonly limitBytes?: number;
      readonly method?: string;
      readonly methods?: readonly string[];
      /** MEMBER_ID_REMOVED: the id refused, and one to use instead. */
      readonly memberId?: number;
      readonly suggestedId?: number;
    };

/** The reply carrying `error` (a ServiceError keeps its code and details; anything else is rethrown). */
export function errorReply(error: unknown): WireReply {
  if (!(error instanceof ServiceError)) throw error;
  const base = { status: "error" as const, code: error.code, message: error.message };
  if (error instanceof NotLeaderError && error.leaderId !== undefined)
    return { ...base, leaderId: error.leaderId };
  if (error instanceof ValueTooLargeError) {
    return { ...base, sizeBytes: error.sizeBytes, limitBytes: error.limitBytes };
  }
  if (error instanceof OverloadedError) {
    return { ...base, sizeBytes: error.uncommittedBytes, limitBytes: error.limitBytes };
  }
  if (error instanceof UnknownMethodError) return { ...base, method: error.method, methods: error.methods };
  if (error instanceof MemberIdRemovedError)
    return { ...base, memberId: error.memberId, suggestedId: error.suggestedId };
  return base;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Rebuilds the typed error a replica sent; `undefined` when `reply` is not an error reply. */
export function errorOfReply(
  reply: unknown,
  context: { sessionId?: number; seq?: number; method: string },
): ServiceError | undefined {
  if (!isRecord(reply) || reply.status !== "error" || typeof reply.code !== "string") return undefined;
  const message = typeof reply.message === "string" ? reply.message : "";
  const num = (value: unknown): number => (typeof value === "number" ? value : 0);
  switch (reply.code as ServiceErrorCode) {
    case "NOT_LEADER":
      return new NotLeaderError(typeof reply.leaderId === "number" ? reply.leaderId : undefined);
    case "LEADERSHIP_LOST":
      return new LeadershipLostError(0);
    case "TIMEOUT":
      return new SubmitTimeoutError(0);
    case "SESSION_EXPIRED":
      return new SessionExpiredError(context.sessionId ?? "?");
    case "SUPERSEDED":
      return new SupersededError(context.sessionId ?? "?", context.seq ?? 0);
    case "TOO_LARGE":
      return new ValueTooLargeError(num(reply.sizeBytes), num(reply.limitBytes));
    case "OVERLOADED":
      return new OverloadedError(num(reply.sizeBytes), num(reply.limitBytes));
    case "WRONG_SERVER":
      return new WrongServerError(message.replace(/^refused by the server: |: check the.*$/g, ""));
    case "UNKNOWN_METHOD":
      return new UnknownMethodError(
        typeof reply.method === "string" ? reply.method : context.method,
        Array.isArray(reply.methods) ? reply.methods.filter((m) => typeof m === "string") : [],
      );
    case "CLOSED":
      return new ServiceClosedError("the replica");
    case "MALFORMED":
      return new MalformedRequestError(message.replace(/^malformed request: /, ""));
    case "CHANGE_PENDING":
      return new MembershipChangePendingError(message);
    case "CHANGE_REFUSED":
      return new MembershipChangeRefusedError(message);
    case "MEMBER_ID_REMOVED":
      return new MemberIdRemovedError(num(reply.memberId), num(reply.suggestedId), message);
    default:
      return new ServiceError(reply.code as ServiceErrorCode, message);
  }
}

/** Checks the addressing fields; throws WrongServerError for another cluster or member. */
export function checkAddress(args: Record<string, unknown>, self: { cluster?: string; id: number }): void {
  if (args.cluster !== undefined && self.cluster !== undefined && args.cluster !== self.cluster) {
    throw new WrongServerError(
      `this is cluster "${self.cluster}", the request is for "${String(args.cluster)}"`,
    );
  }
  if (args.to !== undefined && args.to !== self.id) {
    throw new WrongServerError(`this is member ${self.id}, the request is for member ${String(args.to)}`);
  }
}

/** The fields of a request, checked; throws MalformedRequestError naming the first bad one. */
export function parseArgs(args: unknown): Record<string, unknown> {
  if (!isRecord(args)) throw new MalformedRequestError("the arguments must be an object");
  return args;
}

export function requireSessionId(args: Record<string, unknown>): number {
  const id = args.session;
  if (typeof id !== "number" || !Number.isSafeInteger(id) || id < 1) {
    throw new MalformedRequestError(
      '"session" must be the positive integer Service.OpenSession replied with (a client that sends "clientId" is older than this server: upgrade it)',
    );
  }
  return id;
}

export function requireSeq(args: Record<string, unknown>): number {
  const seq = args.seq;
  if (typeof seq !== "number" || !Number.isSafeInteger(seq) || seq < 1) {
    throw new MalformedRequestError('"seq" must be a positive integer');
  }
  return seq;
}
