import type {
  Course,
  GradableItem,
  HandOffRequest,
  HandOffReturn,
  LearnerIdentity,
  LearnerResult,
  Membership,
  MembershipOutcome,
  Program,
  ResultPage,
  ResultQuery,
} from './types.ts';

/**
 * What a platform can do. A consumer checks a capability before calling the method; a method whose capability is
 * false throws `CONNECTOR_NOT_SUPPORTED`.
 */
export interface ConnectorCapabilities {
  /** Gradable items inside courses (not only course-level results). */
  itemCatalog: boolean;
  /** Item-level results. */
  itemResults: boolean;
  /** Invite, add and remove learners through the platform. */
  manageMembership: boolean;
  /** A hand-off that returns to Passport with the join outcome. */
  handOffReturn: boolean;
  /** The platform pushes result changes (webhooks) to `results.receivePush`. */
  push: boolean;
}

/** Programs → courses → gradable items. Paging, retries and rate limits stay behind these calls. */
export interface CatalogSource {
  listPrograms(): Promise<Program[]>;
  /** The courses of one program, in the program's order. */
  listCourses(programId: string): Promise<Course[]>;
  /** The gradable items of one course, in course order. */
  listItems(courseId: string): Promise<GradableItem[]>;
}

export interface LearnerDirectory {
  /** Invites the learner; inviting twice, or inviting a member, is a success that says so. */
  invite(
    programId: string,
    learner: LearnerIdentity,
    options?: { sendEmail?: boolean },
  ): Promise<MembershipOutcome>;
  /**
   * Adds the learner without an email. On platforms where a membership only becomes active when the learner signs
   * on (Coursera), this pre-provisions an invitation and answers `invited`.
   */
  add(programId: string, learner: LearnerIdentity): Promise<MembershipOutcome>;
  /** Removes the learner from the program, freeing their license. Idempotent: false when they were not a member. */
  remove(programId: string, externalId: string): Promise<boolean>;
  listMembers(programId: string): AsyncIterable<Membership>;
}

export interface ResultSource {
  /** Results changed since the watermark, page by page (see `ResultPage` for the watermark rule). */
  read(query: ResultQuery): AsyncIterable<ResultPage>;
  /**
   * Reads a pushed event (a webhook request the platform sent to Passport) as results, after verifying it. Present
   * when `capabilities.push`; throws `CONNECTOR_PUSH_INVALID` for a request that does not verify.
   */
  receivePush?(request: Request): Promise<LearnerResult[]>;
}

export interface HandOff {
  /** The URL that takes a signed-on learner straight to the program, course or item. */
  buildUrl(request: HandOffRequest): URL;
  /**
   * Verifies the return from the platform (signature, age, state) and reads its outcome. Throws
   * `CONNECTOR_HAND_OFF_INVALID` when it does not verify.
   */
  receiveReturn(url: URL | string, expected: { state: string }): Promise<HandOffReturn>;
}

/** A learning platform behind one neutral interface. */
export interface LearningPlatformConnector {
  /** A stable platform name (`coursera`, `google-cloud-skills-boost`). */
  readonly platform: string;
  /** The organization on the platform (Coursera organization id, Skills Boost group id). */
  readonly organizationId: string;
  readonly capabilities: ConnectorCapabilities;
  readonly catalog: CatalogSource;
  readonly learners: LearnerDirectory;
  readonly results: ResultSource;
  readonly handOff: HandOff;
}
