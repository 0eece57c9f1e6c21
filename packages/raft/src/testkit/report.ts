/** The figures of the lab's "Passed" line. */
export interface PassedFigures {
  title: string;
  /** Virtual seconds since `begin()`. */
  seconds: number;
  peers: number;
  /** RPCs sent since `begin()` (network total). */
  rpcs: number;
  /** Bytes sent since `begin()` (requests, plus replies delivered). */
  bytes: number;
  /** Log entries committed since `begin()`. */
  commands: number;
}

const pad = (value: string | number, width: number): string => String(value).padStart(width);

/**
 * Formats the lab's line, `"<title> ... Passed --  %4.1f  %d %4d %7d %4d"`, e.g.
 * `3B: basic agreement ... Passed --   0.9  3   16    4572    3`.
 */
export function formatPassedLine(figures: PassedFigures): string {
  const { title, seconds, peers, rpcs, bytes, commands } = figures;
  return `${title} ... Passed --  ${pad(seconds.toFixed(1), 4)}  ${peers} ${pad(rpcs, 4)} ${pad(bytes, 7)} ${pad(commands, 4)}`;
}
