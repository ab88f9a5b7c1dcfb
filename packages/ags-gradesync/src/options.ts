import { z } from 'zod';
import { GradeSyncError } from './errors.ts';

/** A port or function option: present and of the right kind; its methods are the port's contract. */
export function port<T>(kind: 'object' | 'function' = 'object') {
  return z.custom<T>(
    (value) =>
      kind === 'function' ? typeof value === 'function' : typeof value === 'object' && value !== null,
    { message: kind === 'function' ? 'expected a function' : 'expected an object implementing the port' },
  );
}

/** Validates options with zod at construction; the error names the bad option. */
export function parseOptions<Schema extends z.ZodType>(
  schema: Schema,
  options: unknown,
  what: string,
): z.output<Schema> {
  const result = schema.safeParse(options);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path.map(String).join('.') || '(options)';
  throw new GradeSyncError(
    'GRADESYNC_OPTIONS_INVALID',
    `Invalid ${what} option "${path}": ${issue?.message ?? 'invalid'}.`,
  );
}
