// Contract suites for the ports (vitest), so partners can test their own adapters: a `./testing` subpath entry.
export { describeCatalogSnapshotStoreContract } from './catalog-snapshot-store-contract.ts';
export { describeLicenseLedgerContract } from './license-ledger-contract.ts';
export { describeTokenStoreContract } from './token-store-contract.ts';
