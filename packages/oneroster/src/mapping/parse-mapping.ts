/** Loading a mapping: its shape (schema.ts), then its fit to the OneRoster model (check-mapping.ts). */
import { readFile } from 'node:fs/promises';
import { OneRosterError } from '../errors.ts';
import { checkMapping, formatPath, type MappingIssue } from './check-mapping.ts';
import { type Mapping, mappingSchema } from './schema.ts';

export type MappingErrorCode = 'ONEROSTER_MAPPING_INVALID';

/** How many problems the message lists; `detail` holds them all. */
const listedIssues = 20;

/**
 * A mapping that cannot be used: `detail` is the list of `{path, message}` problems, each naming where in the
 * mapping it is (`files[1].columns[0].lookup.take`).
 */
function mappingError(issues: MappingIssue[], source = 'mapping'): OneRosterError {
  const listed = issues.slice(0, listedIssues).map((issue) => `${issue.path}: ${issue.message}`);
  if (issues.length > listedIssues) listed.push(`and ${issues.length - listedIssues} more`);
  return new OneRosterError('ONEROSTER_MAPPING_INVALID', `Invalid ${source}: ${listed.join('; ')}`, {
    detail: issues,
  });
}

/** Validates a mapping (parsed JSON) and returns it with shorthand columns expanded. Throws listing every problem. */
export function parseMapping(json: unknown): Mapping {
  const parsed = mappingSchema.safeParse(json);
  if (!parsed.success) {
    throw mappingError(
      parsed.error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message })),
    );
  }
  const issues = checkMapping(parsed.data);
  if (issues.length > 0) throw mappingError(issues);
  return parsed.data;
}

/** Reads and parses a mapping file (JSON). */
export async function loadMapping(path: string): Promise<Mapping> {
  const text = await readFile(path, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw mappingError([{ path: '(mapping)', message: `not JSON: ${(error as Error).message}` }], path);
  }
  try {
    return parseMapping(json);
  } catch (error) {
    if (error instanceof OneRosterError && error.code === 'ONEROSTER_MAPPING_INVALID') {
      throw mappingError(error.detail as MappingIssue[], path);
    }
    throw error;
  }
}
