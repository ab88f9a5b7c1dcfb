import type { Course, GradableItem, LicenseSeat, LicenseUsage, Program } from './connector/types.ts';

/** OAuth tokens for one platform connection. The refresh token is a secret: store it like a password. */
export interface StoredTokens {
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  /** Coursera extends this to 14 days after each refresh. */
  refreshTokenExpiresAt: Date;
  scope: string;
  /** When the current refresh token was first granted (the admin's consent). */
  consentedAt: Date;
}

/** Where a connection's tokens live, keyed by connection (`coursera:<organizationId>`). */
export interface TokenStore {
  load(key: string): Promise<StoredTokens | undefined>;
  save(key: string, tokens: StoredTokens): Promise<void>;
  delete(key: string): Promise<void>;
}

/** Everything one catalog sync saw. */
export interface CatalogSnapshot {
  platform: string;
  organizationId: string;
  takenAt: Date;
  programs: Program[];
  courses: Course[];
  items: GradableItem[];
}

/** The last catalog each organization's sync saw, to detect new courses and items. */
export interface CatalogSnapshotStore {
  latest(platform: string, organizationId: string): Promise<CatalogSnapshot | undefined>;
  save(snapshot: CatalogSnapshot): Promise<void>;
}

/** One licensed program, as the ledger keys it. */
export interface ProgramKey {
  platform: string;
  organizationId: string;
  programId: string;
}

export type TakeSeatOutcome =
  | { state: 'taken'; seat: LicenseSeat }
  | { state: 'already-held'; seat: LicenseSeat }
  | { state: 'full'; usage: LicenseUsage };

/**
 * Who holds a license in which program. `take` must be atomic: two learners racing for the last seat cannot both
 * get it.
 */
export interface LicenseLedger {
  /** Sets the program's seat count; `undefined` removes the limit. Holders above a lowered count keep their seats. */
  setSeats(program: ProgramKey, seats: number | undefined): Promise<void>;
  take(program: ProgramKey, seat: LicenseSeat): Promise<TakeSeatOutcome>;
  /** False when the learner held no seat. */
  release(program: ProgramKey, learnerExternalId: string): Promise<boolean>;
  usage(program: ProgramKey): Promise<LicenseUsage>;
}

/** A report a file-fed platform's admin downloaded and gave to Passport (uploaded, or dropped in a folder). */
export interface ReportFile {
  /** Unique per upload. */
  id: string;
  receivedAt: Date;
  text: string;
}

/** Where a file-fed connector finds the latest report. */
export interface ReportSource {
  latest(): Promise<ReportFile | undefined>;
}
