import type { StatusRow } from "./status-rows.js";

/** The rows as a JSON array (absent figures are null), one document on one line. */
export function statusJson(rows: readonly StatusRow[]): string {
  return `${JSON.stringify(rows, (_key, value: unknown) => (value === undefined ? null : value))}\n`;
}
