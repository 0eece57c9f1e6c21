import type { Options } from "tsup";

const common: Options = { sourcemap: true, target: "node20" };

/**
 * The library build every raftkit package shares: ESM + CJS + .d.ts for each entry, for Node 20.
 * nanoid is bundled in: it is ESM-only, and `require` of ESM needs Node 20.19 or later.
 */
export function packageBuild(entry: NonNullable<Options["entry"]>, overrides: Options = {}): Options {
  return {
    ...common,
    entry,
    format: ["esm", "cjs"],
    dts: true,
    clean: true,
    noExternal: ["nanoid"],
    ...overrides,
  };
}
