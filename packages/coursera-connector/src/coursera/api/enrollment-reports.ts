import { type ApiContext, buildApiRequest, type PageRequest } from './api-request.ts';
import { type CollectionPage, readCollectionPage } from './collection.ts';
import { type CourseraEnrollmentReport, enrollmentReportSchema } from './schemas.ts';

export interface EnrollmentReportQuery {
  programId: string;
  /** Only enrollments completed after this time. Reports can lag up to 24 h behind the learner. */
  completedAtAfter?: Date;
}

/** `GET /enrollmentReports?q=byProgramId&programId=...&completedAtAfter=<epoch ms>`. */
export function buildListEnrollmentReportsRequest(
  context: ApiContext,
  query: EnrollmentReportQuery,
  page: PageRequest,
): Request {
  return buildApiRequest(context, 'GET', '/enrollmentReports', {
    query: {
      q: 'byProgramId',
      programId: query.programId,
      completedAtAfter: query.completedAtAfter?.getTime(),
    },
    page,
  });
}

export function processListEnrollmentReportsResponse(
  response: Response,
  now?: Date,
): Promise<CollectionPage<CourseraEnrollmentReport>> {
  return readCollectionPage(response, enrollmentReportSchema, 'the enrollment reports', now);
}

/**
 * Coursera's `grade` is a string: the course grade in percent ("87.5"). Answers a 0..1 fraction, or undefined
 * when empty or unreadable.
 */
export function parseCourseraGrade(grade: string | null | undefined): number | undefined {
  if (grade === null || grade === undefined || grade.trim() === '') return undefined;
  const percent = Number(grade);
  if (!Number.isFinite(percent) || percent < 0 || percent > 100) return undefined;
  return percent / 100;
}
