import { GradeSyncError } from '../../errors.ts';
import { parseRetryAfter } from '../lti13/translate-lti-error.ts';

/*
 * The Google Classroom API v1 calls grade sync needs, each as a pair: one function builds the request, one reads the
 * answer, so parsing is tested without a network. Shapes follow https://developers.google.com/classroom/reference/rest.
 */

export const classroomApiUrl = 'https://classroom.googleapis.com';

export interface CourseWork {
  readonly id: string;
  readonly courseId: string;
  readonly title: string;
  readonly description?: string | undefined;
  readonly maxPoints?: number | undefined;
  readonly state?: string | undefined;
  /** True when the developer project making the call created it: only then may it grade it. */
  readonly associatedWithDeveloper?: boolean | undefined;
}

export interface StudentSubmission {
  readonly id: string;
  readonly courseWorkId: string;
  readonly userId: string;
  readonly state?: string | undefined;
  readonly draftGrade?: number | undefined;
  readonly assignedGrade?: number | undefined;
}

export interface Student {
  readonly userId: string;
  readonly profile?:
    | { readonly emailAddress?: string; readonly name?: { readonly fullName?: string } }
    | undefined;
}

const base = (apiUrl: string, courseId: string) =>
  `${apiUrl.replace(/\/$/, '')}/v1/courses/${encodeURIComponent(courseId)}`;

const headers = (accessToken: string, body = false): Record<string, string> => ({
  authorization: `Bearer ${accessToken}`,
  accept: 'application/json',
  ...(body ? { 'content-type': 'application/json' } : {}),
});

export function buildCreateCourseWorkRequest(input: {
  apiUrl: string;
  accessToken: string;
  courseId: string;
  courseWork: { title: string; description: string; maxPoints: number };
}): Request {
  return new Request(`${base(input.apiUrl, input.courseId)}/courseWork`, {
    method: 'POST',
    headers: headers(input.accessToken, true),
    body: JSON.stringify({ ...input.courseWork, workType: 'ASSIGNMENT', state: 'PUBLISHED' }),
  });
}

export function buildListCourseWorkRequest(input: {
  apiUrl: string;
  accessToken: string;
  courseId: string;
  pageToken?: string | undefined;
}): Request {
  const url = new URL(`${base(input.apiUrl, input.courseId)}/courseWork`);
  if (input.pageToken !== undefined) url.searchParams.set('pageToken', input.pageToken);
  return new Request(url, { headers: headers(input.accessToken) });
}

export function buildGetCourseWorkRequest(input: {
  apiUrl: string;
  accessToken: string;
  courseId: string;
  courseWorkId: string;
}): Request {
  return new Request(
    `${base(input.apiUrl, input.courseId)}/courseWork/${encodeURIComponent(input.courseWorkId)}`,
    {
      headers: headers(input.accessToken),
    },
  );
}

export function buildListSubmissionsRequest(input: {
  apiUrl: string;
  accessToken: string;
  courseId: string;
  courseWorkId: string;
  userId?: string | undefined;
  pageToken?: string | undefined;
}): Request {
  const url = new URL(
    `${base(input.apiUrl, input.courseId)}/courseWork/${encodeURIComponent(input.courseWorkId)}/studentSubmissions`,
  );
  if (input.userId !== undefined) url.searchParams.set('userId', input.userId);
  if (input.pageToken !== undefined) url.searchParams.set('pageToken', input.pageToken);
  return new Request(url, { headers: headers(input.accessToken) });
}

/** `studentSubmissions.patch?updateMask=draftGrade,assignedGrade`: the grade, not yet visible to the student. */
export function buildPatchGradeRequest(input: {
  apiUrl: string;
  accessToken: string;
  courseId: string;
  courseWorkId: string;
  submissionId: string;
  grade: number;
}): Request {
  const url = new URL(
    `${base(input.apiUrl, input.courseId)}/courseWork/${encodeURIComponent(input.courseWorkId)}/studentSubmissions/${encodeURIComponent(input.submissionId)}`,
  );
  url.searchParams.set('updateMask', 'draftGrade,assignedGrade');
  return new Request(url, {
    method: 'PATCH',
    headers: headers(input.accessToken, true),
    body: JSON.stringify({ draftGrade: input.grade, assignedGrade: input.grade }),
  });
}

/** `studentSubmissions.return`: publishes the assigned grade to the student. */
export function buildReturnSubmissionRequest(input: {
  apiUrl: string;
  accessToken: string;
  courseId: string;
  courseWorkId: string;
  submissionId: string;
}): Request {
  return new Request(
    `${base(input.apiUrl, input.courseId)}/courseWork/${encodeURIComponent(input.courseWorkId)}/studentSubmissions/${encodeURIComponent(input.submissionId)}:return`,
    { method: 'POST', headers: headers(input.accessToken, true), body: '{}' },
  );
}

export function buildListStudentsRequest(input: {
  apiUrl: string;
  accessToken: string;
  courseId: string;
  pageToken?: string | undefined;
}): Request {
  const url = new URL(`${base(input.apiUrl, input.courseId)}/students`);
  if (input.pageToken !== undefined) url.searchParams.set('pageToken', input.pageToken);
  return new Request(url, { headers: headers(input.accessToken) });
}

/**
 * A Classroom refusal as the engine's code. `PERMISSION_DENIED` on a courseWork is the rule that only the project
 * that created a courseWork may grade it (`GRADESYNC_LINE_ITEM_NOT_OWNED`); `NOT_FOUND` is a deleted courseWork.
 */
export async function classroomRefusal(response: Response, what: string, now: Date): Promise<GradeSyncError> {
  const text = await response.text().catch(() => '');
  let status: string | undefined;
  let message = text.slice(0, 300);
  try {
    const body = JSON.parse(text) as { error?: { status?: string; message?: string } };
    status = body.error?.status;
    message = body.error?.message ?? message;
  } catch {
    // Not JSON: keep the text.
  }
  const detail = { status: response.status, googleStatus: status, body: message };
  const described = `Google Classroom refused ${what} (HTTP ${response.status}${status === undefined ? '' : ` ${status}`}): ${message}`;
  if (response.status === 429 || status === 'RESOURCE_EXHAUSTED')
    return new GradeSyncError('GRADESYNC_LMS_RATE_LIMITED', described, {
      detail,
      retryAfterMs: parseRetryAfter(response.headers.get('retry-after') ?? undefined, now),
    });
  if (response.status >= 500) return new GradeSyncError('GRADESYNC_LMS_UNAVAILABLE', described, { detail });
  if (response.status === 401) return new GradeSyncError('GRADESYNC_LMS_UNAUTHORIZED', described, { detail });
  if (response.status === 403 && status === 'PERMISSION_DENIED')
    return new GradeSyncError('GRADESYNC_LINE_ITEM_NOT_OWNED', described, { detail });
  if (response.status === 403) return new GradeSyncError('GRADESYNC_LMS_UNAUTHORIZED', described, { detail });
  if (response.status === 404)
    return new GradeSyncError('GRADESYNC_LINE_ITEM_DELETED', described, { detail });
  return new GradeSyncError('GRADESYNC_SCORE_REJECTED', described, { detail });
}

async function readBody<Body>(response: Response, what: string): Promise<Body> {
  try {
    return (await response.json()) as Body;
  } catch {
    throw new GradeSyncError(
      'GRADESYNC_LMS_RESPONSE_INVALID',
      `Google Classroom answered ${what} with a body that is not JSON.`,
    );
  }
}

export async function processCourseWorkResponse(response: Response, now: Date): Promise<CourseWork> {
  if (!response.ok) throw await classroomRefusal(response, 'the courseWork request', now);
  const body = await readBody<CourseWork>(response, 'the courseWork request');
  if (typeof body.id !== 'string')
    throw new GradeSyncError(
      'GRADESYNC_LMS_RESPONSE_INVALID',
      'Google Classroom answered a courseWork without an id.',
    );
  return body;
}

export async function processListCourseWorkResponse(
  response: Response,
  now: Date,
): Promise<{ courseWork: CourseWork[]; nextPageToken: string | undefined }> {
  if (!response.ok) throw await classroomRefusal(response, 'the courseWork list', now);
  const body = await readBody<{ courseWork?: CourseWork[]; nextPageToken?: string }>(
    response,
    'the courseWork list',
  );
  return { courseWork: body.courseWork ?? [], nextPageToken: body.nextPageToken || undefined };
}

export async function processListSubmissionsResponse(
  response: Response,
  now: Date,
): Promise<{ submissions: StudentSubmission[]; nextPageToken: string | undefined }> {
  if (!response.ok) throw await classroomRefusal(response, 'the student submissions', now);
  const body = await readBody<{ studentSubmissions?: StudentSubmission[]; nextPageToken?: string }>(
    response,
    'the student submissions',
  );
  return { submissions: body.studentSubmissions ?? [], nextPageToken: body.nextPageToken || undefined };
}

export async function processSubmissionResponse(response: Response, what: string, now: Date): Promise<void> {
  if (!response.ok) throw await classroomRefusal(response, what, now);
  await response.body?.cancel();
}

export async function processListStudentsResponse(
  response: Response,
  now: Date,
): Promise<{ students: Student[]; nextPageToken: string | undefined }> {
  if (!response.ok) throw await classroomRefusal(response, 'the course roster', now);
  const body = await readBody<{ students?: Student[]; nextPageToken?: string }>(
    response,
    'the course roster',
  );
  return { students: body.students ?? [], nextPageToken: body.nextPageToken || undefined };
}
