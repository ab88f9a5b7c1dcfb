/** Exit codes of `passport`. */
export const exitCodes = { ok: 0, failure: 1, usage: 2 } as const;

/** A wrong argument found while a command runs (a path that does not exist, flags that exclude each other): exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
