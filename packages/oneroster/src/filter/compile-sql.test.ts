import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileFilter, compileOrderBy, jsonbFieldSql, SqlParameters } from './compile-sql.ts';
import { compareEntities, matchesFilter } from './evaluate.ts';
import { fieldCatalog } from './fields.ts';
import { parseFilter } from './parse-filter.ts';
import { resolveFilter } from './resolve-filter.ts';

const users: Record<string, unknown>[] = [
  {
    sourcedId: 'u1',
    status: 'active',
    dateLastModified: '2026-01-02T00:00:00.000Z',
    givenName: 'Ann',
    familyName: "O'Brien",
    role: 'student',
    enabledUser: true,
    orgs: [{ href: '', sourcedId: 's1', type: 'org' }],
    grades: ['09'],
    metadata: { house: 'red' },
  },
  {
    sourcedId: 'u2',
    status: 'tobedeleted',
    dateLastModified: '2026-02-01T12:00:00.123Z',
    givenName: 'Bob',
    familyName: 'Jones',
    role: 'teacher',
    enabledUser: false,
    orgs: [
      { href: '', sourcedId: 's1', type: 'org' },
      { href: '', sourcedId: 's2', type: 'org' },
    ],
  },
  {
    sourcedId: 'U3',
    givenName: 'Émile',
    familyName: 'jones',
    role: 'student',
    enabledUser: true,
    orgs: [{ href: '', sourcedId: 's2', type: 'org' }],
    grades: ['10', '11'],
  },
];

const filters = [
  "familyName='Jones'",
  "familyName~'ones'",
  "familyName<'K'",
  "givenName>'Z'",
  "dateLastModified>'2026-01-02T00:00:00Z'",
  "dateLastModified='2026-02-01T12:00:00.123Z'",
  "status!='active'",
  "status<'z'",
  "metadata.house='red'",
  "metadata.house!='red'",
  "metadata.house~'e'",
  "orgs.sourcedId='s1'",
  "orgs.sourcedId!='s1'",
  "orgs.sourcedId~'2'",
  "grades>'10'",
  "grades!='09'",
  "enabledUser='true'",
  "enabledUser<'true'",
  "role='student' AND enabledUser='true' AND grades='10'",
  "givenName='Ann' OR givenName='Bob' OR givenName='Nobody'",
  "sourcedId>='u'",
];

let database: PGlite;

beforeAll(async () => {
  database = new PGlite();
  await database.query('create table users (sourced_id text collate "C" primary key, data jsonb not null)');
  for (const user of users) {
    await database.query('insert into users values ($1, $2)', [user.sourcedId, JSON.stringify(user)]);
  }
});

afterAll(async () => {
  await database.close();
});

const resolve = (field: Parameters<typeof jsonbFieldSql>[0], parameters: SqlParameters) =>
  jsonbFieldSql(field, 'users.data', parameters);

describe('compileFilter on PostgreSQL (PGlite)', () => {
  it.each(filters)('%s selects what the in-memory evaluation selects', async (text) => {
    const filter = resolveFilter('users', parseFilter(text));
    const parameters = new SqlParameters();
    const where = compileFilter(filter, resolve, parameters);
    const { rows } = await database.query<{ sourced_id: string }>(
      `select sourced_id from users where ${where} order by sourced_id collate "C"`,
      parameters.values,
    );
    const expected = users
      .filter((user) => matchesFilter(user, filter))
      .sort(compareEntities(undefined))
      .map((user) => user.sourcedId);
    expect(rows.map((row) => row.sourced_id)).toEqual(expected);
  });

  it('never writes a request value into the SQL text', () => {
    const hostile = "x'); drop table users; --";
    const parsed = parseFilter(`familyName='${hostile.replaceAll("'", "''")}' OR grades~'${"'';--"}'`);
    if (parsed.type !== 'or') throw new Error('expected OR');
    // A metadata name no parser would pass, to show even field text travels as a parameter.
    parsed.operands.push({ type: 'predicate', field: "metadata.a'b", operator: '=', value: '1' });
    const filter = resolveFilter('users', parsed);
    const parameters = new SqlParameters();
    const where = compileFilter(filter, resolve, parameters);
    expect(where).not.toContain('drop table');
    expect(where).not.toContain("a'b");
    expect(parameters.values).toContain(hostile);
    expect(parameters.values).toContain("a'b");
  });

  it('orders like compareEntities for every sortable field, both directions', async () => {
    const catalog = fieldCatalog('users');
    for (const field of catalog.queryFields.values()) {
      if (!field.sortable) continue;
      for (const direction of ['asc', 'desc'] as const) {
        const parameters = new SqlParameters();
        const orderBy = compileOrderBy({ field, direction }, resolve, parameters, 'users.sourced_id');
        const { rows } = await database.query<{ sourced_id: string }>(
          `select sourced_id from users order by ${orderBy}`,
          parameters.values,
        );
        const expected = [...users].sort(compareEntities({ field, direction })).map((user) => user.sourcedId);
        expect(
          rows.map((row) => row.sourced_id),
          `${field.path} ${direction}`,
        ).toEqual(expected);
      }
    }
  });
});
