import { ServiceProtocolError, SessionExpiredError, SupersededError } from "@raftkit/service";
import { MalformedCommandError } from "./errors.js";

/** What a clerk makes of a server's reply. */
export type ReplyReading = { retry: false; value: string | undefined } | { retry: true };

/**
 * Reads a key/value server's reply for a clerk: the value of an `ok`; `{ retry: true }` for a
 * status in `retryOn` (kvraft's `wrong-leader`, `timeout`); otherwise the typed error —
 * the service layer's SupersededError or SessionExpiredError, MalformedCommandError, or the service
 * layer's ServiceProtocolError for anything unexpected.
 */
export function readKvReply(
  method: string,
  reply: unknown,
  session: { clientId: string; seq: number | undefined },
  retryOn: readonly string[] = [],
): ReplyReading {
  if (typeof reply === "object" && reply !== null && "status" in reply) {
    const r = reply as Record<string, unknown>;
    if (typeof r.status === "string" && retryOn.includes(r.status)) return { retry: true };
    switch (r.status) {
      case "ok":
        if (r.value === undefined || typeof r.value === "string") return { retry: false, value: r.value };
        break;
      case "session-expired":
        throw new SessionExpiredError(session.clientId);
      case "superseded":
        throw new SupersededError(session.clientId, session.seq ?? 0);
      case "malformed":
        throw new MalformedCommandError(
          String(r.field ?? ""),
          String(r.expected ?? "?"),
          String(r.message ?? ""),
        );
    }
  }
  throw new ServiceProtocolError(method, reply);
}
