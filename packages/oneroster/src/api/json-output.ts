/**
 * An entity as the API sends it: every GUIDRef's `href` pointing at this server (`{baseUrl}/{collection}/{id}`,
 * whatever href the row was stored with), then cut down to the selected `fields`.
 */
import { guidRefHref } from '../model/json-binding.ts';
import { type GuidRefType, guidRefTypes } from '../model/vocabulary.ts';

const refTypes: ReadonlySet<string> = new Set(guidRefTypes);

function isGuidRef(value: unknown): value is { href?: string; sourcedId: string; type: GuidRefType } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const { sourcedId, type } = value as { sourcedId?: unknown; type?: unknown };
  return typeof sourcedId === 'string' && typeof type === 'string' && refTypes.has(type);
}

function rewrite(value: unknown, baseUrl: string): unknown {
  if (isGuidRef(value))
    return {
      href: guidRefHref(baseUrl, value.type, value.sourcedId),
      sourcedId: value.sourcedId,
      type: value.type,
    };
  if (Array.isArray(value) && value.length > 0 && value.every(isGuidRef))
    return value.map((item) => rewrite(item, baseUrl));
  return value;
}

/** The entity with its GUIDRefs' hrefs built from `baseUrl`, and only the `fields` asked for (all when absent). */
export function entityOutput(
  entity: Readonly<Record<string, unknown>>,
  baseUrl: string,
  fields?: readonly string[],
): Record<string, unknown> {
  const output: Record<string, unknown> = {};
  const names = fields ?? Object.keys(entity);
  for (const name of names) {
    const value = entity[name];
    if (value === undefined) continue;
    // Only objects and arrays can hold a GUIDRef; most properties are text.
    output[name] =
      typeof value !== 'object' || value === null || name === 'metadata' ? value : rewrite(value, baseUrl);
  }
  return output;
}
