import { type Membership, membersOf, type RaftNode } from "@raftkit/raft";
import { isMembersView, type WireReply } from "@raftkit/service";
import { parseAddress } from "@raftkit/transport-tcp";

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
    for (const { id, address } of book.learn(membership)) {
      // Members check addresses before they propose them; one from elsewhere must not stop us.
      try {
        transport.setPeer(id, address);
      } catch (error) {
        log(`member ${id}'s address ${JSON.stringify(address)} is unusable: ${(error as Error).message}`);
      }
    }
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

/**
 * The service's MALFORMED refusal for a change adding a member at an address this transport
 * cannot use (it must be host:port), or undefined: checked before raft records it, because
 * every member connects to it.
 */
export function addressRefusal(args: unknown): WireReply | undefined {
  const change = (args as { change?: { kind?: unknown; address?: unknown } } | null)?.change;
  if (change?.kind !== "add-learner" || change.address === undefined) return undefined;
  try {
    parseAddress(String(change.address));
    return undefined;
  } catch (error) {
    return { status: "error", code: "MALFORMED", message: `malformed request: ${(error as Error).message}` };
  }
}

/**
 * A `Service.Members` reply with the founders' addresses too: raft records the addresses of
 * members added since, and this member knows the founders' from --peers. A client that learns
 * the configuration from it (endpoint sync) then reaches every member.
 */
export function withKnownAddresses(reply: unknown, book: AddressBook): unknown {
  const r = reply as { status?: unknown; value?: unknown } | null;
  if (r?.status !== "ok" || !isMembersView(r.value)) return reply;
  const { membership } = r.value;
  const known = book.list();
  const recorded = new Set(membership.addresses.map((a) => a.id));
  const founders = membersOf(membership)
    .filter((id) => !recorded.has(id) && known[id])
    .map((id) => ({ id, address: known[id]! }));
  if (founders.length === 0) return reply;
  const addresses = [...founders, ...membership.addresses].sort((a, b) => a.id - b.id);
  return { ...r, value: { ...r.value, membership: { ...membership, addresses } } };
}
