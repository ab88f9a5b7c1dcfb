import type { Clock, GenerateId } from '@passport/core';
import type { LtiPlatform, MembershipSource, ToolRegistry } from '@passport/lti13';
import type { Logger } from '../logger.ts';
import type { LmsGradebook } from './lms-gradebook.ts';
import type { LmsStore } from './lms-store.ts';
import type { Sessions } from './session.ts';

/** What every part of the demo LMS shares: its path, stores, the LTI platform, sessions, time and ids. */
export interface LmsContext {
  /** The path the LMS is mounted under (`/demo-lms`); page links start with it. */
  readonly base: string;
  readonly store: LmsStore;
  readonly gradebook: LmsGradebook;
  readonly memberships: MembershipSource;
  readonly tools: ToolRegistry;
  readonly clock: Clock;
  readonly generateId: GenerateId;
  readonly logger: Logger;
  /** The LMS's public URL (server URL + path), known once the server listens. */
  lmsUrl(): string;
  /** The LTI 1.3 platform, built on first use. */
  platform(): LtiPlatform;
  sessions(): Sessions;
  /** Copies the roster into the LMS the first time it is needed. */
  ensureSeeded(): Promise<void>;
  /** Runs `work` in one database transaction, with the LMS's stores on it. */
  inTransaction<Result>(
    work: (stores: { store: LmsStore; gradebook: LmsGradebook }) => Promise<Result>,
  ): Promise<Result>;
}
