/**
 * Reading status info payloads from any OneRoster server, leniently: the spec's `imsx_codeMajor` / `imsx_CodeMinor`
 * casing differs between vendors (`imsx_codeMinor`, `imsx_CodeMinor`, `imsx_codeMinor` as a plain string), the
 * payload may sit at the root, under `imsx_StatusInfo`, or in a `statusInfoSet` array, and a code minor field list
 * may be an array or a single object.
 */

export interface ParsedStatusInfo {
  codeMajor?: string;
  severity?: string;
  description?: string;
  /** Every code minor value reported (`unknownobject`, `invalid_sort_field`). */
  codeMinor: string[];
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value of the first key matching one of `names`, ignoring case and `_`. */
function pick(object: Json, ...names: string[]): unknown {
  const wanted = new Set(names.map((name) => name.toLowerCase().replaceAll('_', '')));
  for (const [key, value] of Object.entries(object)) {
    if (wanted.has(key.toLowerCase().replaceAll('_', ''))) return value;
  }
  return undefined;
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;

function codeMinorValues(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(codeMinorValues);
  if (!isObject(value)) return [];
  const direct = text(
    pick(value, 'imsx_codeMinorFieldValue', 'codeMinorFieldValue', 'codeMinorValue', 'value'),
  );
  if (direct !== undefined) return [direct];
  return codeMinorValues(pick(value, 'imsx_codeMinorField', 'codeMinorField', 'imsx_codeMinor', 'codeMinor'));
}

function parseOne(object: Json): ParsedStatusInfo | undefined {
  const codeMajor = text(pick(object, 'imsx_codeMajor', 'codeMajor'));
  const severity = text(pick(object, 'imsx_severity', 'severity'));
  const description = text(pick(object, 'imsx_description', 'description'));
  const codeMinor = codeMinorValues(pick(object, 'imsx_CodeMinor', 'codeMinor'));
  if (codeMajor === undefined && severity === undefined && codeMinor.length === 0) return undefined;
  return {
    ...(codeMajor === undefined ? {} : { codeMajor }),
    ...(severity === undefined ? {} : { severity }),
    ...(description === undefined ? {} : { description }),
    codeMinor,
  };
}

/** Every status info payload in a response body (none when it has none). */
export function parseStatusPayloads(body: unknown): ParsedStatusInfo[] {
  if (Array.isArray(body)) return body.flatMap(parseStatusPayloads);
  if (!isObject(body)) return [];
  const found: ParsedStatusInfo[] = [];
  const root = parseOne(body);
  if (root !== undefined) found.push(root);
  const nested = pick(body, 'imsx_StatusInfo', 'statusInfo');
  if (nested !== undefined) found.push(...parseStatusPayloads(nested));
  const set = pick(body, 'statusInfoSet', 'imsx_statusInfoSet');
  if (set !== undefined) {
    const items = isObject(set) ? (pick(set, 'imsx_statusInfo', 'statusInfo') ?? set) : set;
    found.push(...parseStatusPayloads(items));
  }
  return found;
}
