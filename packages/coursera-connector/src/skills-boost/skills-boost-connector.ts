import type { LearningPlatformConnector } from '../connector/connector.ts';
import type {
  Course,
  CourseKind,
  GradableItem,
  LearnerResult,
  Membership,
  Program,
  ResultPage,
} from '../connector/types.ts';
import { ConnectorError } from '../errors/connector-error.ts';
import type { ReportSource } from '../ports.ts';
import {
  type ActivityReport,
  type ActivityRow,
  type ColumnRole,
  readActivityReport,
} from './read-activity-report.ts';

export const SKILLS_BOOST_PLATFORM = 'google-cloud-skills-boost';

export interface SkillsBoostConnectorOptions {
  /** The Skills Boost group (cohort) the reports are about. */
  groupId: string;
  groupName?: string;
  reports: ReportSource;
  /** Column names, when a report spells them differently from the defaults. */
  columns?: Partial<Record<ColumnRole, string[]>>;
  /** Default `https://www.cloudskillsboost.google`. */
  siteUrl?: string;
}

/** Labs that name no course are gathered in this course. */
export const STANDALONE_LABS_ID = 'standalone-labs';

/**
 * Google Cloud Skills Boost behind the neutral interface, fed by the group admin's CSV activity report: the group is
 * the program, courses, quests, skill badges and learning paths are courses, labs are gradable items (scored 0..100,
 * passed when completed), and badges ride on the results. Nothing can be pushed to the platform: membership is
 * managed in the group admin portal (`CONNECTOR_NOT_SUPPORTED`), and the hand-off is a plain link with no return.
 */
export function createSkillsBoostConnector(options: SkillsBoostConnectorOptions): LearningPlatformConnector {
  const siteUrl = options.siteUrl ?? 'https://www.cloudskillsboost.google';
  let cached: { id: string; report: ActivityReport; receivedAt: Date } | undefined;

  const latest = async () => {
    const file = await options.reports.latest();
    if (file === undefined) return undefined;
    if (cached?.id !== file.id) {
      const report = readActivityReport(
        file.text,
        options.columns === undefined ? {} : { columns: options.columns },
      );
      cached = { id: file.id, report, receivedAt: file.receivedAt };
    }
    if (!cached.report.usable) {
      const errors = cached.report.findings.filter((finding) => finding.severity === 'error');
      throw new ConnectorError(
        'CONNECTOR_REPORT_INVALID',
        `The Skills Boost activity report ${file.id} cannot be read`,
        {
          platform: SKILLS_BOOST_PLATFORM,
          description: `The activity report cannot be read: ${errors.map((error) => error.message).join('; ')}`,
          detail: { findings: cached.report.findings },
        },
      );
    }
    return cached;
  };

  const catalog = async () => {
    const current = await latest();
    const courses = new Map<string, Course>();
    const items = new Map<string, GradableItem>();
    for (const row of current?.report.rows ?? []) {
      if (row.kind !== 'lab') {
        courses.set(
          row.activityId,
          courseOf(options.groupId, row.activityId, row.activityName, row.kind, row.platformType, siteUrl),
        );
      }
    }
    const byName = new Map([...courses.values()].map((course) => [course.title.toLowerCase(), course.id]));
    for (const row of current?.report.rows ?? []) {
      if (row.kind !== 'lab' || items.has(row.activityId)) continue;
      let courseId =
        row.parentName === undefined ? STANDALONE_LABS_ID : byName.get(row.parentName.toLowerCase());
      if (courseId === undefined) {
        courseId = slug(row.parentName!);
        courses.set(
          courseId,
          courseOf(options.groupId, courseId, row.parentName!, 'course', 'Course', siteUrl),
        );
        byName.set(row.parentName!.toLowerCase(), courseId);
      }
      if (courseId === STANDALONE_LABS_ID && !courses.has(courseId)) {
        courses.set(courseId, {
          ...courseOf(options.groupId, courseId, 'Labs', 'course', 'Lab', siteUrl),
          url: undefined,
        });
      }
      items.set(row.activityId, {
        id: row.activityId,
        courseId,
        title: row.activityName,
        type: 'lab',
        weight: 0,
        passingThreshold: undefined,
        order: 0,
        maximumPoints: 100,
      });
    }
    // Each course's labs weigh the same, in the order the report first lists them.
    for (const courseId of courses.keys()) {
      const labs = [...items.values()].filter((item) => item.courseId === courseId);
      labs.forEach((item, index) => {
        item.order = index;
        item.weight = 1 / labs.length;
      });
    }
    return { current, courses: [...courses.values()], items: [...items.values()] };
  };

  const notSupported = (what: string) =>
    new ConnectorError(
      'CONNECTOR_NOT_SUPPORTED',
      `Google Cloud Skills Boost cannot ${what} through Passport`,
      {
        platform: SKILLS_BOOST_PLATFORM,
        description: `Skills Boost has no API to ${what}: do it in the Skills Boost group admin portal.`,
      },
    );

  return {
    platform: SKILLS_BOOST_PLATFORM,
    organizationId: options.groupId,
    capabilities: {
      itemCatalog: true,
      itemResults: true,
      manageMembership: false,
      handOffReturn: false,
      push: false,
    },
    catalog: {
      async listPrograms(): Promise<Program[]> {
        const { courses } = await catalog();
        return [
          {
            id: options.groupId,
            name: options.groupName ?? options.groupId,
            description: undefined,
            url: undefined,
            courseIds: courses.map((course) => course.id),
          },
        ];
      },
      async listCourses(programId) {
        if (programId !== options.groupId) throw notFound(`program ${programId}`);
        return (await catalog()).courses;
      },
      async listItems(courseId) {
        const { courses, items } = await catalog();
        if (!courses.some((course) => course.id === courseId)) throw notFound(`course ${courseId}`);
        return items.filter((item) => item.courseId === courseId);
      },
    },
    learners: {
      invite: async () => {
        throw notSupported('invite a learner');
      },
      add: async () => {
        throw notSupported('add a learner');
      },
      remove: async () => {
        throw notSupported('remove a learner');
      },
      async *listMembers(programId) {
        if (programId !== options.groupId) throw notFound(`program ${programId}`);
        const current = await latest();
        const seen = new Map<string, Membership>();
        for (const row of current?.report.rows ?? []) {
          const key = row.email.toLowerCase();
          if (!seen.has(key)) {
            seen.set(key, {
              programId,
              externalId: row.email,
              email: row.email,
              fullName: row.fullName,
              state: 'member',
              joinedAt: undefined,
            });
          }
        }
        yield* seen.values();
      },
    },
    results: {
      async *read(query): AsyncGenerator<ResultPage> {
        if (query.programId !== options.groupId) throw notFound(`program ${query.programId}`);
        const { current, items } = await catalog();
        if (current === undefined) {
          yield { results: [], watermark: query.since ?? '' };
          return;
        }
        const watermark = current.receivedAt.toISOString();
        // A report is a full snapshot: a newer one is read whole (results apply idempotently), an older one not at all.
        if (
          query.since !== undefined &&
          query.since !== '' &&
          current.receivedAt.getTime() <= Date.parse(query.since)
        ) {
          yield { results: [], watermark: query.since };
          return;
        }
        const labCourse = new Map(items.map((item) => [item.id, item.courseId]));
        const results = current.report.rows
          .filter((row) => (query.level === 'item' ? row.kind === 'lab' : row.kind !== 'lab'))
          .map((row) => toResult(row, query.programId, labCourse.get(row.activityId), current.receivedAt));
        yield { results, watermark };
      },
    },
    handOff: {
      buildUrl(request) {
        if (request.itemId !== undefined)
          return new URL(`/focuses/${encodeURIComponent(request.itemId)}`, siteUrl);
        if (request.courseId !== undefined) {
          return new URL(`/course_templates/${encodeURIComponent(request.courseId)}`, siteUrl);
        }
        return new URL('/', siteUrl);
      },
      receiveReturn: async () => {
        throw notSupported('confirm a sign-on (there is no return)');
      },
    },
  };
}

function courseOf(
  programId: string,
  id: string,
  title: string,
  kind: ActivityRow['kind'],
  platformType: string,
  siteUrl: string,
): Course {
  const courseKind: CourseKind = kind === 'learning-path' ? 'collection' : 'course';
  const path = kind === 'learning-path' ? 'paths' : 'course_templates';
  return {
    id,
    programId,
    title,
    kind: courseKind,
    description: undefined,
    url: new URL(`/${path}/${encodeURIComponent(id)}`, siteUrl).toString(),
    platformType,
  };
}

function toResult(
  row: ActivityRow,
  programId: string,
  labCourseId: string | undefined,
  receivedAt: Date,
): LearnerResult {
  const completed = row.status === 'completed';
  return {
    programId,
    learnerExternalId: row.email,
    email: row.email,
    courseId: row.kind === 'lab' ? (labCourseId ?? STANDALONE_LABS_ID) : row.activityId,
    itemId: row.kind === 'lab' ? row.activityId : undefined,
    progress: completed ? 1 : row.status === 'in-progress' ? 0.5 : 0,
    grade:
      row.score === undefined
        ? undefined
        : row.kind === 'lab'
          ? { kind: 'points', points: row.score, maximum: 100 }
          : { kind: 'fraction', value: row.score / 100 },
    passed: completed ? true : undefined,
    completedAt: row.completedAt,
    updatedAt: row.completedAt ?? row.startedAt ?? receivedAt,
    badge: row.badge,
  };
}

function notFound(what: string): ConnectorError {
  return new ConnectorError('CONNECTOR_NOT_FOUND', `Google Cloud Skills Boost has no ${what} in this group`, {
    platform: SKILLS_BOOST_PLATFORM,
  });
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
