import type { CatalogSnapshot, CatalogSnapshotStore } from '../../ports.ts';

export function createMemoryCatalogSnapshotStore(): CatalogSnapshotStore {
  const snapshots = new Map<string, CatalogSnapshot>();
  const keyOf = (platform: string, organizationId: string) => `${platform}\u0000${organizationId}`;
  return {
    async latest(platform, organizationId) {
      const snapshot = snapshots.get(keyOf(platform, organizationId));
      return snapshot === undefined ? undefined : structuredClone(snapshot);
    },
    async save(snapshot) {
      snapshots.set(keyOf(snapshot.platform, snapshot.organizationId), structuredClone(snapshot));
    },
  };
}
