import type { Clock } from "../src/index.js";
import { Server, Service } from "../src/index.js";

/** The lab's "junk" server: a handful of handlers with known answers, and a log of what ran. */
export function junkServer(clock: Clock) {
  const log1: string[] = [];
  const log2: number[] = [];
  const service = new Service("JunkServer", {
    Handler1: (args: string) => {
      log1.push(args);
      return Number.parseInt(args, 10);
    },
    Handler2: (args: number) => {
      log2.push(args);
      return `handler2-${args}`;
    },
    Handler3: async (args: number) => {
      await clock.sleep(20_000);
      return -args;
    },
    Handler4: (args: { x: string }) => ({ x: `pointer:${args.x}` }),
    Handler5: (args: number) => ({ x: `value:${args}` }),
    Handler6: (args: string) => args.length,
    Handler7: (args: number) => "y".repeat(args),
    Mutate: (args: { items: number[] }) => {
      args.items.push(99);
      return args;
    },
    Throw: () => {
      throw new Error("boom");
    },
  });
  return { server: new Server().addService(service), log1, log2 };
}
