import type { RaftNode, RequestHandler } from "@raftkit/raft";
import { MalformedRequestError, UnknownMethodError } from "../errors.js";
import type { ReplicatedService } from "../service.js";
import {
  checkAddress,
  errorReply,
  parseArgs,
  requireSeq,
  requireSessionId,
  SERVICE_METHODS,
  type WireReply,
} from "../wire.js";
import { changeMembership, membersView, parseChange } from "./membership-admin.js";

/** How the RPC layer turns untrusted wire values into the service's types. */
export interface WireParsers<Command, Query> {
  parseCommand?: (value: unknown) => Command;
  parseQuery?: (value: unknown) => Query;
}

const METHODS: readonly string[] = Object.values(SERVICE_METHODS);

/**
 * The request handler for the service's own methods (`Service.OpenSession`, `.Submit`, `.Read`,
 * and the membership admin: `.Members`, `.ChangeMembership`):
 * every reply is a WireReply, every failure a typed error by code; a bad request never throws.
 * Give it to a transport with `listen`, or see `splitTransport` to share raft's.
 */
export function serviceHandler<Command, Result, Query, Answer>(
  service: ReplicatedService<Command, Result, Query, Answer>,
  parsers: WireParsers<Command, Query> = {},
): RequestHandler {
  const self = {
    id: service.node.id,
    ...(service.cluster === undefined ? {} : { cluster: service.cluster }),
  };
  const parse = <T>(parser: ((value: unknown) => T) | undefined, value: unknown): T => {
    if (!parser) return value as T;
    try {
      return parser(value);
    } catch (error) {
      throw new MalformedRequestError(error instanceof Error ? error.message : String(error));
    }
  };
  const node = service.node as RaftNode<unknown>;
  return async (method, rawArgs): Promise<WireReply> => {
    try {
      if (!METHODS.includes(method)) throw new UnknownMethodError(method, METHODS);
      const args = parseArgs(rawArgs);
      checkAddress(args, self);
      switch (method) {
        case SERVICE_METHODS.openSession:
          return { status: "ok", value: await service.openSession() };
        case SERVICE_METHODS.submit: {
          const session = { sessionId: requireSessionId(args), seq: requireSeq(args) };
          const value = await service.submit(parse(parsers.parseCommand, args.command), { session });
          return { status: "ok", value };
        }
        case SERVICE_METHODS.read: {
          const value = await service.read(parse(parsers.parseQuery, args.query));
          return { status: "ok", value };
        }
        case SERVICE_METHODS.members:
          return { status: "ok", value: membersView(node, args.anyReplica === true) };
        default:
          return { status: "ok", value: await changeMembership(node, parseChange(args.change)) };
      }
    } catch (error) {
      return errorReply(error);
    }
  };
}

/**
 * The same handler as labrpc-style methods, for `new Service("Service", labrpcHandlers(replica))`
 * on the labrpc Server that also carries raft's service.
 */
export function labrpcHandlers(
  handler: RequestHandler,
): Record<"OpenSession" | "Submit" | "Read" | "Members" | "ChangeMembership", (args: unknown) => unknown> {
  return {
    OpenSession: (args) => handler(SERVICE_METHODS.openSession, args),
    Submit: (args) => handler(SERVICE_METHODS.submit, args),
    Read: (args) => handler(SERVICE_METHODS.read, args),
    Members: (args) => handler(SERVICE_METHODS.members, args),
    ChangeMembership: (args) => handler(SERVICE_METHODS.changeMembership, args),
  };
}
