import { PGlite } from '@electric-sql/pglite';
import type { SqlClient } from '@passport/core';
import { createConnectorResultsSource } from '../../src/adapters/coursera/connector-results-source.ts';
import {
  createPostgresAuditLog,
  createPostgresDeadLetters,
  createPostgresGradeOutbox,
  createPostgresLearnerLinks,
  createPostgresSyncState,
  migrateGradeSyncSchema,
} from '../../src/adapters/postgres/index.ts';
import { createGradeSync, type GradeSync } from '../../src/engine/create-grade-sync.ts';
import type { GradeSyncOptions } from '../../src/engine/engine-options.ts';
import type { CourseBinding, SyncMode } from '../../src/ports.ts';
import { type CourseraHarness, startCoursera } from './coursera.ts';
import { type LtiPlatformHarness, learnerRole, startLtiPlatform } from './lti-platform.ts';

export const learners = [
  { userId: 'lms-ada', email: 'ada@school.example', name: 'Ada Lovelace' },
  { userId: 'lms-bob', email: 'bob@school.example', name: 'Bob Moses' },
  { userId: 'lms-cy', email: 'cy@school.example', name: 'Cy Young' },
] as const;

export interface Integration {
  readonly lms: LtiPlatformHarness;
  readonly coursera: CourseraHarness;
  readonly engine: GradeSync;
  readonly sql: SqlClient;
  readonly stores: ReturnType<typeof storesOver>;
  readonly binding: CourseBinding;
  /** A course result on Coursera: grade in percent, completed. */
  courseGrade(email: string, grade: number, at?: number): Promise<void>;
  /** An item score on Coursera, in the item's points. */
  itemScore(email: string, itemIndex: number, score: number, at?: number): Promise<void>;
  stop(): Promise<void>;
}

export function storesOver(sql: SqlClient) {
  return {
    outbox: createPostgresGradeOutbox(sql),
    state: createPostgresSyncState(sql),
    deadLetters: createPostgresDeadLetters(sql),
    audit: createPostgresAuditLog(sql),
    learnerLinks: createPostgresLearnerLinks(sql),
  };
}

/**
 * The whole chain over real HTTP on 127.0.0.1: the Coursera simulator → the connector → the engine (stores in
 * PGlite unless given a SqlClient) → the tool's AGS/NRPS clients → the @passport/lti13 platform. The LMS course has
 * three enrolled learners, matched by NRPS email (no SSO).
 */
export async function startIntegration(
  options: {
    mode?: SyncMode;
    quirks?: Parameters<typeof startLtiPlatform>[0] extends infer O
      ? O extends { quirks?: infer Q }
        ? Q
        : never
      : never;
    latencyMs?: number;
    sql?: SqlClient;
    engine?: Partial<GradeSyncOptions>;
  } = {},
): Promise<Integration> {
  const lms = await startLtiPlatform({
    ...(options.quirks === undefined ? {} : { quirks: options.quirks }),
    ...(options.latencyMs === undefined ? {} : { latencyMs: options.latencyMs }),
  });
  const coursera = await startCoursera();
  const pglite = options.sql === undefined ? new PGlite() : undefined;
  const sql: SqlClient = options.sql ?? pglite!;
  await migrateGradeSyncSchema(sql);
  const stores = storesOver(sql);
  const engine = createGradeSync({
    gradebook: lms.adapter,
    roster: lms.adapter,
    source: createConnectorResultsSource(coursera.connector),
    ...stores,
    defaultMode: options.mode ?? 'final-grade',
    ...options.engine,
    delivery: {
      concurrency: 4,
      ratePerSecond: 200,
      backoff: { baseMs: 50, maxMs: 2_000 },
      ...options.engine?.delivery,
    },
  });
  const binding: CourseBinding = {
    id: 'binding-course-101',
    tenantId: 'district-1',
    lmsId: 'lms-canvas-1',
    contextId: 'course-101',
    platform: 'coursera',
    programId: coursera.programId,
    courseId: coursera.course.id,
    label: 'Applied Data Science (Coursera)',
  };
  await engine.bind(binding);
  lms.memberships.setContext(
    { id: binding.contextId, label: 'DS101', title: 'Data Science 101' },
    learners.map((learner) => ({ ...learner, roles: [learnerRole], status: 'Active' as const })),
  );
  return {
    lms,
    coursera,
    engine,
    sql,
    stores,
    binding,
    async courseGrade(email, grade, at) {
      await coursera.admin.setResult({
        programId: coursera.programId,
        externalId: email,
        contentId: coursera.course.id,
        grade,
        overallProgress: 100,
        isCompleted: true,
        ...(at === undefined ? {} : { at }),
      });
    },
    async itemScore(email, itemIndex, score, at) {
      await coursera.admin.setResult({
        programId: coursera.programId,
        externalId: email,
        itemId: coursera.course.items[itemIndex]!.id,
        score,
        ...(at === undefined ? {} : { at }),
      });
    },
    async stop() {
      await lms.close();
      await coursera.stop();
      await pglite?.close();
    },
  };
}
