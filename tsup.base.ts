import type { Options } from "tsup";

const common: Options = { sourcemap: true, target: "node20" };

/** The library build every raftkit package shares: ESM + CJS + .d.ts for each entry, for Node 20. */
export function packageBuild(entry: NonNullable<Options["entry"]>, overrides: Options = {}): Options {
  return { ...common, entry, format: ["esm", "cjs"], dts: true, clean: true, ...overrides };
}
