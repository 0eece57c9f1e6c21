import type { Membership } from "../core/membership.js";
import type { PeerId } from "../interfaces.js";
import type { Role } from "../types.js";

/** The events a RaftNode dispatches, by type. Each is a CustomEvent whose `detail` says what changed. */
export interface RaftNodeEventMap {
  /** This member's term changed (always upward; durable by the time you hear it is not promised). */
  term: CustomEvent<{ readonly term: number }>;
  /** This member became follower, candidate or leader. */
  role: CustomEvent<{ readonly role: Role; readonly term: number }>;
  /** The leader this member knows of changed (`undefined`: none known in `term`). */
  leader: CustomEvent<{ readonly leaderId: PeerId | undefined; readonly term: number }>;
  /**
   * The configuration in force changed: a change entered the log (it takes effect at once,
   * committed or not), or a truncation or a snapshot replaced it. `index` is the entry that set
   * it. Transports learn members and addresses from here (`setMembers`, `setPeer`).
   */
  membership: CustomEvent<{ readonly membership: Membership; readonly index: number; readonly term: number }>;
  /** A committed configuration removed this member; it stops right after this event. */
  removed: CustomEvent<{ readonly membership: Membership; readonly term: number }>;
}

type Listener<E> = ((event: E) => void) | { handleEvent(event: E): void };
type BaseListener = Parameters<EventTarget["addEventListener"]>[1];
type AddOptions = Parameters<EventTarget["addEventListener"]>[2];
type RemoveOptions = Parameters<EventTarget["removeEventListener"]>[2];

/** An EventTarget whose `addEventListener` knows each event type's event (as libp2p's does). */
export class TypedEventTarget<EventMap extends { [K in keyof EventMap]: Event }> extends EventTarget {
  // The untyped overloads keep the class assignable to EventTarget wherever a consumer's
  // EventTarget declaration differs from ours (the packaged .d.ts is checked in a fresh project).
  override addEventListener<K extends keyof EventMap & string>(
    type: K,
    listener: Listener<EventMap[K]>,
    options?: AddOptions,
  ): void;
  override addEventListener(type: string, listener: BaseListener, options?: AddOptions): void;
  override addEventListener(type: string, listener: BaseListener, options?: AddOptions): void {
    super.addEventListener(type, listener, options);
  }

  override removeEventListener<K extends keyof EventMap & string>(
    type: K,
    listener: Listener<EventMap[K]>,
    options?: RemoveOptions,
  ): void;
  override removeEventListener(type: string, listener: BaseListener, options?: RemoveOptions): void;
  override removeEventListener(type: string, listener: BaseListener, options?: RemoveOptions): void {
    super.removeEventListener(type, listener, options);
  }

  /** Dispatches a CustomEvent of `type` carrying `detail`. */
  protected emit<K extends keyof EventMap & string>(
    type: K,
    detail: EventMap[K] extends CustomEvent<infer D> ? D : never,
  ): void {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
