import type { CallResult } from "@raftkit/raft";
import { isMembersView, type MembersView } from "../membership.js";
import { SERVICE_METHODS } from "../wire.js";
import type { ServerEnd } from "./ends.js";

/**
 * Asks `ends` in turn, starting at `first` (the replica that last answered knows the most), for
 * the configuration as it has it (`Service.Members` with `anyReplica`); resolves with the first
 * view, or undefined when none answers with one. `send` bounds each call by the caller's
 * deadline and signal, and resolves undefined once the deadline has passed.
 */
export async function askConfiguration(
  ends: readonly ServerEnd[],
  first: number,
  send: (
    end: ServerEnd,
    method: string,
    body: Record<string, unknown>,
  ) => Promise<CallResult<unknown> | undefined>,
): Promise<MembersView | undefined> {
  for (let k = 0; k < ends.length; k++) {
    const result = await send(ends[(first + k) % ends.length]!, SERVICE_METHODS.members, {
      anyReplica: true,
    });
    if (result === undefined) return undefined; // the deadline passed
    // A replica that is closed, refuses, or predates Service.Members: ask the next one.
    const reply = result.ok ? (result.reply as { status?: unknown; value?: unknown } | null) : undefined;
    if (reply?.status === "ok" && isMembersView(reply.value)) return reply.value;
  }
  return undefined;
}
