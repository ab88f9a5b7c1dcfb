import { type NodeServer, serveNode } from '@passport/coursera-connector/simulator';

interface SimCourseWork {
  id: string;
  title: string;
  description: string;
  maxPoints: number | undefined;
  /** The developer project that created it; undefined when a teacher created it in the Classroom UI. */
  project: string | undefined;
}

interface SimSubmission {
  id: string;
  userId: string;
  state: 'CREATED' | 'TURNED_IN' | 'RETURNED';
  draftGrade?: number;
  assignedGrade?: number;
}

interface SimCourse {
  students: Array<{ userId: string; email: string; fullName: string }>;
  courseWork: Map<string, SimCourseWork>;
  submissions: Map<string, Map<string, SimSubmission>>;
}

export interface ClassroomSimulator {
  readonly url: string;
  /** Access tokens and the developer project each belongs to. */
  grantToken(token: string, project: string): void;
  addCourse(courseId: string, students: Array<{ userId: string; email: string; fullName: string }>): void;
  /** A courseWork a teacher created in the Classroom UI (no developer project). */
  addTeacherCourseWork(courseId: string, title: string, maxPoints: number): string;
  courseWork(courseId: string): SimCourseWork[];
  submission(courseId: string, courseWorkId: string, userId: string): SimSubmission | undefined;
  /** Grades students can see: one entry per `:return`. */
  readonly returned: Array<{ courseWorkId: string; userId: string; assignedGrade: number | undefined }>;
  readonly requests: string[];
  close(): Promise<void>;
}

const statusCodes: Record<string, number> = {
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  INVALID_ARGUMENT: 400,
};
const fail = (status: keyof typeof statusCodes, message: string) => {
  const code = statusCodes[status]!;
  return Response.json({ error: { code, status, message } }, { status: code });
};

/**
 * A Google Classroom API v1 simulator (the calls grade sync makes) over HTTP on 127.0.0.1:0. It enforces the rule
 * that matters: only the developer project that created a courseWork may modify its submissions' grades or return
 * them (`403 PERMISSION_DENIED` "ProjectPermissionDenied" otherwise), and it reports `associatedWithDeveloper`.
 */
export async function startClassroomSimulator(): Promise<ClassroomSimulator> {
  const courses = new Map<string, SimCourse>();
  const tokens = new Map<string, string>();
  const returned: ClassroomSimulator['returned'] = [];
  const requests: string[] = [];
  let counter = 0;
  const nextId = (prefix: string) => `${prefix}${++counter}`;

  const view = (courseId: string, courseWork: SimCourseWork, project: string) => ({
    id: courseWork.id,
    courseId,
    title: courseWork.title,
    description: courseWork.description,
    ...(courseWork.maxPoints === undefined ? {} : { maxPoints: courseWork.maxPoints }),
    state: 'PUBLISHED',
    workType: 'ASSIGNMENT',
    associatedWithDeveloper: courseWork.project === project,
  });
  const submissionView = (courseWorkId: string, submission: SimSubmission) => ({
    id: submission.id,
    courseWorkId,
    userId: submission.userId,
    state: submission.state,
    ...(submission.draftGrade === undefined ? {} : { draftGrade: submission.draftGrade }),
    ...(submission.assignedGrade === undefined ? {} : { assignedGrade: submission.assignedGrade }),
  });
  const createSubmissions = (course: SimCourse, courseWorkId: string) => {
    course.submissions.set(
      courseWorkId,
      new Map(
        course.students.map((student) => [
          student.userId,
          { id: nextId('sub'), userId: student.userId, state: 'CREATED' },
        ]),
      ),
    );
  };

  const handle = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    requests.push(`${request.method} ${url.pathname}${url.search}`);
    const token = /^Bearer (.+)$/.exec(request.headers.get('authorization') ?? '')?.[1];
    const project = token === undefined ? undefined : tokens.get(token);
    if (project === undefined)
      return fail('UNAUTHENTICATED', 'Request had invalid authentication credentials.');
    const match =
      /^\/v1\/courses\/([^/]+)\/(students|courseWork)(?:\/([^/]+)(?:\/studentSubmissions(?:\/([^/]+))?)?)?$/.exec(
        url.pathname,
      );
    const course = match === null ? undefined : courses.get(decodeURIComponent(match[1]!));
    if (match === null || course === undefined) return fail('NOT_FOUND', 'Requested entity was not found.');
    const courseId = decodeURIComponent(match[1]!);
    const [, , kind, courseWorkPart, submissionPart] = match;
    if (kind === 'students' && courseWorkPart === undefined && request.method === 'GET')
      return Response.json({
        students: course.students.map((student) => ({
          courseId,
          userId: student.userId,
          profile: { id: student.userId, emailAddress: student.email, name: { fullName: student.fullName } },
        })),
      });
    if (kind !== 'courseWork') return fail('NOT_FOUND', 'Requested entity was not found.');
    if (courseWorkPart === undefined) {
      if (request.method === 'GET')
        return Response.json({
          courseWork: [...course.courseWork.values()].map((work) => view(courseId, work, project)),
        });
      if (request.method === 'POST') {
        const body = (await request.json()) as { title?: string; description?: string; maxPoints?: number };
        if (typeof body.title !== 'string' || body.title === '')
          return fail('INVALID_ARGUMENT', 'title is required');
        const courseWork: SimCourseWork = {
          id: nextId('cw'),
          title: body.title,
          description: body.description ?? '',
          maxPoints: body.maxPoints,
          project,
        };
        course.courseWork.set(courseWork.id, courseWork);
        createSubmissions(course, courseWork.id);
        return Response.json(view(courseId, courseWork, project));
      }
    }
    const courseWork = course.courseWork.get(decodeURIComponent(courseWorkPart ?? ''));
    if (courseWork === undefined) return fail('NOT_FOUND', 'Requested entity was not found.');
    if (submissionPart === undefined && !url.pathname.endsWith('/studentSubmissions')) {
      if (request.method === 'GET') return Response.json(view(courseId, courseWork, project));
      return fail('NOT_FOUND', 'Requested entity was not found.');
    }
    const submissions = course.submissions.get(courseWork.id) ?? new Map<string, SimSubmission>();
    if (submissionPart === undefined) {
      const userId = url.searchParams.get('userId');
      return Response.json({
        studentSubmissions: [...submissions.values()]
          .filter((submission) => userId === null || submission.userId === userId)
          .map((submission) => submissionView(courseWork.id, submission)),
      });
    }
    const [submissionId, action] = decodeURIComponent(submissionPart).split(':');
    const submission = [...submissions.values()].find((candidate) => candidate.id === submissionId);
    if (submission === undefined) return fail('NOT_FOUND', 'Requested entity was not found.');
    // The rule: only the project that created the courseWork may grade or return its submissions.
    if (courseWork.project !== project)
      return fail(
        'PERMISSION_DENIED',
        '@ProjectPermissionDenied The Developer Console project is not permitted to make this request.',
      );
    if (request.method === 'PATCH' && action === undefined) {
      const mask = (url.searchParams.get('updateMask') ?? '').split(',');
      const body = (await request.json()) as { draftGrade?: number; assignedGrade?: number };
      if (mask.includes('draftGrade') && body.draftGrade !== undefined)
        submission.draftGrade = body.draftGrade;
      if (mask.includes('assignedGrade') && body.assignedGrade !== undefined)
        submission.assignedGrade = body.assignedGrade;
      return Response.json(submissionView(courseWork.id, submission));
    }
    if (request.method === 'POST' && action === 'return') {
      submission.state = 'RETURNED';
      returned.push({
        courseWorkId: courseWork.id,
        userId: submission.userId,
        assignedGrade: submission.assignedGrade,
      });
      return Response.json({});
    }
    return fail('NOT_FOUND', 'Requested entity was not found.');
  };

  const server: NodeServer = await serveNode(handle);
  return {
    url: server.url,
    returned,
    requests,
    grantToken: (token, project) => tokens.set(token, project),
    addCourse(courseId, students) {
      courses.set(courseId, { students, courseWork: new Map(), submissions: new Map() });
    },
    addTeacherCourseWork(courseId, title, maxPoints) {
      const course = courses.get(courseId)!;
      const id = nextId('cw');
      course.courseWork.set(id, { id, title, description: '', maxPoints, project: undefined });
      createSubmissions(course, id);
      return id;
    },
    courseWork: (courseId) => [...(courses.get(courseId)?.courseWork.values() ?? [])],
    submission: (courseId, courseWorkId, userId) =>
      courses.get(courseId)?.submissions.get(courseWorkId)?.get(userId),
    close: () => server.close(),
  };
}
