import { simTest } from "@raftkit/labrpc";
import { DEFAULT_CONFIG } from "@raftkit/raft";
import { encode } from "cbor-x";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ServiceConfigError, ValueTooLargeError } from "../src/index.js";
import { entries } from "../src/replica/entry.js";
import { ENTRY_ENVELOPE_BYTES } from "../src/replica/size.js";
import { ServiceCluster } from "../src/testkit/index.js";
import { Counter, type CounterCommand } from "./helpers/counter.js";

/** A counter command whose encoding is exactly `bytes` long. */
function commandOf(bytes: number): CounterCommand {
  for (let pad = Math.max(0, bytes - 40); ; pad++) {
    const command = { add: 1, pad: "x".repeat(pad) } as CounterCommand;
    const size = encode(command).byteLength;
    if (size === bytes) return command;
    if (size > bytes) throw new Error(`no command of exactly ${bytes} bytes`);
  }
}

const counters = (sim: Parameters<Parameters<typeof simTest>[0]>[0], replica = {}) =>
  new ServiceCluster(sim, { servers: 3, stateMachine: () => new Counter(), replica });

test("the envelope around a command in the log is at most ENTRY_ENVELOPE_BYTES", () => {
  const command = commandOf(1000);
  const largest = entries.session(Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, command);
  const envelope = encode(largest).byteLength - encode(command).byteLength;
  assert.ok(envelope >= 20 && envelope <= ENTRY_ENVELOPE_BYTES, `envelope ${envelope}`);
});

test(
  "by default a command may be raft's maxProposalBytes less the envelope, and a larger one is refused by the service naming that limit",
  simTest(async (sim) => {
    const cluster = counters(sim, { raftConfig: { maxProposalBytes: 4096 } });
    const limit = 4096 - ENTRY_ENVELOPE_BYTES;
    const client = cluster.client();
    assert.is(await client.submit(commandOf(limit)), 1, "the largest command commits");
    const error = await client.submit(commandOf(limit + 1)).catch((e: unknown) => e);
    assert.instance(error, ValueTooLargeError);
    assert.is((error as ValueTooLargeError).sizeBytes, limit + 1, "the command's size, not its entry's");
    assert.is((error as ValueTooLargeError).limitBytes, limit);
    await cluster.close();
  }),
);

test(
  "raft's default leaves a command 1 MiB less the envelope",
  simTest(async (sim) => {
    const cluster = counters(sim);
    const limit = DEFAULT_CONFIG.maxProposalBytes - ENTRY_ENVELOPE_BYTES;
    const error = await cluster
      .client()
      .submit(commandOf(limit + 1))
      .catch((e: unknown) => e);
    assert.instance(error, ValueTooLargeError);
    assert.is((error as ValueTooLargeError).limitBytes, limit);
    await cluster.close();
  }),
);

test(
  "maxCommandBytes above what raft accepts is a ServiceConfigError saying what to do",
  simTest(async (sim) => {
    const raised = () => counters(sim, { maxCommandBytes: 2 * 1024 * 1024 });
    assert.throws(raised, (e: unknown) => e instanceof ServiceConfigError);
    assert.throws(
      raised,
      /maxCommandBytes \(2097152\) is more than raft accepts: raftConfig.maxProposalBytes is 1048576.*lower maxCommandBytes or raise raftConfig.maxProposalBytes/,
    );
    assert.throws(
      () => counters(sim, { raftConfig: { maxProposalBytes: 64 } }),
      /raftConfig.maxProposalBytes \(64\) leaves no room for a command/,
    );
    const exact = counters(sim, { maxCommandBytes: DEFAULT_CONFIG.maxProposalBytes - ENTRY_ENVELOPE_BYTES });
    await exact.close();
  }),
);

test.run();
