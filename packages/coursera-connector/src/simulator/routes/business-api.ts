import type { Route, RouteInput } from '../context.ts';
import { apiError, json } from '../html.ts';
import { collectionResponse } from '../paging.ts';
import {
  addContent,
  addProgram,
  addSyntheticMember,
  enroll,
  membershipKey,
  removeMember,
  type SimEnrollment,
  type SimMembership,
  type SimProgram,
  type SimulatorState,
  setCourseResult,
  sortedBySequence,
} from '../state.ts';
import { SCOPE } from './oauth.ts';

/** The documented business API: `/api/businesses.v1/{orgId}/...`. */

export const API_BASE = '/api/businesses.v1/:organizationId';

/** Bearer token, scope and organization; answers the refusal, or undefined when the call may go on. */
function authorize(input: RouteInput): Response | undefined {
  const { state } = input.context;
  const header = input.request.headers.get('authorization') ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  const challenge = { 'www-authenticate': 'Bearer realm="coursera", error="invalid_token"' };
  if (match === null) return apiError(401, 'UNAUTHENTICATED', 'A bearer token is required', challenge);
  const grant = state.accessTokens.get(match[1]!);
  if (grant === undefined || grant.revoked || grant.expiresAt <= state.now()) {
    return apiError(401, 'UNAUTHENTICATED', 'The access token is unknown or expired', challenge);
  }
  if (!grant.scope.split(' ').includes(SCOPE)) return apiError(403, 'FORBIDDEN', `The token lacks ${SCOPE}`);
  if (grant.organizationId !== input.params.organizationId) {
    return apiError(403, 'FORBIDDEN', 'The token was not granted for this organization');
  }
  return undefined;
}

function api(
  method: string,
  path: string,
  handle: (input: RouteInput) => Response | Promise<Response>,
): Route {
  return {
    method,
    path: `${API_BASE}${path}`,
    handle: (input) => authorize(input) ?? handle(input),
  };
}

export function programsOf(state: SimulatorState, organizationId: string): SimProgram[] {
  return sortedBySequence(
    [...state.programs.values()].filter((program) => program.organizationId === organizationId),
  );
}

function findProgram(input: RouteInput): SimProgram | Response {
  const program = input.context.state.programs.get(input.params.programId ?? '');
  if (program === undefined || program.organizationId !== input.params.organizationId) {
    return apiError(404, 'NOT_FOUND', `No program ${input.params.programId}`);
  }
  return program;
}

const siteOf = (input: RouteInput) => input.url.origin;

function programView(program: SimProgram, state: SimulatorState, site: string) {
  return {
    id: program.id,
    name: program.name,
    tagline: program.tagline,
    url: `${site}/programs/${program.slug}`,
    contentIds: program.contentIds.map((contentId) => ({
      contentId,
      contentType: state.contents.get(contentId)?.type ?? 'Course',
    })),
  };
}

const synthetic = (state: SimulatorState, what: string) =>
  `${what} added mid-crawl ${state.random.id().slice(0, 6)}`;

const listPrograms = api('GET', '/programs', (input) => {
  const { state } = input.context;
  const organizationId = input.params.organizationId!;
  if (input.fault?.kind === 'total-change')
    addProgram(state, organizationId, { name: synthetic(state, 'Program'), front: true });
  const site = siteOf(input);
  return collectionResponse(
    programsOf(state, organizationId).map((program) => programView(program, state, site)),
    input.url,
    input.fault,
  );
});

const listContents = api('GET', '/contents', (input) => {
  const { state } = input.context;
  if (input.url.searchParams.get('q') !== 'byProgramIds') {
    return apiError(400, 'BAD_REQUEST', 'Only q=byProgramIds is supported');
  }
  const programIds = (input.url.searchParams.get('programIds') ?? '').split(',').filter(Boolean);
  if (programIds.length === 0) return apiError(400, 'BAD_REQUEST', 'programIds is required');
  const programs = programIds
    .map((id) => state.programs.get(id))
    .filter((program): program is SimProgram => program?.organizationId === input.params.organizationId);
  if (input.fault?.kind === 'total-change' && programs[0] !== undefined) {
    addContent(state, programs[0].id, { name: synthetic(state, 'Course'), front: true });
  }
  const seen = new Set<string>();
  const elements = [];
  for (const program of programs) {
    for (const contentId of program.contentIds) {
      const content = state.contents.get(contentId);
      if (content === undefined || seen.has(contentId)) continue;
      seen.add(contentId);
      elements.push({
        contentId: content.id,
        contentType: content.type,
        name: content.name,
        slug: content.slug,
        description: content.description,
      });
    }
  }
  return collectionResponse(elements, input.url, input.fault);
});

const createInvitation = api('POST', '/programs/:programId/invitations', async (input) => {
  const program = findProgram(input);
  if (program instanceof Response) return program;
  const { state } = input.context;
  let body: Record<string, unknown>;
  try {
    body = (await input.request.json()) as Record<string, unknown>;
  } catch {
    return apiError(400, 'INVALID_REQUEST', 'The body must be JSON');
  }
  const { externalId, fullName, email, sendEmail } = body;
  if (typeof email !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(email)) {
    return apiError(400, 'INVALID_REQUEST', 'email must be an email address');
  }
  if (typeof fullName !== 'string' || fullName.trim() === '') {
    return apiError(400, 'INVALID_REQUEST', 'fullName is required');
  }
  if (externalId !== undefined && (typeof externalId !== 'string' || externalId === '')) {
    return apiError(400, 'INVALID_REQUEST', 'externalId must be a non-empty string');
  }
  if (sendEmail !== undefined && typeof sendEmail !== 'boolean') {
    return apiError(400, 'INVALID_REQUEST', 'sendEmail must be a boolean');
  }
  const learnerId = (externalId as string | undefined) ?? email;
  const key = membershipKey(program.id, learnerId);
  if (state.memberships.has(key)) {
    return apiError(409, 'MEMBERSHIP_ALREADY_EXISTS', `${learnerId} is already a member of the program`);
  }
  if (state.invitations.has(key)) {
    return apiError(409, 'INVITATION_ALREADY_EXISTS', `${learnerId} is already invited to the program`);
  }
  const invitation = {
    id: key,
    programId: program.id,
    externalId: learnerId,
    email,
    fullName,
    sendEmail: sendEmail ?? true,
    sentAt: state.now(),
  };
  state.invitations.set(key, invitation);
  return json({ elements: [invitation] }, 201);
});

function membershipView(membership: SimMembership) {
  return {
    id: membershipKey(membership.programId, membership.externalId),
    programId: membership.programId,
    externalId: membership.externalId,
    joinedAt: membership.joinedAt,
    fullName: membership.fullName,
    email: membership.email,
  };
}

const listMemberships = api('GET', '/programs/:programId/memberships', (input) => {
  const program = findProgram(input);
  if (program instanceof Response) return program;
  const { state } = input.context;
  if (input.fault?.kind === 'total-change') addSyntheticMember(state, program);
  const memberships = sortedBySequence(
    [...state.memberships.values()].filter((membership) => membership.programId === program.id),
  );
  return collectionResponse(memberships.map(membershipView), input.url, input.fault);
});

const deleteMembership = api('DELETE', '/programs/:programId/memberships/:membershipId', (input) => {
  const program = findProgram(input);
  if (program instanceof Response) return program;
  const prefix = `${program.id}~`;
  const membershipId = input.params.membershipId!;
  if (!membershipId.startsWith(prefix)) {
    return apiError(400, 'INVALID_REQUEST', 'The membership id must be {programId}~{externalId}');
  }
  const removed = removeMember(input.context.state, program.id, membershipId.slice(prefix.length));
  return removed
    ? new Response(null, { status: 204 })
    : apiError(404, 'NOT_FOUND', `No membership ${membershipId}`);
});

export function enrollmentReportView(enrollment: SimEnrollment, state: SimulatorState) {
  const membership = state.memberships.get(membershipKey(enrollment.programId, enrollment.externalId));
  const content = state.contents.get(enrollment.contentId);
  const email =
    membership?.email ??
    state.invitations.get(membershipKey(enrollment.programId, enrollment.externalId))?.email;
  return {
    externalId: enrollment.externalId,
    email: email ?? enrollment.externalId,
    contentId: enrollment.contentId,
    contentType: content?.type ?? 'Course',
    programId: enrollment.programId,
    enrolledAt: enrollment.enrolledAt,
    lastActivityAt: enrollment.lastActivityAt,
    overallProgress: enrollment.overallProgress,
    isCompleted: enrollment.isCompleted,
    ...(enrollment.completedAt === undefined ? {} : { completedAt: enrollment.completedAt }),
    grade: enrollment.grade === undefined ? '' : String(enrollment.grade),
    membershipState: membership === undefined ? 'NOT_MEMBER' : 'MEMBER',
  };
}

const listEnrollmentReports = api('GET', '/enrollmentReports', (input) => {
  const { state } = input.context;
  const query = input.url.searchParams;
  if (query.get('q') !== 'byProgramId')
    return apiError(400, 'BAD_REQUEST', 'Only q=byProgramId is supported');
  const program = state.programs.get(query.get('programId') ?? '');
  if (program === undefined || program.organizationId !== input.params.organizationId) {
    return apiError(404, 'NOT_FOUND', `No program ${query.get('programId')}`);
  }
  const afterText = query.get('completedAtAfter');
  if (afterText !== null && !/^\d+$/.test(afterText)) {
    return apiError(400, 'BAD_REQUEST', 'completedAtAfter must be epoch milliseconds');
  }
  if (input.fault?.kind === 'total-change') {
    const contentId = program.contentIds[0];
    if (contentId !== undefined) {
      const externalId = addSyntheticMember(state, program);
      enroll(state, program.id, externalId, contentId).sequence = state.frontSequence();
      setCourseResult(state, { programId: program.id, externalId, contentId, isCompleted: true });
    }
  }
  const after = afterText === null ? undefined : Number(afterText);
  const enrollments = sortedBySequence(
    [...state.enrollments.values()].filter(
      (enrollment) =>
        enrollment.programId === program.id &&
        (after === undefined || (enrollment.isCompleted && (enrollment.completedAt ?? 0) > after)),
    ),
  );
  return collectionResponse(
    enrollments.map((enrollment) => enrollmentReportView(enrollment, state)),
    input.url,
    input.fault,
  );
});

export const businessApiRoutes: Route[] = [
  listPrograms,
  listContents,
  createInvitation,
  listMemberships,
  deleteMembership,
  listEnrollmentReports,
];

export { api as apiRoute, findProgram };
