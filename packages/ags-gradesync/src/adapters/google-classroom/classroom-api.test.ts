import { describe, expect, it } from 'vitest';
import { buildPatchGradeRequest, classroomRefusal, processListCourseWorkResponse } from './classroom-api.ts';

const now = new Date('2025-03-01T00:00:00Z');
const refusal = (status: number, googleStatus: string, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ error: { code: status, status: googleStatus, message: 'no' } }), {
    status,
    headers,
  });

describe('Classroom API pairs', () => {
  it('builds the grade patch with its update mask', async () => {
    const request = buildPatchGradeRequest({
      apiUrl: 'https://classroom.googleapis.com/',
      accessToken: 't',
      courseId: 'c 1',
      courseWorkId: 'w1',
      submissionId: 's1',
      grade: 7.5,
    });
    expect(request.method).toBe('PATCH');
    expect(request.url).toBe(
      'https://classroom.googleapis.com/v1/courses/c%201/courseWork/w1/studentSubmissions/s1?updateMask=draftGrade%2CassignedGrade',
    );
    expect(await request.json()).toEqual({ draftGrade: 7.5, assignedGrade: 7.5 });
  });

  it('maps refusals to the engine’s codes', async () => {
    expect(await classroomRefusal(refusal(403, 'PERMISSION_DENIED'), 'the grade', now)).toMatchObject({
      code: 'GRADESYNC_LINE_ITEM_NOT_OWNED',
    });
    expect(
      await classroomRefusal(refusal(429, 'RESOURCE_EXHAUSTED', { 'retry-after': '7' }), 'x', now),
    ).toMatchObject({
      code: 'GRADESYNC_LMS_RATE_LIMITED',
      retryAfterMs: 7000,
    });
    expect(await classroomRefusal(refusal(503, 'UNAVAILABLE'), 'x', now)).toMatchObject({
      code: 'GRADESYNC_LMS_UNAVAILABLE',
    });
    expect(await classroomRefusal(refusal(404, 'NOT_FOUND'), 'x', now)).toMatchObject({
      code: 'GRADESYNC_LINE_ITEM_DELETED',
    });
    expect(await classroomRefusal(refusal(401, 'UNAUTHENTICATED'), 'x', now)).toMatchObject({
      code: 'GRADESYNC_LMS_UNAUTHORIZED',
    });
    expect(await classroomRefusal(refusal(400, 'INVALID_ARGUMENT'), 'x', now)).toMatchObject({
      code: 'GRADESYNC_SCORE_REJECTED',
    });
  });

  it('reads an empty list and a body that is not JSON', async () => {
    expect(await processListCourseWorkResponse(new Response('{}'), now)).toEqual({
      courseWork: [],
      nextPageToken: undefined,
    });
    await expect(processListCourseWorkResponse(new Response('<html>'), now)).rejects.toMatchObject({
      code: 'GRADESYNC_LMS_RESPONSE_INVALID',
    });
  });
});
