import type { Event, RegisterInput, RegisterOutput } from "../../src/index.js";

type RegisterEvent = Event<RegisterInput, RegisterOutput>;

const PREFIX = String.raw`^INFO\s+jepsen\.util\s+-\s+(\d+)\s+`;
const INVOKE_READ = new RegExp(`${PREFIX}:invoke\\s+:read\\s+nil$`);
const INVOKE_WRITE = new RegExp(`${PREFIX}:invoke\\s+:write\\s+(\\d+)$`);
const INVOKE_CAS = new RegExp(`${PREFIX}:invoke\\s+:cas\\s+\\[(\\d+)\\s+(\\d+)\\]$`);
const OK_READ = new RegExp(`${PREFIX}:ok\\s+:read\\s+(nil|\\d+)$`);
const OK_WRITE = new RegExp(`${PREFIX}:ok\\s+:write\\s+(\\d+)$`);
const DONE_CAS = new RegExp(`${PREFIX}:(ok|fail)\\s+:cas\\s+\\[(\\d+)\\s+(\\d+)\\]$`);
const FAIL_READ = new RegExp(`${PREFIX}:fail\\s+:read\\s+:timed-out$`);

/**
 * Parses a Jepsen etcd log into events, as porcupine's tests do: `:info` lines are skipped, so those calls
 * stay open and are closed with an unknown output after every other event.
 */
export function parseEtcdLog(text: string): RegisterEvent[] {
  const events: RegisterEvent[] = [];
  const outstanding = new Map<number, number>();
  let nextId = 0;
  const call = (process: number, value: RegisterInput) => {
    const id = nextId++;
    outstanding.set(process, id);
    events.push({ clientId: process, kind: "call", value, id });
  };
  const complete = (process: number, value: RegisterOutput) => {
    const id = outstanding.get(process);
    if (id === undefined) throw new Error(`completion for process ${process} without an invoke`);
    outstanding.delete(process);
    events.push({ clientId: process, kind: "return", value, id });
  };
  const rules: [RegExp, (m: RegExpExecArray) => void][] = [
    [INVOKE_READ, (m) => call(Number(m[1]), { op: "read" })],
    [INVOKE_WRITE, (m) => call(Number(m[1]), { op: "write", value: Number(m[2]) })],
    [INVOKE_CAS, (m) => call(Number(m[1]), { op: "cas", from: Number(m[2]), to: Number(m[3]) })],
    [OK_READ, (m) => complete(Number(m[1]), { value: m[2] === "nil" ? null : Number(m[2]) })],
    [OK_WRITE, (m) => complete(Number(m[1]), {})],
    [DONE_CAS, (m) => complete(Number(m[1]), { ok: m[2] === "ok" })],
    [FAIL_READ, (m) => complete(Number(m[1]), { unknown: true })],
  ];
  for (const line of text.split("\n")) {
    for (const [pattern, handle] of rules) {
      const m = pattern.exec(line);
      if (m !== null) {
        handle(m);
        break;
      }
    }
  }
  for (const [process, id] of outstanding) {
    events.push({ clientId: process, kind: "return", value: { unknown: true }, id });
  }
  return events;
}
