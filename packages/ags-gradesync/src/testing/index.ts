// Contract suites (vitest), so partners can test their own adapters of the grade sync stores.

export { describeAuditLogContract } from './audit-log-contract.ts';
export { describeCircuitBreakerStoreContract } from './circuit-breaker-store-contract.ts';
export { describeDeadLettersContract } from './dead-letters-contract.ts';
export { describeGradeOutboxContract } from './grade-outbox-contract.ts';
export { describeLearnerLinksContract } from './learner-links-contract.ts';
export { describePartnerStoreContract } from './partner-store-contract.ts';
export { describeSyncStateContract } from './sync-state-contract.ts';
