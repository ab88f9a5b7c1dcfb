import type { SqlClient } from '@passport/core';
import type { CatalogSnapshot, CatalogSnapshotStore } from '../../ports.ts';

interface SnapshotRow {
  snapshot: unknown;
  taken_at: Date | string;
}

/** The last catalog snapshot per platform and organization, as JSON. */
export function createPostgresCatalogSnapshotStore(sql: SqlClient): CatalogSnapshotStore {
  return {
    async latest(platform, organizationId) {
      const { rows } = await sql.query<SnapshotRow>(
        `select snapshot, taken_at from passport_connector_catalog_snapshots
          where platform = $1 and organization_id = $2`,
        [platform, organizationId],
      );
      const row = rows[0];
      if (row === undefined) return undefined;
      const stored = (
        typeof row.snapshot === 'string' ? JSON.parse(row.snapshot) : row.snapshot
      ) as CatalogSnapshot;
      return { ...stored, takenAt: new Date(row.taken_at) };
    },
    async save(snapshot) {
      await sql.query(
        `insert into passport_connector_catalog_snapshots (platform, organization_id, taken_at, snapshot)
         values ($1, $2, $3, $4::jsonb)
         on conflict (platform, organization_id) do update set taken_at = excluded.taken_at, snapshot = excluded.snapshot`,
        [
          snapshot.platform,
          snapshot.organizationId,
          snapshot.takenAt.toISOString(),
          // undefined fields drop out of JSON; the connector types read them back as undefined.
          JSON.stringify(snapshot),
        ],
      );
    },
  };
}
