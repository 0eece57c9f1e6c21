import { type CallResult, membersOf } from "@raftkit/raft";
import type { MembersView, ServerEnd } from "@raftkit/service";
import type { PeerLinkError, TcpTransport } from "@raftkit/transport-tcp";

/** One member a client knows: its id and the address it reaches it at. */
export interface KnownMember {
  id: number;
  address: string;
}

/**
 * The member a handshake refused as addressed to another member says is at the address
 * (`refusedBy`); undefined when the refusal did not say (a member older than that field).
 */
export function memberAtAddress(failure: PeerLinkError | undefined): number | undefined {
  return failure?.kind === "wrong-id" ? failure.refusedBy : undefined;
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
    return this.#peers.map((_, position) => {
      let id = position;
      return {
        get id() {
          return id;
        },
        call: (method: string, args: unknown) =>
          this.#callFollowingMove(id, (to, again) => {
            if (!again) return this.#tcp.call(to, method, args);
            id = to;
            // The request names the member it is meant for (`to`): now the one found.
            return this.#tcp.call(to, method, { ...(args as object), to });
          }),
      };
    });
  }

  /** One call to member `id`; a member found at another id's address is learnt (see seeds). */
  call(id: number, method: string, args: unknown, timeoutMs?: number): Promise<CallResult<unknown>> {
    return this.#callFollowingMove(id, (to) => this.#tcp.call(to, method, args, timeoutMs));
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

  /**
   * Calls member `id` (`send(id, false)`); when the call fails because another member is at its
   * address (see #moved), calls that member at once (`send(it, true)`) and resolves its result.
   */
  async #callFollowingMove(
    id: number,
    send: (to: number, again: boolean) => Promise<CallResult<unknown>>,
  ): Promise<CallResult<unknown>> {
    const result = await send(id, false);
    const actual = result.ok ? undefined : this.#moved(id);
    return actual === undefined ? result : send(actual, true);
  }

  /**
   * The member whose handshake refused a call to `id`, saying it is another member, if so: from
   * then on that member is reached at the address that refused (a fact, whatever the calls
   * running at the same time learn), and `id` is no longer taken to be there.
   */
  #moved(id: number): number | undefined {
    const failure = this.#tcp.peerFailure(id);
    const actual = memberAtAddress(failure);
    if (failure === undefined || actual === undefined || actual === id) return undefined;
    if (this.#known.get(id) === failure.address) this.#known.delete(id);
    // Moving a link closes its connection: only when the address is new.
    if (this.#known.get(actual) !== failure.address) this.#tcp.setPeer(actual, failure.address);
    this.#known.set(actual, failure.address);
    return actual;
  }
}
