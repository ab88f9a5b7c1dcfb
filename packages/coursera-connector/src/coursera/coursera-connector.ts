import { type Clock, systemClock } from '@passport/core';
import type { LearningPlatformConnector } from '../connector/connector.ts';
import type {
  Course,
  GradableItem,
  GradableItemType,
  LearnerResult,
  Membership,
  MembershipOutcome,
  Program,
  ResultPage,
  ResultQuery,
} from '../connector/types.ts';
import { ConnectorError } from '../errors/connector-error.ts';
import { toConnectorError } from '../errors/coursera-error.ts';
import { parseCourseraGrade } from './api/enrollment-reports.ts';
import type { InvitationResult } from './api/invitations.ts';
import type { CourseraContent, CourseraEnrollmentReport, CourseraProgram } from './api/schemas.ts';
import type { CourseraClient } from './client.ts';
import type { CourseraContentItem, CourseraItemGrade, CourseraItemType } from './not-public/index.ts';

export const COURSERA_PLATFORM = 'coursera';

/** Enrollment reports can lag up to 24 h: an incremental read starts this long before the previous crawl began. */
export const ENROLLMENT_REPORT_LAG_MS = 24 * 60 * 60 * 1000;

export interface CourseraConnectorOptions {
  client: CourseraClient;
  clock?: Clock;
}

/**
 * Coursera behind the neutral interface. Every CourseraError becomes a ConnectorError (the Coursera error is its
 * `cause`); every Coursera shape, documented or modelled, is mapped to the neutral types here and only here.
 */
export function createCourseraConnector(options: CourseraConnectorOptions): LearningPlatformConnector {
  const { client } = options;
  const clock = options.clock ?? systemClock;

  return {
    platform: COURSERA_PLATFORM,
    organizationId: client.organizationId,
    capabilities: {
      itemCatalog: true,
      itemResults: true,
      manageMembership: true,
      handOffReturn: true,
      push: client.acceptsWebhooks,
    },
    catalog: {
      listPrograms: () => translate(async () => (await client.listPrograms().all()).map(toProgram)),
      listCourses: (programId) =>
        translate(async () =>
          (await client.listContents([programId]).all()).map((content) => toCourse(content, programId)),
        ),
      listItems: (courseId) =>
        translate(async () =>
          (await client.listContentItems(courseId).all())
            .filter((item) => item.isGraded)
            .sort((a, b) => a.order - b.order)
            .map(toGradableItem),
        ),
    },
    learners: {
      invite: (programId, learner, inviteOptions = {}) =>
        translate(async () =>
          toMembershipOutcome(
            await client.inviteLearner(programId, {
              externalId: learner.externalId,
              fullName: learner.fullName,
              email: learner.email,
              sendEmail: inviteOptions.sendEmail ?? true,
            }),
          ),
        ),
      add: (programId, learner) =>
        translate(async () =>
          toMembershipOutcome(
            await client.inviteLearner(programId, {
              externalId: learner.externalId,
              fullName: learner.fullName,
              email: learner.email,
              sendEmail: false,
            }),
          ),
        ),
      remove: (programId, externalId) =>
        translate(async () => (await client.removeMembership(programId, externalId)).removed),
      listMembers: (programId) =>
        translateIterable(async function* () {
          for await (const membership of client.listMemberships(programId)) {
            yield {
              programId: membership.programId,
              externalId: membership.externalId,
              email: membership.email ?? undefined,
              fullName: membership.fullName ?? undefined,
              state: 'member',
              joinedAt: membership.joinedAt == null ? undefined : new Date(membership.joinedAt),
            } satisfies Membership;
          }
        }),
    },
    results: {
      read: (query) => translateIterable(() => readResults(client, clock, query)),
      ...(client.acceptsWebhooks
        ? {
            receivePush: (request: Request) =>
              translate(async () => {
                const event = await client.verifyWebhook(request);
                return event.type === 'itemGrade.updated'
                  ? [toItemResult(event.data)]
                  : [toCourseResult(event.data, event.data.programId ?? '', new Date(event.occurredAt))];
              }),
          }
        : {}),
    },
    handOff: {
      buildUrl: (request) => {
        try {
          return client.handOffUrl({
            programId: request.programId,
            ...(request.courseId === undefined ? {} : { contentId: request.courseId }),
            ...(request.itemId === undefined ? {} : { itemId: request.itemId }),
            externalId: request.learner.externalId,
            email: request.learner.email,
            fullName: request.learner.fullName,
            returnUrl: request.returnUrl,
            state: request.state,
          });
        } catch (error) {
          throw toConnectorError(error);
        }
      },
      receiveReturn: (url, expected) =>
        translate(async () => {
          const verified = client.verifyHandOffReturn(url, expected);
          return {
            state: verified.state,
            programId: verified.programId,
            learnerExternalId: verified.externalId,
            outcome: verified.outcome,
            accountLink: verified.accountLink,
            issuedAt: verified.issuedAt,
          };
        }),
    },
  };
}

async function* readResults(
  client: CourseraClient,
  clock: Clock,
  query: ResultQuery,
): AsyncGenerator<ResultPage> {
  const since = parseWatermark(query.since);
  const crawlStartedAt = clock.now();
  if (query.level === 'course') {
    const watermark = new Date(crawlStartedAt.getTime() - ENROLLMENT_REPORT_LAG_MS).toISOString();
    const reports = client.listEnrollmentReports({
      programId: query.programId,
      ...(since === undefined ? {} : { completedAtAfter: since }),
    });
    let any = false;
    for await (const page of reports.pages()) {
      any = true;
      yield {
        results: page.map((report) => toCourseResult(report, query.programId, crawlStartedAt)),
        watermark,
      };
    }
    if (!any) yield { results: [], watermark };
    return;
  }
  let newest = since?.getTime();
  let any = false;
  const grades = client.listItemGrades({
    programId: query.programId,
    ...(since === undefined ? {} : { updatedAfter: since }),
  });
  for await (const page of grades.pages()) {
    any = true;
    for (const grade of page) newest = Math.max(newest ?? grade.updatedAt, grade.updatedAt);
    // Exclusive `updatedAfter`: step back 1 ms so a grade written in the same millisecond is read again, not lost.
    yield {
      results: page.map(toItemResult),
      watermark: watermarkOf(newest === undefined ? undefined : newest - 1),
    };
  }
  if (!any) yield { results: [], watermark: watermarkOf(newest) };
}

function watermarkOf(epochMs: number | undefined): string {
  return epochMs === undefined ? '' : new Date(epochMs).toISOString();
}

function parseWatermark(watermark: string | undefined): Date | undefined {
  if (watermark === undefined || watermark === '') return undefined;
  const at = new Date(watermark);
  if (Number.isNaN(at.getTime())) {
    throw new ConnectorError(
      'CONNECTOR_INVALID_OPTIONS',
      `Not a Coursera watermark: ${JSON.stringify(watermark)}`,
      {
        platform: COURSERA_PLATFORM,
      },
    );
  }
  return at;
}

function toProgram(program: CourseraProgram): Program {
  return {
    id: program.id,
    name: program.name,
    description: program.tagline ?? undefined,
    url: program.url ?? undefined,
    courseIds: program.contentIds.map((content) => content.contentId),
  };
}

function toCourse(content: CourseraContent, programId: string): Course {
  return {
    id: content.contentId,
    programId,
    title: content.name,
    kind: content.contentType === 'Specialization' ? 'collection' : 'course',
    description: content.description ?? undefined,
    url: content.slug ? `https://www.coursera.org/learn/${content.slug}` : undefined,
    platformType: content.contentType,
  };
}

const itemTypes: Record<CourseraItemType, GradableItemType> = {
  QUIZ: 'quiz',
  EXAM: 'exam',
  PROGRAMMING_ASSIGNMENT: 'programming',
  PEER_REVIEW: 'peer-review',
  LAB: 'lab',
  DISCUSSION_PROMPT: 'discussion',
  STAFF_GRADED: 'assignment',
  UNGRADED: 'other',
};

function toGradableItem(item: CourseraContentItem): GradableItem {
  return {
    id: item.id,
    courseId: item.contentId,
    title: item.name,
    type: itemTypes[item.itemType],
    weight: item.gradingWeight / 100,
    passingThreshold: item.passingThreshold ?? undefined,
    order: item.order,
    maximumPoints: item.maxScore ?? undefined,
  };
}

function toMembershipOutcome(result: InvitationResult): MembershipOutcome {
  if (result.state === 'ALREADY_INVITED') return 'already-invited';
  if (result.state === 'ALREADY_MEMBER') return 'already-member';
  return 'invited';
}

function toCourseResult(report: CourseraEnrollmentReport, programId: string, readAt: Date): LearnerResult {
  const fraction = parseCourseraGrade(report.grade);
  const updatedAt = report.lastActivityAt ?? report.completedAt ?? report.enrolledAt;
  return {
    programId: report.programId ?? programId,
    learnerExternalId: report.externalId,
    email: report.email ?? undefined,
    courseId: report.contentId,
    itemId: undefined,
    progress: report.overallProgress == null ? undefined : report.overallProgress / 100,
    grade: fraction === undefined ? undefined : { kind: 'fraction', value: fraction },
    passed: report.isCompleted ? true : undefined,
    completedAt: report.completedAt == null ? undefined : new Date(report.completedAt),
    updatedAt: updatedAt == null ? readAt : new Date(updatedAt),
    badge: undefined,
  };
}

function toItemResult(grade: CourseraItemGrade): LearnerResult {
  return {
    programId: grade.programId,
    learnerExternalId: grade.externalId,
    email: undefined,
    courseId: grade.contentId,
    itemId: grade.itemId,
    progress: grade.completedAt == null ? 0 : 1,
    grade: grade.score == null ? undefined : { kind: 'points', points: grade.score, maximum: grade.maxScore },
    passed: grade.isPassed,
    completedAt: grade.completedAt == null ? undefined : new Date(grade.completedAt),
    updatedAt: new Date(grade.updatedAt),
    badge: undefined,
  };
}

async function translate<Result>(run: () => Promise<Result>): Promise<Result> {
  try {
    return await run();
  } catch (error) {
    throw toConnectorError(error);
  }
}

function translateIterable<Element>(source: () => AsyncIterable<Element>): AsyncIterable<Element> {
  return {
    async *[Symbol.asyncIterator]() {
      try {
        yield* source();
      } catch (error) {
        throw toConnectorError(error);
      }
    },
  };
}
