/**
 * The large-state check at a size CI cannot afford (issue 11: 1 GiB). Run from this package
 * after a build: `node --import tsx scripts/large-state.ts [MiB] [valueKiB] [maxRaftStateMiB]`
 * (defaults 1024, 512, 128). Prints the figures as JSON.
 */
import { largeStateCheck } from "../test/helpers/large-state.js";

const [mib = 1024, valueKib = 512, maxRaftStateMib = 128] = process.argv.slice(2).map(Number);
const figures = await largeStateCheck({
  totalBytes: mib * 1024 * 1024,
  valueBytes: valueKib * 1024,
  maxRaftStateBytes: maxRaftStateMib * 1024 * 1024,
  writers: 4,
  catchUpWithinMs: 15 * 60_000,
  log: (line) => console.error(line),
});
console.log(
  JSON.stringify(
    { stateMiB: mib, valueKiB: valueKib, maxRaftStateMiB: maxRaftStateMib, ...figures },
    null,
    2,
  ),
);
