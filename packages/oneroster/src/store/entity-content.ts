/** What makes two versions of an entity "the same" for an import: everything but status and dateLastModified. */

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === 'object' && value !== null) {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const item = (value as Record<string, unknown>)[key];
      if (item !== undefined) sorted[key] = canonical(item);
    }
    return sorted;
  }
  return value;
}

/** The entity's content as text with keys sorted, without status, dateLastModified and derived fields. */
export function contentKey(entity: Readonly<Record<string, unknown>>): string {
  const { status: _status, dateLastModified: _dateLastModified, ...content } = entity;
  return JSON.stringify(canonical(content));
}
