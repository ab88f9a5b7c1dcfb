import type { CatalogSnapshot } from '../ports.ts';
import type { Course, GradableItem, Program } from './types.ts';

export interface EntityChanges<Entity> {
  added: Entity[];
  removed: Entity[];
  /** Present before and after with at least one field changed; `fields` names them. */
  changed: { before: Entity; after: Entity; fields: string[] }[];
}

/** What changed between two catalog syncs. A first sync (no previous snapshot) reports everything as added. */
export interface CatalogChanges {
  programs: EntityChanges<Program>;
  courses: EntityChanges<Course>;
  items: EntityChanges<GradableItem>;
}

type Catalog = Pick<CatalogSnapshot, 'programs' | 'courses' | 'items'>;

const emptyCatalog: Catalog = { programs: [], courses: [], items: [] };

export function diffCatalog(previous: Catalog | undefined, current: Catalog): CatalogChanges {
  const before = previous ?? emptyCatalog;
  return {
    programs: diffEntities(before.programs, current.programs, (program) => program.id),
    courses: diffEntities(
      before.courses,
      current.courses,
      (course) => `${course.programId}\u0000${course.id}`,
    ),
    items: diffEntities(before.items, current.items, (item) => `${item.courseId}\u0000${item.id}`),
  };
}

/** True when nothing was added, removed or changed. */
export function isCatalogUnchanged(changes: CatalogChanges): boolean {
  return [changes.programs, changes.courses, changes.items].every(
    (entity) => entity.added.length === 0 && entity.removed.length === 0 && entity.changed.length === 0,
  );
}

function diffEntities<Entity extends object>(
  before: Entity[],
  after: Entity[],
  keyOf: (entity: Entity) => string,
): EntityChanges<Entity> {
  const beforeByKey = new Map(before.map((entity) => [keyOf(entity), entity]));
  const afterKeys = new Set(after.map(keyOf));
  const changes: EntityChanges<Entity> = { added: [], removed: [], changed: [] };
  for (const entity of after) {
    const previous = beforeByKey.get(keyOf(entity));
    if (previous === undefined) {
      changes.added.push(entity);
      continue;
    }
    const fields = changedFields(previous, entity);
    if (fields.length > 0) changes.changed.push({ before: previous, after: entity, fields });
  }
  for (const entity of before) if (!afterKeys.has(keyOf(entity))) changes.removed.push(entity);
  return changes;
}

function changedFields(before: object, after: object): string[] {
  const fields = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...fields]
    .filter(
      (field) =>
        JSON.stringify((before as Record<string, unknown>)[field]) !==
        JSON.stringify((after as Record<string, unknown>)[field]),
    )
    .sort();
}
