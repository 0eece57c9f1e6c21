import { UnknownMethodError } from "./errors.js";

/** An RPC handler: takes the (already deep-copied) arguments and returns the reply. */
export type Handler<Args = never, Reply = unknown> = (args: Args) => Reply | Promise<Reply>;

/** A set of handlers reachable as `"<service>.<method>"`. */
export class Service {
  private readonly handlers: ReadonlyMap<string, Handler>;

  /**
   * @param name what callers put before the dot, e.g. `"Raft"` for `"Raft.RequestVote"`.
   * @param handlers one function per method name. Methods are looked up by own property, so an
   *   object with a prototype (a class instance) contributes only what it defines itself.
   */
  constructor(
    readonly name: string,
    handlers: Record<string, Handler>,
  ) {
    if (name.length === 0 || name.includes(".")) throw new TypeError(`bad service name "${name}"`);
    const table = new Map<string, Handler>();
    for (const [method, handler] of Object.entries(handlers)) {
      if (typeof handler !== "function") throw new TypeError(`handler ${name}.${method} is not a function`);
      table.set(method, handler);
    }
    this.handlers = table;
  }

  get methods(): string[] {
    return [...this.handlers.keys()].map((m) => `${this.name}.${m}`);
  }

  handler(method: string): Handler | undefined {
    return this.handlers.get(method);
  }
}

/** A container of services sharing one dispatcher, added to a network under a name. */
export class Server {
  private readonly services = new Map<string, Service>();
  /** Handlers found so far by full method name: a lookup per RPC without cutting the name in two. */
  private readonly found = new Map<string, Handler>();
  private count = 0;

  addService(service: Service): this {
    if (this.services.has(service.name))
      throw new Error(`service "${service.name}" is already on this server`);
    this.services.set(service.name, service);
    return this;
  }

  /** RPCs that reached this server (not dropped on the way). */
  getCount(): number {
    return this.count;
  }

  /** Every `"Service.Method"` this server answers, sorted. */
  get methods(): string[] {
    return [...this.services.values()].flatMap((s) => s.methods).sort();
  }

  /** Finds the handler for `"Service.Method"` or throws UnknownMethodError listing the valid names. */
  lookup(method: string): Handler {
    const known = this.found.get(method);
    if (known) return known;
    const dot = method.indexOf(".");
    const service = dot > 0 ? this.services.get(method.slice(0, dot)) : undefined;
    const handler = service?.handler(method.slice(dot + 1));
    if (!handler) throw new UnknownMethodError(method, this.methods);
    this.found.set(method, handler);
    return handler;
  }

  /** Counts the request and runs its handler. */
  dispatch(method: string, args: unknown): unknown {
    this.count++;
    const handler = this.lookup(method) as Handler<unknown>;
    return handler(args);
  }
}
