import type { PeerId, Role } from "@raftkit/raft";

/** This replica's role, term or known leader changed. */
export class RoleChangeEvent extends Event {
  constructor(
    readonly role: Role,
    readonly term: number,
    /** The leader this replica knows of in `term`, if any (itself when `role` is "leader"). */
    readonly leaderId: PeerId | undefined,
  ) {
    super("role");
  }
}

/** This replica installed a snapshot (from the leader, or its own at start) or took one. */
export class SnapshotEvent extends Event {
  constructor(
    readonly kind: "taken" | "installed",
    readonly index: number,
    readonly term: number,
    readonly sizeBytes: number,
  ) {
    super("snapshot");
  }
}

/** The events a ReplicatedService dispatches. */
export interface ServiceEventMap {
  role: RoleChangeEvent;
  snapshot: SnapshotEvent;
}

type Listener<E> = ((event: E) => void) | { handleEvent(event: E): void };
type BaseListener = Parameters<EventTarget["addEventListener"]>[1];
type AddOptions = Parameters<EventTarget["addEventListener"]>[2];
type RemoveOptions = Parameters<EventTarget["removeEventListener"]>[2];

/** An EventTarget whose `addEventListener` knows each event's type. */
export class TypedEventTarget<Events extends { [K in keyof Events]: Event }> extends EventTarget {
  override addEventListener<K extends keyof Events & string>(
    type: K,
    listener: Listener<Events[K]> | null,
    options?: AddOptions,
  ): void {
    super.addEventListener(type, listener as BaseListener, options);
  }

  override removeEventListener<K extends keyof Events & string>(
    type: K,
    listener: Listener<Events[K]> | null,
    options?: RemoveOptions,
  ): void {
    super.removeEventListener(type, listener as BaseListener, options);
  }
}
