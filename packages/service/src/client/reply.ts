import { type ServiceError, ServiceProtocolError } from "../errors.js";
import { errorOfReply } from "../wire.js";
import type { ServerEnd } from "./ends.js";

/** What happened to one attempt: `done`, or go on (to `next`: a replica index, or the next one). */
export type Attempt =
  | { done: true; value: unknown }
  | {
      done: false;
      why: string;
      next?: number;
      overloaded?: boolean;
      /** It may have taken effect. */
      unknown?: boolean;
      /** A leader was named that this client has no end for. */
      strangeLeader?: boolean;
    };

/** The position in `servers` of the replica with raft id `id` (ends without ids: the same position). */
export function indexOfMember(servers: readonly ServerEnd[], id: number | undefined): number | undefined {
  if (id === undefined) return undefined;
  const byId = servers.findIndex((end) => end.id === id);
  if (byId >= 0) return byId;
  return servers.some((end) => end.id !== undefined) || id >= servers.length ? undefined : id;
}

/**
 * What replica `server`'s `reply` to `method` means for the call: done, or where to go on.
 * Throws the typed error of a refusal: WRONG_SERVER once every replica in `servers` has refused
 * (`refused` collects them), SESSION_EXPIRED, and any error not listed here.
 */
export function interpretReply(
  method: string,
  body: Record<string, unknown>,
  reply: unknown,
  server: number,
  servers: readonly ServerEnd[],
  refused: Set<number>,
): Attempt {
  const r = reply as { status?: unknown; value?: unknown };
  if (typeof reply === "object" && reply !== null && r.status === "ok") return { done: true, value: r.value };
  const context = {
    method,
    ...(typeof body.session === "number" ? { sessionId: body.session } : {}),
    ...(typeof body.seq === "number" ? { seq: body.seq } : {}),
  };
  const error: ServiceError | undefined = errorOfReply(reply, context);
  if (!error) throw new ServiceProtocolError(method, reply);
  switch (error.code) {
    case "NOT_LEADER": {
      const leaderId = (error as { leaderId?: number }).leaderId;
      const hint = indexOfMember(servers, leaderId);
      return {
        done: false,
        why: `not leader (${hint === undefined ? "leader unknown" : `leader ${hint}`})`,
        ...(hint === undefined || hint === server ? {} : { next: hint }),
        ...(leaderId !== undefined && hint === undefined ? { strangeLeader: true } : {}),
      };
    }
    case "LEADERSHIP_LOST":
      return { done: false, why: "lost leadership before the entry applied", unknown: true };
    case "TIMEOUT":
      return { done: false, why: "leader could not commit in time (majority unreachable?)", unknown: true };
    case "CHANGE_PENDING":
      return { done: false, why: error.message, next: server };
    case "CLOSED":
      return { done: false, why: "closed" };
    case "OVERLOADED":
      // Nothing was proposed: the same leader, after a pause that grows while it stays overloaded.
      return { done: false, why: error.message, next: server, overloaded: true };
    case "WRONG_SERVER":
      refused.add(server);
      if (refused.size === servers.length) throw error;
      return { done: false, why: error.message };
    default:
      // SESSION_EXPIRED included: the client forgets its session as the error passes.
      throw error;
  }
}
