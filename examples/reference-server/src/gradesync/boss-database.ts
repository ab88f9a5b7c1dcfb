import { CompiledQuery, type Kysely } from 'kysely';
import { splitSqlStatements } from './split-sql.ts';

/** pg-boss's database port (`IDatabase`): one method. */
export interface BossDatabase {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

/**
 * pg-boss over the server's own connections (PGlite's single connection, or the PostgreSQL pool), so jobs live in
 * the same database as everything else and need no second pool. A statement with parameters runs as it is. A
 * script without parameters (pg-boss's schema creation, its `BEGIN; ...; COMMIT` blocks) runs statement by
 * statement on one pinned connection, as the simple query protocol would, and answers the rows of every statement
 * together (so a `RETURNING` in the middle is not lost behind the `COMMIT`). A failed script rolls back what it
 * opened, so the connection goes back clean.
 */
export function createBossDatabase(db: Kysely<unknown>): BossDatabase {
  return {
    async executeSql(text, values) {
      if (values !== undefined && values.length > 0) {
        const result = await db.executeQuery(CompiledQuery.raw(text, values));
        return { rows: [...result.rows] };
      }
      const statements = splitSqlStatements(text);
      if (statements.length <= 1) {
        const result = await db.executeQuery(CompiledQuery.raw(statements[0] ?? text, []));
        return { rows: [...result.rows] };
      }
      return await db.connection().execute(async (connection) => {
        const rows: unknown[] = [];
        let open = false;
        try {
          for (const statement of statements) {
            const result = await connection.executeQuery(CompiledQuery.raw(statement, []));
            rows.push(...result.rows);
            if (/^(begin|start\s+transaction)\b/i.test(statement)) open = true;
            else if (/^(commit|rollback|end)\b/i.test(statement)) open = false;
          }
        } catch (error) {
          if (open) await connection.executeQuery(CompiledQuery.raw('rollback', [])).catch(() => {});
          throw error;
        }
        return { rows };
      });
    },
  };
}
