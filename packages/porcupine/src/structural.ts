import { FNV_OFFSET, fnv1a, hashNumber, mix32 } from "./hash.js";

/**
 * Structural equality for plain data: primitives (with Object.is semantics, except that 0 equals -0),
 * arrays, plain objects, Maps and Sets (Set members compared by identity). The default `Model.equal`.
 */
export function structuralEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) {
    return Number.isNaN(a) && Number.isNaN(b);
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!structuralEqual(a[i], b[i])) return false;
    return true;
  }
  if (a instanceof Map) {
    if (!(b instanceof Map) || a.size !== b.size) return false;
    for (const [key, value] of a) {
      if (!b.has(key) || !structuralEqual(value, b.get(key))) return false;
    }
    return true;
  }
  if (a instanceof Set) {
    if (!(b instanceof Set) || a.size !== b.size) return false;
    for (const value of a) if (!b.has(value)) return false;
    return true;
  }
  if (Array.isArray(b) || b instanceof Map || b instanceof Set) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const keysA = Object.keys(a);
  if (keysA.length !== Object.keys(b).length) return false;
  const recordA = a as Record<string, unknown>;
  const recordB = b as Record<string, unknown>;
  for (const key of keysA) {
    if (!Object.hasOwn(recordB, key) || !structuralEqual(recordA[key], recordB[key])) return false;
  }
  return true;
}

/**
 * A hash consistent with `structuralEqual` (equal values hash alike). Map entries and object keys are
 * combined order-independently; Set members only contribute their count.
 */
export function structuralHash(value: unknown): number {
  switch (typeof value) {
    case "string":
      return fnv1a(value);
    case "number":
      return Number.isNaN(value) ? 0x7ff8 : hashNumber(value === 0 ? 0 : value);
    case "boolean":
      return value ? 0x1234567 : 0x7654321;
    case "bigint":
      return fnv1a(value.toString(), 0x3c6ef372);
    case "undefined":
      return 0x5bd1e995;
    case "object":
      return value === null ? 0x27d4eb2f : hashObject(value);
    default:
      return 0;
  }
}

function hashObject(value: object): number {
  if (Array.isArray(value)) {
    let h = FNV_OFFSET ^ value.length;
    for (const item of value) h = Math.imul(h ^ structuralHash(item), 0x01000193);
    return h | 0;
  }
  if (value instanceof Map) {
    let h = value.size;
    for (const [key, item] of value) h ^= mix32(structuralHash(key) + Math.imul(structuralHash(item), 31));
    return h | 0;
  }
  if (value instanceof Set) return mix32(value.size ^ 0x9e3779b9);
  let h = 0x1b873593;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) h ^= mix32(fnv1a(key) + Math.imul(structuralHash(record[key]), 31));
  return h | 0;
}
