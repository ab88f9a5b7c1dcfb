import { type Clock, systemClock } from '@passport/core';
import { GradeSyncError } from '../../errors.ts';
import type { Gradebook, GradebookLineItem, GradebookTarget, Roster, RosterMember } from '../../ports.ts';
import {
  buildCreateCourseWorkRequest,
  buildGetCourseWorkRequest,
  buildListCourseWorkRequest,
  buildListStudentsRequest,
  buildListSubmissionsRequest,
  buildPatchGradeRequest,
  buildReturnSubmissionRequest,
  type CourseWork,
  classroomApiUrl,
  processCourseWorkResponse,
  processListCourseWorkResponse,
  processListStudentsResponse,
  processListSubmissionsResponse,
  processSubmissionResponse,
  type StudentSubmission,
} from './classroom-api.ts';

export type ClassroomFetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface ClassroomGradebookOptions {
  /**
   * An OAuth 2.0 access token of Passport's Google Cloud project for the course (scopes
   * `classroom.coursework.students`, `classroom.rosters.readonly`, `classroom.profile.emails`); asked again with
   * `refresh: true` after a 401.
   */
  accessToken(target: GradebookTarget, options: { refresh: boolean }): Promise<string>;
  /** Default `https://classroom.googleapis.com`. */
  readonly apiUrl?: string;
  readonly fetch?: ClassroomFetch;
  readonly clock?: Clock;
}

/** Classroom has no `resourceId` or tag: the engine's keys ride in the courseWork description, on their own line. */
const markerPattern = /^passport-line-item: tag=(\S+) resourceId=(\S+)$/m;
export const courseWorkMarker = (tag: string, resourceId: string) =>
  `passport-line-item: tag=${tag} resourceId=${resourceId}`;

async function send(fetch: ClassroomFetch, request: Request): Promise<Response> {
  const body = request.method === 'GET' ? undefined : await request.arrayBuffer();
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return fetch(request.url, { method: request.method, headers, ...(body === undefined ? {} : { body }) });
}

function toLineItem(courseWork: CourseWork): GradebookLineItem {
  const marker = markerPattern.exec(courseWork.description ?? '');
  return {
    id: courseWork.id,
    label: courseWork.title,
    scoreMaximum: courseWork.maxPoints ?? 0,
    ...(marker === null ? {} : { tag: marker[1], resourceId: marker[2] }),
  };
}

/**
 * Google Classroom behind the engine's `Gradebook` and `Roster`. Classroom has no LTI grade passback; grades go
 * through its API: `courseWork.create` with `maxPoints`, then `studentSubmissions.patch` of `draftGrade` and
 * `assignedGrade`, then `:return` to publish. Only the Google Cloud project that created a courseWork may grade it
 * (`PERMISSION_DENIED` otherwise), so the adapter grades only courseWork it created: pointed at another one, it says
 * so (`GRADESYNC_LINE_ITEM_NOT_OWNED`) instead of failing on every score. Use it in mode B or final grade, where the
 * engine creates the courseWork. Classroom keeps no score timestamps: ordering is the engine's (it never sends an
 * older result after a newer one).
 */
export function createClassroomGradebook(options: ClassroomGradebookOptions): Gradebook & Roster {
  const apiUrl = options.apiUrl ?? classroomApiUrl;
  const fetch: ClassroomFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const clock = options.clock ?? systemClock;
  const maxPoints = new Map<string, number>();

  /** Sends with the project's token; after a 401, once more with a fresh one. */
  const call = async <Result>(
    target: GradebookTarget,
    build: (accessToken: string) => Request,
    process: (response: Response, now: Date) => Promise<Result>,
  ): Promise<Result> => {
    try {
      let response = await send(fetch, build(await options.accessToken(target, { refresh: false })));
      if (response.status === 401) {
        await response.body?.cancel();
        response = await send(fetch, build(await options.accessToken(target, { refresh: true })));
      }
      return await process(response, clock.now());
    } catch (error) {
      if (GradeSyncError.isGradeSyncError(error)) throw error;
      throw new GradeSyncError(
        'GRADESYNC_LMS_UNAVAILABLE',
        `Google Classroom could not be reached: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
  };

  const getCourseWork = (target: GradebookTarget, courseWorkId: string) =>
    call(
      target,
      (accessToken) =>
        buildGetCourseWorkRequest({ apiUrl, accessToken, courseId: target.contextId, courseWorkId }),
      processCourseWorkResponse,
    );

  const ownCourseWork = async (target: GradebookTarget, courseWorkId: string) => {
    const courseWork = await getCourseWork(target, courseWorkId);
    if (courseWork.associatedWithDeveloper !== true)
      throw new GradeSyncError(
        'GRADESYNC_LINE_ITEM_NOT_OWNED',
        `CourseWork ${courseWorkId} ("${courseWork.title}") of Classroom course ${target.contextId} was not created by Passport: Classroom lets only the project that created a courseWork grade it. Let Passport create it (mode B or final grade).`,
      );
    if (courseWork.maxPoints !== undefined) maxPoints.set(courseWorkId, courseWork.maxPoints);
    return courseWork;
  };

  const submissions = async (target: GradebookTarget, courseWorkId: string, userId?: string) => {
    const all: StudentSubmission[] = [];
    let pageToken: string | undefined;
    do {
      const token = pageToken;
      const page = await call(
        target,
        (accessToken) =>
          buildListSubmissionsRequest({
            apiUrl,
            accessToken,
            courseId: target.contextId,
            courseWorkId,
            userId,
            pageToken: token,
          }),
        processListSubmissionsResponse,
      );
      all.push(...page.submissions);
      pageToken = page.nextPageToken;
    } while (pageToken !== undefined);
    return all;
  };

  return {
    async getLineItem(target, lineItemId) {
      try {
        return toLineItem(await ownCourseWork(target, lineItemId));
      } catch (error) {
        if (GradeSyncError.isGradeSyncError(error) && error.code === 'GRADESYNC_LINE_ITEM_DELETED')
          return undefined;
        throw error;
      }
    },
    async listLineItems(target, filter = {}) {
      if (filter.resourceLinkId !== undefined) return []; // Classroom has no resource links.
      const found: GradebookLineItem[] = [];
      let pageToken: string | undefined;
      do {
        const token = pageToken;
        const page = await call(
          target,
          (accessToken) =>
            buildListCourseWorkRequest({ apiUrl, accessToken, courseId: target.contextId, pageToken: token }),
          processListCourseWorkResponse,
        );
        for (const courseWork of page.courseWork) {
          if (courseWork.associatedWithDeveloper !== true) continue;
          const lineItem = toLineItem(courseWork);
          if (lineItem.tag === undefined) continue;
          if (filter.tag !== undefined && lineItem.tag !== filter.tag) continue;
          if (filter.resourceId !== undefined && lineItem.resourceId !== filter.resourceId) continue;
          found.push(lineItem);
        }
        pageToken = page.nextPageToken;
      } while (pageToken !== undefined);
      return found;
    },
    async createLineItem(target, lineItem) {
      const courseWork = await call(
        target,
        (accessToken) =>
          buildCreateCourseWorkRequest({
            apiUrl,
            accessToken,
            courseId: target.contextId,
            courseWork: {
              title: lineItem.label,
              maxPoints: lineItem.scoreMaximum,
              description: `Graded from the learning platform by Passport.\n${courseWorkMarker(lineItem.tag, lineItem.resourceId)}`,
            },
          }),
        processCourseWorkResponse,
      );
      maxPoints.set(courseWork.id, lineItem.scoreMaximum);
      return toLineItem(courseWork);
    },
    async postScore(target, lineItemId, score) {
      // Classroom records grades, not progress: a score without one changes nothing there.
      if (score.scoreGiven === undefined) return;
      let points = maxPoints.get(lineItemId);
      if (points === undefined)
        points = (await ownCourseWork(target, lineItemId)).maxPoints ?? score.scoreMaximum ?? 0;
      const grade = Math.round((score.scoreGiven / (score.scoreMaximum ?? points)) * points * 100) / 100;
      const [submission] = await submissions(target, lineItemId, score.userId);
      if (submission === undefined)
        throw new GradeSyncError(
          'GRADESYNC_SCORE_REJECTED',
          `User ${score.userId} has no submission for courseWork ${lineItemId} (not a student of course ${target.contextId}).`,
        );
      await call(
        target,
        (accessToken) =>
          buildPatchGradeRequest({
            apiUrl,
            accessToken,
            courseId: target.contextId,
            courseWorkId: lineItemId,
            submissionId: submission.id,
            grade,
          }),
        (response, now) => processSubmissionResponse(response, 'the grade', now),
      );
      await call(
        target,
        (accessToken) =>
          buildReturnSubmissionRequest({
            apiUrl,
            accessToken,
            courseId: target.contextId,
            courseWorkId: lineItemId,
            submissionId: submission.id,
          }),
        (response, now) => processSubmissionResponse(response, 'returning the submission', now),
      );
    },
    async readResults(target, lineItemId, readOptions = {}) {
      const courseWork = await getCourseWork(target, lineItemId);
      return (await submissions(target, lineItemId, readOptions.userId))
        .filter((submission) => submission.assignedGrade !== undefined)
        .map((submission) => ({
          userId: submission.userId,
          resultScore: submission.assignedGrade,
          ...(courseWork.maxPoints === undefined ? {} : { resultMaximum: courseWork.maxPoints }),
        }));
    },
    async listMembers(target) {
      const members: RosterMember[] = [];
      let pageToken: string | undefined;
      do {
        const token = pageToken;
        const page = await call(
          target,
          (accessToken) =>
            buildListStudentsRequest({ apiUrl, accessToken, courseId: target.contextId, pageToken: token }),
          processListStudentsResponse,
        );
        for (const student of page.students)
          members.push({
            userId: student.userId,
            ...(student.profile?.emailAddress === undefined ? {} : { email: student.profile.emailAddress }),
            roles: ['Learner'],
            ...(student.profile?.name?.fullName === undefined ? {} : { name: student.profile.name.fullName }),
          });
        pageToken = page.nextPageToken;
      } while (pageToken !== undefined);
      return members;
    },
  };
}
