// The README's "add another learning platform" example, kept here so it compiles and passes the connector contract.
// A made-up platform whose admins export JSON: { courses: [{ id, title, labs: [{ id, title }] }], results: [...] }.
import {
  ConnectorError,
  type Course,
  type GradableItem,
  type LearnerResult,
  type LearningPlatformConnector,
} from '@passport/coursera-connector';

export interface JsonExport {
  exportedAt: string;
  courses: { id: string; title: string; labs: { id: string; title: string }[] }[];
  results: { email: string; courseId: string; labId?: string; score?: number; completedAt?: string }[];
}

export function createJsonExportConnector(options: {
  organizationId: string;
  load: () => Promise<JsonExport>;
}): LearningPlatformConnector {
  const platform = 'example-json-export';
  const notSupported = () =>
    new ConnectorError('CONNECTOR_NOT_SUPPORTED', 'Exports cannot change members', { platform });
  const courses = async (): Promise<Course[]> =>
    (await options.load()).courses.map((course) => ({
      id: course.id,
      programId: options.organizationId,
      title: course.title,
      kind: 'course',
      description: undefined,
      url: undefined,
      platformType: 'Course',
    }));
  return {
    platform,
    organizationId: options.organizationId,
    capabilities: {
      itemCatalog: true,
      itemResults: true,
      manageMembership: false,
      handOffReturn: false,
      push: false,
    },
    catalog: {
      listPrograms: async () => [
        {
          id: options.organizationId,
          name: 'All courses',
          description: undefined,
          url: undefined,
          courseIds: (await courses()).map((course) => course.id),
        },
      ],
      listCourses: courses,
      async listItems(courseId): Promise<GradableItem[]> {
        const course = (await options.load()).courses.find((candidate) => candidate.id === courseId);
        if (course === undefined)
          throw new ConnectorError('CONNECTOR_NOT_FOUND', `No course ${courseId}`, { platform });
        return course.labs.map((lab, order) => ({
          id: lab.id,
          courseId,
          title: lab.title,
          type: 'lab',
          weight: 1 / course.labs.length,
          passingThreshold: undefined,
          order,
          maximumPoints: 100,
        }));
      },
    },
    learners: {
      invite: async () => {
        throw notSupported();
      },
      add: async () => {
        throw notSupported();
      },
      remove: async () => {
        throw notSupported();
      },
      async *listMembers() {},
    },
    results: {
      async *read(query) {
        const data = await options.load();
        const fresh = query.since === undefined || Date.parse(data.exportedAt) > Date.parse(query.since);
        const results: LearnerResult[] = (fresh ? data.results : [])
          .filter((result) => (query.level === 'item') === (result.labId !== undefined))
          .map((result) => ({
            programId: query.programId,
            learnerExternalId: result.email,
            email: result.email,
            courseId: result.courseId,
            itemId: result.labId,
            progress: result.completedAt === undefined ? 0 : 1,
            grade:
              result.score === undefined ? undefined : { kind: 'points', points: result.score, maximum: 100 },
            passed: result.completedAt === undefined ? undefined : true,
            completedAt: result.completedAt === undefined ? undefined : new Date(result.completedAt),
            updatedAt: new Date(result.completedAt ?? data.exportedAt),
            badge: undefined,
          }));
        yield { results, watermark: data.exportedAt };
      },
    },
    handOff: {
      buildUrl: (request) => new URL(`https://learn.example/courses/${request.courseId ?? ''}`),
      receiveReturn: async () => {
        throw notSupported();
      },
    },
  };
}
