export const CHROMIUM: string;
export const CHROMIUM_ARGS: string[];
export function browserTestsEnabled(file: string): boolean;
/** `browser` is playwright-core's Browser; `page` comes back with playwright's Page type. */
export function openPage<P>(
  browser: { newPage(): Promise<P> },
  path: string,
): Promise<{ page: P; problems: string[] }>;
