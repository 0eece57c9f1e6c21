/** Runs `promise` and returns what it settled with, as a value (to assert on a rejection's type). */
export async function settle<T>(promise: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  try {
    return { value: await promise };
  } catch (error) {
    return { error };
  }
}
