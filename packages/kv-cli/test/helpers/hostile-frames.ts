import type { SeededRandom } from "@raftkit/labrpc";
import { PROTOCOL_VERSION } from "@raftkit/transport-tcp";
import { Encoder } from "cbor-x";

// Frames a fuzzer writes to a live member: random bytes, valid frames mutated, and valid frames
// of hostile shape — every field of every raft and client message given each wrong type, deep
// nesting, `__proto__` keys, CBOR headers declaring huge lengths. Every raft request carries at
// least one wrong field: a well-typed one from a peer claiming a member id would be a Byzantine
// member, which raft does not claim to survive (TLS and certificate identities keep those out).

const codec = new Encoder({ useRecords: false, mapsAsObjects: true });
const cbor = (value: unknown): Buffer => Buffer.from(codec.encode(value));

/** 4-byte big-endian length, then the payload: the transport's framing. */
export function frame(payload: Uint8Array): Buffer {
  const out = Buffer.alloc(4 + payload.length);
  out.writeUInt32BE(payload.length, 0);
  out.set(payload, 4);
  return out;
}

export const hello = (cluster: string, from: string, to: number): Buffer =>
  frame(cbor({ t: "hello", v: PROTOCOL_VERSION, cluster, from, to }));

/** The messages a member serves, with a well-typed example of every field. */
const MESSAGES: Record<string, Record<string, unknown>> = {
  RequestVote: { term: 1, candidateId: 0, lastLogIndex: 0, lastLogTerm: 0 },
  AppendEntries: {
    term: 1,
    leaderId: 0,
    prevLogIndex: 0,
    prevLogTerm: 0,
    entries: [
      {
        term: 1,
        command: [1, 3, 1, [1, "k", "v"]],
      },
    ],
    leaderCommit: 0,
  },
  InstallSnapshot: {
    term: 1,
    leaderId: 0,
    lastIncludedIndex: 1,
    lastIncludedTerm: 1,
    data: new Uint8Array(8),
  },
  "Service.OpenSession": { to: 0 },
  "Service.Submit": { session: 1, seq: 1, command: [1, "k", "v"] },
  "Service.Read": { query: "k" },
  "Admin.Status": {},
};
export const METHODS = Object.keys(MESSAGES);

/** Nested arrays `depth` deep, written directly (an encoder would recurse as deep). */
function deepArray(depth: number): Buffer {
  return Buffer.concat([Buffer.alloc(depth, 0x81), Buffer.from([0x00])]);
}

/**
 * Wrong values of every kind, as CBOR items. Some are written by hand: no encoder produces them.
 * One in eight is structural (deep nesting, `__proto__`, huge declared lengths): the transport
 * closes the connection on those, so they are kept rare enough for the rest to reach the handlers.
 */
function wrongValue(random: SeededRandom): Buffer {
  const structural = random.int(8) === 0;
  switch (structural ? 9 + random.int(5) : [0, 1, 2, 3, 4, 5, 6, 7, 8, 14, 15][random.int(11)]) {
    case 0:
      return cbor(null);
    case 1:
      return Buffer.from([0xf7]); // undefined
    case 2:
      return cbor(random.int(2) === 0);
    case 3:
      return cbor([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60][random.int(5)]);
    case 4:
      return cbor(String(random.int(1000)));
    case 5:
      return cbor("x".repeat(random.int(2) === 0 ? 0 : 64 * 1024));
    case 6:
      return cbor(new Uint8Array(random.int(64)));
    case 7:
      return cbor([]);
    case 8:
      return cbor({ nested: { deeper: [1, { x: "y" }] } });
    case 9:
      return deepArray(1 + random.int(100_000));
    case 10: // {"__proto__": {"polluted": true}}
      return Buffer.concat([Buffer.from([0xa1, 0x69]), Buffer.from("__proto__"), cbor({ polluted: true })]);
    case 11: // a byte string declaring 4 GiB, then 3 bytes
      return Buffer.from([0x5a, 0xff, 0xff, 0xff, 0xff, 1, 2, 3]);
    case 12: // an array declaring 2^32-1 items, then one
      return Buffer.from([0x9a, 0xff, 0xff, 0xff, 0xff, 0x00]);
    case 13: // a map declaring 2^32-1 pairs
      return Buffer.from([0xba, 0xff, 0xff, 0xff, 0xff, 0x61, 0x61, 0x00]);
    case 14: // a text string that is not UTF-8
      return Buffer.from([0x63, 0xff, 0xfe, 0xfd]);
    default: // an unknown tag around a number
      return Buffer.from([0xd9, 0xff, 0xff, 0x01]);
  }
}

/** A CBOR map written item by item, so hand-made values can sit in it. */
function map(entries: Array<[string, Buffer]>): Buffer {
  if (entries.length > 23) throw new Error("map() writes at most 23 entries");
  return Buffer.concat([Buffer.from([0xa0 + entries.length]), ...entries.flatMap(([k, v]) => [cbor(k), v])]);
}

/** A request for `method` with one field (or an entry's field) wrong, missing, or a stray key. */
function hostileRequest(random: SeededRandom, id: number): Buffer {
  const method = METHODS[random.int(METHODS.length)]!;
  const fields = Object.entries(MESSAGES[method]!).map(([k, v]): [string, Buffer] => [k, cbor(v)]);
  const which = random.int(16) === 0 ? fields.length + 1 : random.int(fields.length + 1);
  if (which < fields.length) {
    const [name] = fields[which]!;
    if (name === "entries" && random.int(2) === 0) {
      // A wrong term inside an entry: the entry list itself is what must be checked.
      fields[which] = [
        name,
        Buffer.concat([
          Buffer.from([0x81]),
          map([
            ["term", wrongValue(random)],
            ["command", cbor(1)],
          ]),
        ]),
      ];
    } else fields[which] = [name, wrongValue(random)];
  } else if (which === fields.length && fields.length > 0) {
    fields.splice(random.int(fields.length), 1); // a field missing
    if (method !== "Admin.Status") fields.push(["term", wrongValue(random)]);
  } else {
    fields.push(["__proto__", wrongValue(random)]);
  }
  // Client methods get a wrong type too when the stray key alone would leave them valid.
  const args = method === "Admin.Status" ? wrongValue(random) : map(fields);
  // A call as transport-tcp frames it: [0, id, method, args].
  return frame(Buffer.concat([Buffer.from([0x84]), cbor(0), cbor(id), cbor(method), args]));
}

/**
 * One hostile frame (or fragment): what the fuzzer writes next. With `framed`, always a whole
 * frame whose payload is CBOR most of the time, so that the connection lives on and the requests
 * reach the member's handlers; otherwise also random bytes, bad headers and cut frames.
 */
export function hostileFrame(random: SeededRandom, id: number, framed: boolean): Buffer {
  const kind = framed ? (random.int(8) === 0 ? 2 : 4) : random.int(10);
  if (kind === 0) return Buffer.from(Array.from({ length: 1 + random.int(64) }, () => random.int(256)));
  if (kind === 1) {
    const bytes = Buffer.alloc(4); // a frame header declaring up to 4 GiB, and nothing after it
    bytes.writeUInt32BE(random.int(2 ** 32), 0);
    return bytes;
  }
  const request = hostileRequest(random, id);
  if (kind === 2) {
    for (let flips = 1 + random.int(4); flips > 0; flips--)
      request[4 + random.int(request.length - 4)] = random.int(256);
    return request;
  }
  if (kind === 3) return request.subarray(0, random.int(request.length));
  return request;
}
