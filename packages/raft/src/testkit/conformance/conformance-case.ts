/**
 * One check of a conformance suite. Suites are plain lists so that any test runner can register
 * them: `for (const c of suite) test(c.name, c.run)`.
 */
export interface ConformanceCase {
  readonly name: string;
  run(): Promise<void>;
}

/** Thrown when an implementation breaks the contract; the message says which rule. */
export class ConformanceError extends Error {
  override readonly name = "ConformanceError";
}

export function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new ConformanceError(message);
}

/** Structural equality for plain data (objects, arrays, typed arrays, primitives). */
export function sameData(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    return a.length === b.length && a.every((byte, i) => byte === b[i]);
  }
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((v, i) => sameData(v, b[i]));
  if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
    const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
    return (
      ka.length === kb.length &&
      ka.every((k) => sameData((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
    );
  }
  return false;
}

export const show = (value: unknown): string =>
  JSON.stringify(value, (_k, v) => (v instanceof Uint8Array ? `<${v.length} bytes>` : v))?.slice(0, 200) ??
  String(value);
