/**
 * Which fields a query may name, entity by entity: the catalog `filter`, `sort` and `fields` are checked against.
 * Derived from the JSON binding (`model/json-binding.ts`), so it cannot drift from the entities:
 *
 * - a scalar field by its name (`givenName`, `score`, `dateLastModified`, `enabledUser`);
 * - a multi-valued field by its name (`grades`, `subjects`): a predicate holds when one of the items satisfies it;
 * - a GUIDRef by `<field>.sourcedId` (`school.sourcedId`, `course.sourcedId`), and an array of GUIDRefs the same
 *   way with any-item semantics (`orgs.sourcedId`, `terms.sourcedId`);
 * - an extension by `metadata.<name>`, compared as text.
 *
 * `fields` selects top-level properties, including those no query can filter on (`userIds`, `children`,
 * `resources`, `metadata`).
 */
import type { FileName } from '../model/files.ts';
import { fileSpecs } from '../model/files.ts';
import { fieldBindings } from '../model/json-binding.ts';

/** How a field's values compare: text by code point, numbers numerically, datetimes as instants. */
export type FieldValueType = 'text' | 'number' | 'boolean' | 'datetime';

export interface QueryField {
  /** As a query writes it: `givenName`, `school.sourcedId`, `orgs.sourcedId`, `metadata.district`. */
  path: string;
  /** The top-level JSON property it reads (`school` for `school.sourcedId`). */
  property: string;
  /**
   * How the value is read from an entity: `value` the property itself; `list` an array of strings; `reference`
   * a GUIDRef's sourcedId; `references` the sourcedIds of an array of GUIDRefs; `metadata` one extension.
   */
  access: 'value' | 'list' | 'reference' | 'references' | 'metadata';
  valueType: FieldValueType;
  /** `list`: a predicate holds when any item satisfies it (and `!=` when none equals the value). */
  shape: 'scalar' | 'list';
  /** For `metadata` access: the extension's name. */
  metadataKey?: string;
  /** Whether `sort` accepts it (scalars only: a list has no single value to order by). */
  sortable: boolean;
}

export interface FieldCatalog {
  /** Every path `filter` and `sort` accept, except `metadata.<name>` (any name is accepted). */
  readonly queryFields: ReadonlyMap<string, QueryField>;
  /** The top-level properties `fields` accepts. */
  readonly selectableFields: ReadonlySet<string>;
}

/** Properties no CSV column holds: derived from other rows (`children`, `resources`). */
const derivedProperties: Readonly<Partial<Record<FileName, readonly string[]>>> = {
  orgs: ['children'],
  academicSessions: ['children'],
  classes: ['resources'],
  courses: ['resources'],
};

export const metadataPathPrefix = 'metadata.';

function buildCatalog(file: FileName): FieldCatalog {
  const queryFields = new Map<string, QueryField>();
  const selectableFields = new Set<string>(['metadata']);
  const kinds = new Map(fileSpecs[file].map((column) => [column.name, column.kind]));
  for (const binding of fieldBindings[file]) {
    selectableFields.add(binding.field);
    const { codec } = binding;
    const add = (field: Omit<QueryField, 'sortable'>) =>
      queryFields.set(field.path, { ...field, sortable: field.shape === 'scalar' });
    switch (codec.type) {
      case 'text': {
        const kind = kinds.get(binding.column)?.type;
        const valueType = kind === 'dateLastModified' || kind === 'datetime' ? 'datetime' : 'text';
        add({ path: binding.field, property: binding.field, access: 'value', valueType, shape: 'scalar' });
        break;
      }
      case 'dateAsDatetime':
        add({
          path: binding.field,
          property: binding.field,
          access: 'value',
          valueType: 'datetime',
          shape: 'scalar',
        });
        break;
      case 'boolean':
        add({
          path: binding.field,
          property: binding.field,
          access: 'value',
          valueType: 'boolean',
          shape: 'scalar',
        });
        break;
      case 'float':
        add({
          path: binding.field,
          property: binding.field,
          access: 'value',
          valueType: 'number',
          shape: 'scalar',
        });
        break;
      case 'list':
        add({
          path: binding.field,
          property: binding.field,
          access: 'list',
          valueType: 'text',
          shape: 'list',
        });
        break;
      case 'reference':
        add({
          path: `${binding.field}.sourcedId`,
          property: binding.field,
          access: codec.many ? 'references' : 'reference',
          valueType: 'text',
          shape: codec.many ? 'list' : 'scalar',
        });
        break;
      case 'userIds':
        // Selectable only: items are {type, identifier} pairs, which no single comparison describes.
        break;
    }
  }
  for (const property of derivedProperties[file] ?? []) selectableFields.add(property);
  return { queryFields, selectableFields };
}

const catalogs = new Map<FileName, FieldCatalog>();

/** The catalog of an entity file's fields. */
export function fieldCatalog(file: FileName): FieldCatalog {
  let catalog = catalogs.get(file);
  if (catalog === undefined) {
    catalog = buildCatalog(file);
    catalogs.set(file, catalog);
  }
  return catalog;
}

/** The query field a path names, or `undefined` when the entity has none by that path. */
export function queryFieldOf(file: FileName, path: string): QueryField | undefined {
  const known = fieldCatalog(file).queryFields.get(path);
  if (known !== undefined) return known;
  if (path.startsWith(metadataPathPrefix) && path.length > metadataPathPrefix.length) {
    const metadataKey = path.slice(metadataPathPrefix.length);
    return {
      path,
      property: 'metadata',
      access: 'metadata',
      valueType: 'text',
      shape: 'scalar',
      metadataKey,
      sortable: true,
    };
  }
  return undefined;
}
