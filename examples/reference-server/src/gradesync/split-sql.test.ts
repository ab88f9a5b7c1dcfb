import { describe, expect, it } from 'vitest';
import { splitSqlStatements } from './split-sql.ts';

describe('splitSqlStatements', () => {
  it('splits at the semicolons that end statements, trimmed, dropping empty ones', () => {
    expect(splitSqlStatements('BEGIN; select 1 ;\n\n; COMMIT;')).toEqual(['BEGIN', 'select 1', 'COMMIT']);
  });

  it('keeps semicolons inside strings, identifiers, dollar quotes and comments', () => {
    const script = [
      "insert into t values ('a;b', 'it''s; fine', E'x\\';y')",
      'select "odd;name" from t -- a comment; still comment\nwhere true',
      'create function f() returns void as $body$ begin perform 1; end; $body$ language plpgsql',
      "do $$ begin raise notice 'x;'; end $$",
      'select /* a ; /* nested ; */ still ; */ 2',
      'select $1::int',
    ].join(';\n');
    expect(splitSqlStatements(script)).toEqual([
      "insert into t values ('a;b', 'it''s; fine', E'x\\';y')",
      'select "odd;name" from t -- a comment; still comment\nwhere true',
      'create function f() returns void as $body$ begin perform 1; end; $body$ language plpgsql',
      "do $$ begin raise notice 'x;'; end $$",
      'select /* a ; /* nested ; */ still ; */ 2',
      'select $1::int',
    ]);
  });

  it('a script of comments only has no statement', () => {
    expect(splitSqlStatements('-- nothing here;\n/* nor; here */')).toEqual([]);
  });
});
