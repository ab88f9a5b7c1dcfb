// @passport/sso-idp/testing: contract suites for the storage ports, so partners can test their own adapters.
export {
  accountLinkStoreContract,
  allContracts,
  appRegistryContract,
  attemptCounterContract,
  auditLogContract,
  badgeStoreContract,
  type ContractCase,
  districtRegistryContract,
  keyStoreContract,
  oidcArtifactStoreContract,
  oneTimeStoreContract,
  passwordStoreContract,
  sessionStoreContract,
} from './contracts.ts';
