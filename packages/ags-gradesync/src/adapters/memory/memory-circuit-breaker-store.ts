import type { CircuitBreakerStore, StoredCircuit } from '../../ports.ts';

/**
 * Circuit breakers in memory: shared by the engines of one process (pass the same store to each), never across
 * processes. A server with several processes uses `createPostgresCircuitBreakerStore`.
 */
export function createMemoryCircuitBreakerStore(): CircuitBreakerStore {
  const circuits = new Map<string, StoredCircuit>();
  return {
    async read(lmsId) {
      const stored = circuits.get(lmsId);
      return stored === undefined ? undefined : { record: { ...stored.record }, version: stored.version };
    },
    async write(lmsId, record, expectedVersion) {
      if ((circuits.get(lmsId)?.version ?? 0) !== expectedVersion) return undefined;
      const version = expectedVersion + 1;
      circuits.set(lmsId, { record: { ...record }, version });
      return version;
    },
  };
}
