import { type CallResult, membersOf } from "@raftkit/raft";
import type { MembersView, ServerEnd } from "@raftkit/service";
import type { PeerLinkError, TcpTransport } from "@raftkit/transport-tcp";

/** One member a client knows: its id and the address it reaches it at. */
export interface KnownMember {
  id: number;
  address: string;
}

/** The member a refused handshake says is at the address ("this is node 4, not node 0"). */
export function memberAtAddress(failure: PeerLinkError | undefined): number | undefined {
  if (failure?.kind !== "wrong-id") return undefined;
  const id = /this is node (\d+)/.exec(failure.detail)?.[1];
  return id === undefined ? undefined : Number(id);
}

/**
 * The members a client process reaches, by id, each added to its TCP transport: at first the
 * --peers entries (entry i is taken to be member i until its handshake says it is another), then
 * the configuration's members as a member shows them (endpoint sync: `endsFor`), so that a client
 * given a few addresses reaches members added later and forgets those removed.
 */
export class Endpoints {
  readonly #tcp: TcpTransport;
  readonly #peers: readonly string[];
  #known: Map<number, string>;

  constructor(tcp: TcpTransport, peers: readonly string[]) {
    this.#tcp = tcp;
    this.#peers = peers;
    this.#known = new Map(peers.map((address, id) => [id, address]));
  }

  /** The members known now, by id. */
  list(): KnownMember[] {
    return [...this.#known].sort(([a], [b]) => a - b).map(([id, address]) => ({ id, address }));
  }

  /**
   * One end per --peers entry. An entry whose handshake is refused because another member is at
   * its address becomes an end to that member (the transport checked who answers), and the call
   * is made again to it at once.
   */
  seeds(): ServerEnd[] {
    return this.#peers.map((address, position) => {
      let id = position;
      return {
        get id() {
          return id;
        },
        call: async (method: string, args: unknown) => {
          const result = await this.#tcp.call(id, method, args);
          const actual = result.ok ? undefined : this.#moved(id, address);
          if (actual === undefined) return result;
          id = actual;
          return this.#tcp.call(id, method, { ...(args as object), to: id });
        },
      };
    });
  }

  /** One call to member `id`; a member found at another id's address is learnt (see seeds). */
  async call(id: number, method: string, args: unknown, timeoutMs?: number): Promise<CallResult<unknown>> {
    const result = await this.#tcp.call(id, method, args, timeoutMs);
    const address = this.#known.get(id);
    const actual = result.ok || address === undefined ? undefined : this.#moved(id, address);
    return actual === undefined ? result : this.#tcp.call(actual, method, args, timeoutMs);
  }

  /** The configuration's members: the ends a ServiceClient uses after an endpoint sync. */
  readonly endsFor = (view: MembersView): ServerEnd[] => {
    this.learn(membersOf(view.membership), view.membership.addresses);
    return this.list().map(({ id }) => ({ id, call: (method, args) => this.#tcp.call(id, method, args) }));
  };

  /**
   * Takes `members` as the members from now on (the others are forgotten), with the addresses
   * given (a member's own view, which names the founders too); a member with no address known is
   * left out.
   */
  learn(members: readonly number[], addresses: readonly KnownMember[]): void {
    const known = new Map<number, string>();
    for (const id of members) {
      const address = addresses.find((a) => a.id === id)?.address ?? this.#known.get(id);
      if (address === undefined || address === "") continue;
      try {
        if (address !== this.#known.get(id)) this.#tcp.setPeer(id, address);
        known.set(id, address);
      } catch {
        // Not host:port (members check an address before they record it): unreachable, left out.
      }
    }
    if (known.size > 0) this.#known = known;
  }

  /** The member really at `address` when a call to `id` there was refused as another's, if any. */
  #moved(id: number, address: string): number | undefined {
    const actual = memberAtAddress(this.#tcp.peerFailure(id));
    if (actual === undefined || actual === id) return undefined;
    if (this.#known.get(id) === address) this.#known.delete(id);
    this.#known.set(actual, address);
    this.#tcp.setPeer(actual, address);
    return actual;
  }
}
