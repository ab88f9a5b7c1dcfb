import type { z } from 'zod';
import { ConnectorError } from '../errors/connector-error.ts';

/** Validates options at construction; the message names the bad option. */
export function parseOptions<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  what: string,
): z.output<Schema> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map(
    (issue) => `${issue.path.join('.') || '(options)'}: ${issue.message}`,
  );
  throw new ConnectorError('CONNECTOR_INVALID_OPTIONS', `Invalid ${what} options: ${problems.join('; ')}`, {
    detail: parsed.error.issues,
  });
}
