import {
  isMembership,
  type Membership,
  type MembershipChange,
  membersOf,
  RaftError,
  type RaftNode,
} from "@raftkit/raft";

/** `raftkit-kv member list` asks every member this; the leader's answer is the configuration. */
export const ADMIN_MEMBERS = "Admin.Members";
/** `raftkit-kv member add|promote|remove` sends this to the leader. */
export const ADMIN_CHANGE_MEMBERSHIP = "Admin.ChangeMembership";

/** What `Admin.Members` returns: one member's view of the configuration. */
export interface MembersReply {
  id: number;
  isLeader: boolean;
  leaderId: number | undefined;
  membership: Membership;
  /** Every member's address by id, as this member knows them ("" for none). */
  addresses: string[];
}

/** What `Admin.ChangeMembership` returns: the configuration it committed, or raft's error. */
export type ChangeReply =
  | { ok: true; index: number; membership: Membership }
  | { ok: false; code: string; message: string; retryable: boolean; leaderHint: number | undefined };

/**
 * Members' addresses by id: the founders' from --peers (their position is their id), the others'
 * from the configuration, where `member add` recorded them.
 */
export class AddressBook {
  readonly #byId: string[];

  constructor(founders: readonly string[]) {
    this.#byId = [...founders];
  }

  /** Takes the configuration's addresses; returns those that are new or moved. */
  learn(membership: Membership): { id: number; address: string }[] {
    const changed = membership.addresses.filter((a) => this.#byId[a.id] !== a.address);
    for (const { id, address } of changed) this.#byId[id] = address;
    return changed;
  }

  /** Addresses by id ("" where none is known). */
  list(): string[] {
    return Array.from(this.#byId, (a) => a ?? "");
  }
}

/** What the member's transport must follow (transport-tcp's TcpTransport does). */
export interface MemberTransport {
  setPeer(id: number, address: string): void;
  setMembers(ids: Iterable<number> | undefined): void;
}

/**
 * Keeps the transport in step with raft's configuration: every configuration adopted (a change
 * in the log, a snapshot, a truncation) teaches it new members' addresses, and narrows the
 * members allowed to connect to the configuration's and the previous one's (a member removed
 * two changes ago is refused). A member that joins and knows no configuration yet lets any
 * member in. Returns the unsubscribe.
 */
export function followMembership(
  raft: RaftNode<unknown>,
  transport: MemberTransport,
  book: AddressBook,
  log: (message: string) => void,
): () => void {
  // A configuration is used as soon as it is in the log, before it commits: members the change
  // removes must still get through until they learn it committed (and stop), so the allow-list
  // is the latest configuration's members and the previous one's.
  let previous: number[] = [];
  const adopt = (membership: Membership) => {
    for (const { id, address } of book.learn(membership)) transport.setPeer(id, address);
    const members = membersOf(membership);
    transport.setMembers(membership.voters.length > 0 ? new Set([...members, ...previous]) : undefined);
    previous = members;
  };
  const onChange = (event: CustomEvent<{ membership: Membership; index: number }>) => {
    adopt(event.detail.membership);
    const { voters, learners } = event.detail.membership;
    log(
      `configuration at index ${event.detail.index}: voters ${voters.join(",")}${learners.length > 0 ? ` learners ${learners.join(",")}` : ""}`,
    );
  };
  adopt(raft.membership);
  raft.addEventListener("membership", onChange);
  return () => raft.removeEventListener("membership", onChange);
}

/** This member's answer to Admin.Members. */
export function membersReply(raft: RaftNode<unknown>, book: AddressBook): MembersReply {
  return {
    id: raft.id,
    isLeader: raft.getState().isLeader,
    leaderId: raft.leaderId,
    membership: raft.membership,
    addresses: book.list(),
  };
}

const ADDRESS = /^(\[[^\]]+\]|[^:[\]\s]+):\d{1,5}$/;
const KINDS = new Set(["add-learner", "promote", "remove"]);

/** Checks a change that came off the wire (a client's bytes never reach raft unchecked). */
export function parseChange(args: unknown): MembershipChange | string {
  if (typeof args !== "object" || args === null) return "a membership change must be an object";
  const { kind, id, address, autoPromote } = args as Record<string, unknown>;
  if (typeof kind !== "string" || !KINDS.has(kind)) return `unknown change ${String(kind)}`;
  if (typeof id !== "number" || !Number.isSafeInteger(id) || id < 0) return `bad member id ${String(id)}`;
  if (kind !== "add-learner") return { kind: kind as "promote" | "remove", id };
  if (typeof address !== "string" || !ADDRESS.test(address))
    return `bad address ${String(address)}: give host:port`;
  return { kind, id, address, autoPromote: autoPromote === true };
}

/** Runs a client's change on this member's raft; raft's refusal comes back as data. */
export async function answerChange(raft: RaftNode<unknown>, args: unknown): Promise<ChangeReply> {
  const change = parseChange(args);
  if (typeof change === "string")
    return {
      ok: false,
      code: "ERR_RAFTKIT_KV_BAD_CHANGE",
      message: change,
      retryable: false,
      leaderHint: undefined,
    };
  try {
    const done = await raft.changeMembership(change);
    return { ok: true, index: done.index, membership: done.membership };
  } catch (error) {
    if (!(error instanceof RaftError)) throw error;
    const retryable = (error as { retryable?: boolean }).retryable === true;
    const leaderHint = (error as { leaderHint?: number }).leaderHint;
    return { ok: false, code: error.code, message: error.message, retryable, leaderHint };
  }
}

/** Whether a reply from the wire is a MembersReply (a member of another version may differ). */
export function isMembersReply(value: unknown): value is MembersReply {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.id === "number" &&
    typeof v.isLeader === "boolean" &&
    isMembership(v.membership) &&
    Array.isArray(v.addresses)
  );
}
