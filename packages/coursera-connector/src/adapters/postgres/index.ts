// The PostgreSQL (and PGlite) adapters: a subpath entry, so the memory-only user never loads them.
export { createAesGcmSealing } from './aes-gcm-sealing.ts';
export { createPostgresCatalogSnapshotStore } from './postgres-catalog-snapshot-store.ts';
export { createPostgresLicenseLedger } from './postgres-license-ledger.ts';
export { createPostgresTokenStore, type Sealing } from './postgres-token-store.ts';
export { connectorSchemaStatements, migrateConnectorSchema } from './schema.ts';
