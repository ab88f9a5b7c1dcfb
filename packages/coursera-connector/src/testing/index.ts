// Contract suites (vitest), so partners can test their own adapters and connectors: a `./testing` subpath entry.
export { describeCatalogSnapshotStoreContract } from './catalog-snapshot-store-contract.ts';
export { type ConnectorContractSetup, describeConnectorContract } from './connector-contract.ts';
export { describeLicenseLedgerContract } from './license-ledger-contract.ts';
export { describeTokenStoreContract } from './token-store-contract.ts';
