export {
  accessTokenStoreContract,
  type ContractCase,
  keyStoreContract,
  loginStateStoreContract,
  pendingLaunchStoreContract,
  platformRegistryContract,
  replayGuardContract,
  toolRegistryContract,
} from './contracts.ts';
