import { type Clock, type GenerateId, randomId, systemClock } from '@passport/core';
import type { z } from 'zod';
import { fingerprintScore } from '../diff/fingerprint.ts';
import { GradeSyncError, type GradeSyncErrorCode } from '../errors.ts';
import { createLearnerMatcher } from '../matching/match-learner.ts';
import type {
  AuditLog,
  ClassDirectory,
  DeadLetters,
  Gradebook,
  GradebookTarget,
  GradeOutbox,
  LearnerLinks,
  PartnerAssignment,
  PartnerAuthenticator,
  PartnerGradebookStore,
  PartnerPrincipal,
  PartnerSubmission,
  Roster,
} from '../ports.ts';
import type { SyncScheduler } from '../schedule/scheduler.ts';
import {
  authenticatePartner,
  checkPartnerDistrict,
  checkPartnerScope,
  partnerChallenge,
} from './partner-access.ts';
import { assignmentInputSchema, assignmentPatchSchema, submissionInputSchema } from './partner-schemas.ts';
import { partnerScoreContent, pointsOf } from './partner-score.ts';

export const partnerLineItemTag = 'passport-partner';

export interface PartnerGradebookApiOptions {
  /**
   * Who a request comes from: the host checks the credentials (its OneRoster API tokens, say) and answers the partner,
   * its districts and its scopes, or null (401). Nothing reaches the routes without it.
   */
  readonly authenticator: PartnerAuthenticator;
  /** The realm of the `WWW-Authenticate` challenges (default `passport-gradebook`). */
  readonly realm?: string;
  readonly store: PartnerGradebookStore;
  readonly directory: ClassDirectory;
  readonly gradebook: Gradebook;
  readonly roster: Roster;
  readonly learnerLinks: LearnerLinks;
  /** The engine's outbox, audit and dead letters: partner grades are delivered by the same drains. */
  readonly outbox: GradeOutbox;
  readonly audit: AuditLog;
  readonly deadLetters: DeadLetters;
  readonly scheduler?: SyncScheduler | undefined;
  /** Path prefix of the API (default `/gradebook/v1`). */
  readonly basePath?: string;
  readonly letterScale?: Readonly<Record<string, number>>;
  readonly clock?: Clock;
  readonly generateId?: GenerateId;
}

const bindingIdOf = (assignment: PartnerAssignment) => `partner:${assignment.id}`;

function problem(error: unknown, request: Request, realm: string): Response {
  if (GradeSyncError.isGradeSyncError(error)) {
    const challenge = partnerChallenge(error, request, realm);
    return Response.json(
      { error: error.code, message: error.description },
      {
        status: error.status,
        ...(challenge === undefined ? {} : { headers: { 'www-authenticate': challenge } }),
      },
    );
  }
  return Response.json(
    { error: 'GRADESYNC_INTERNAL', message: 'The gradebook API failed.' },
    { status: 500 },
  );
}

async function readInput<Schema extends z.ZodType>(
  request: Request,
  schema: Schema,
): Promise<z.output<Schema>> {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    throw new GradeSyncError('GRADESYNC_PARTNER_REQUEST_INVALID', 'The body is not JSON.');
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new GradeSyncError(
      'GRADESYNC_PARTNER_REQUEST_INVALID',
      `Field "${issue?.path.map(String).join('.') || '(body)'}": ${issue?.message ?? 'invalid'}.`,
    );
  }
  return parsed.data;
}

const notFound = (code: GradeSyncErrorCode, message: string) => new GradeSyncError(code, message);

/**
 * The gradebook API for partner apps (what Clever calls LMS Connect): an app with roster access creates assignments
 * for a roster class and writes submissions with roster user ids; Passport creates the line item in whichever LMS the
 * district uses, translates roster ids to LMS user ids (NRPS sourcedId or email, as sync without SSO does), and
 * delivers the grades through the engine's outbox, with the same guarantees. The app lists the assignments it created
 * (and only those), reads each one's per-LMS sync state, and reads back grades a teacher edited in the LMS.
 *
 * Every request is authenticated by the host's `authenticator` and fails closed (`partner-access.ts`): no valid
 * credentials 401 with a `WWW-Authenticate` challenge, a missing scope 403 (`insufficient_scope`), a class of another
 * district 403.
 *
 * - `POST   {base}/classes/{classId}/assignments`
 * - `GET    {base}/classes/{classId}/assignments`
 * - `GET    {base}/classes/{classId}/assignments/{assignmentId}`
 * - `PATCH  {base}/classes/{classId}/assignments/{assignmentId}`
 * - `PUT    {base}/classes/{classId}/assignments/{assignmentId}/submissions/{userId}`
 * - `GET    {base}/classes/{classId}/assignments/{assignmentId}/submissions`
 */
export function createPartnerGradebookApi(
  options: PartnerGradebookApiOptions,
): (request: Request) => Promise<Response> {
  const clock = options.clock ?? systemClock;
  const generateId = options.generateId ?? randomId;
  const basePath = (options.basePath ?? '/gradebook/v1').replace(/\/$/, '');

  const targetOf = async (classId: string) => {
    const target = await options.directory.classTarget(classId);
    if (target === undefined)
      throw notFound('GRADESYNC_PARTNER_NOT_FOUND', `No class ${classId} in a course of a connected LMS.`);
    return target;
  };

  const ownAssignment = async (appId: string, classId: string, assignmentId: string) => {
    const assignment = await options.store.getAssignment(assignmentId);
    // Another app's assignment is as absent as a missing one: apps see only what they created.
    if (assignment === undefined || assignment.appId !== appId || assignment.classId !== classId)
      throw notFound(
        'GRADESYNC_PARTNER_NOT_FOUND',
        `No assignment ${assignmentId} of this app in class ${classId}.`,
      );
    return assignment;
  };

  /** Creates (or finds, after a crash) the assignment's line item in the LMS once it is no longer a draft. */
  const ensureLineItem = async (
    assignment: PartnerAssignment,
    target: GradebookTarget,
  ): Promise<PartnerAssignment> => {
    if (assignment.state === 'draft' || assignment.lineItemId !== undefined) return assignment;
    const resourceId = `partner:${assignment.appId}:${assignment.id}`;
    const [existing] = await options.gradebook.listLineItems(target, { resourceId, tag: partnerLineItemTag });
    const lineItem =
      existing ??
      (await options.gradebook.createLineItem(target, {
        label: assignment.title,
        scoreMaximum: assignment.pointsPossible,
        resourceId,
        tag: partnerLineItemTag,
      }));
    const saved = { ...assignment, lmsId: target.lmsId, lineItemId: lineItem.id, updatedAt: clock.now() };
    await options.store.saveAssignment(saved);
    return saved;
  };

  /** Queues the submission's score for the LMS (the engine's drain delivers it). */
  const push = async (
    assignment: PartnerAssignment,
    target: GradebookTarget,
    submission: PartnerSubmission,
  ) => {
    if (assignment.lineItemId === undefined || submission.lmsUserId === undefined) return false;
    const content = partnerScoreContent(assignment, submission, options.letterScale);
    if (content === undefined) return false;
    const { timestamp, ...visible } = content;
    await options.outbox.enqueue(
      [
        {
          lmsId: target.lmsId,
          contextId: target.contextId,
          bindingId: bindingIdOf(assignment),
          runId: `partner-write:${generateId()}`,
          slot: `partner:${assignment.id}`,
          lineItemId: assignment.lineItemId,
          userId: submission.lmsUserId,
          learnerExternalId: submission.userId,
          score: { userId: submission.lmsUserId, ...visible, timestamp: new Date(timestamp).toISOString() },
          fingerprint: fingerprintScore(content),
          sourceUpdatedAt: submission.updatedAt.getTime(),
        },
      ],
      clock.now(),
    );
    await options.scheduler?.requestDrain(target.lmsId);
    return true;
  };

  const syncState = async (assignment: PartnerAssignment) => {
    const bindingId = bindingIdOf(assignment);
    const [waiting, sent, failed] = await Promise.all([
      options.outbox.list({ bindingId }),
      options.audit.list({ bindingId, kind: 'score-sent' }),
      options.deadLetters.list({ bindingId }),
    ]);
    return {
      lms_id: assignment.lmsId ?? null,
      line_item_id: assignment.lineItemId ?? null,
      state:
        assignment.lineItemId === undefined
          ? 'not-pushed'
          : waiting.length > 0
            ? 'syncing'
            : failed.length > 0
              ? 'failed'
              : 'synced',
      waiting: waiting.length,
      sent: sent.length,
      failed: failed.map((letter) => ({
        user_id: letter.entry.learnerExternalId,
        reason: letter.reason,
        message: letter.message,
      })),
    };
  };

  const assignmentJson = async (assignment: PartnerAssignment) => ({
    id: assignment.id,
    class_id: assignment.classId,
    title: assignment.title,
    ...(assignment.description === undefined ? {} : { description: assignment.description }),
    state: assignment.state,
    ...(assignment.dueDate === undefined ? {} : { due_date: assignment.dueDate }),
    points_possible: assignment.pointsPossible,
    grading_type: assignment.gradingType,
    created_at: assignment.createdAt.toISOString(),
    updated_at: assignment.updatedAt.toISOString(),
    sync: await syncState(assignment),
  });

  const submissionJson = (submission: PartnerSubmission) => ({
    user_id: submission.userId,
    state: submission.state,
    ...(submission.grade === undefined ? {} : { grade: submission.grade }),
    ...(submission.gradePoints === undefined ? {} : { grade_points: submission.gradePoints }),
    ...(submission.gradeComment === undefined ? {} : { grade_comment: submission.gradeComment }),
    flags: submission.flags,
    updated_at: submission.updatedAt.toISOString(),
  });

  /** The LMS user of a roster user, matched as grade sync without SSO does; never guessed. */
  const lmsUserOf = async (target: GradebookTarget, userId: string) => {
    const rosterUser = await options.directory.rosterUser(userId);
    if (rosterUser === undefined)
      throw new GradeSyncError('GRADESYNC_PARTNER_USER_UNMATCHED', `No roster user ${userId}.`);
    const [members, launches] = await Promise.all([
      options.roster.listMembers(target),
      options.learnerLinks.listLaunches(target.lmsId),
    ]);
    const matcher = createLearnerMatcher({ platform: 'roster', accountLinks: [], launches, members });
    const match = matcher.match({ learnerExternalId: rosterUser.sourcedId, email: rosterUser.email });
    if (match.kind === 'matched') return match.userId;
    throw new GradeSyncError(
      'GRADESYNC_PARTNER_USER_UNMATCHED',
      match.kind === 'ambiguous'
        ? `Roster user ${userId} matches several LMS accounts (${match.candidates.join(', ')}); an admin must resolve it.`
        : `Roster user ${userId} has no LMS account in this class.`,
    );
  };

  const route = async (request: Request, principal: PartnerPrincipal): Promise<Response> => {
    const appId = principal.partnerId;
    const path = new URL(request.url).pathname;
    if (!path.startsWith(`${basePath}/classes/`))
      throw notFound('GRADESYNC_PARTNER_NOT_FOUND', `No route ${path}.`);
    const segments = path
      .slice(basePath.length + '/classes/'.length)
      .split('/')
      .map(decodeURIComponent);
    const [classId, collection, assignmentId, sub, userId, ...rest] = segments;
    if (classId === undefined || collection !== 'assignments' || rest.length > 0)
      throw notFound('GRADESYNC_PARTNER_NOT_FOUND', `No route ${path}.`);
    const target = await targetOf(classId);
    checkPartnerDistrict(principal, classId, target.tenantId);
    const now = clock.now();

    if (assignmentId === undefined || assignmentId === '') {
      if (request.method === 'GET') {
        const assignments = await options.store.listAssignments({ appId, classId });
        return Response.json({ assignments: await Promise.all(assignments.map(assignmentJson)) });
      }
      if (request.method === 'POST') {
        const input = await readInput(request, assignmentInputSchema);
        const created: PartnerAssignment = {
          id: generateId(),
          appId,
          classId,
          title: input.title,
          ...(input.description === undefined ? {} : { description: input.description }),
          state: input.state,
          ...(input.due_date === undefined ? {} : { dueDate: input.due_date }),
          pointsPossible: input.points_possible,
          gradingType: input.grading_type,
          createdAt: now,
          updatedAt: now,
        };
        await options.store.saveAssignment(created);
        return Response.json(await assignmentJson(await ensureLineItem(created, target)), { status: 201 });
      }
    } else if (sub === undefined) {
      const assignment = await ownAssignment(appId, classId, assignmentId);
      if (request.method === 'GET') return Response.json(await assignmentJson(assignment));
      if (request.method === 'PATCH') {
        const input = await readInput(request, assignmentPatchSchema);
        const updated: PartnerAssignment = {
          ...assignment,
          ...(input.title === undefined ? {} : { title: input.title }),
          ...(input.description === undefined ? {} : { description: input.description }),
          ...(input.state === undefined ? {} : { state: input.state }),
          ...(input.due_date === undefined ? {} : { dueDate: input.due_date }),
          updatedAt: now,
        };
        await options.store.saveAssignment(updated);
        const pushed = await ensureLineItem(updated, target);
        // An assignment that just left draft: the submissions written meanwhile go now.
        if (assignment.lineItemId === undefined && pushed.lineItemId !== undefined)
          for (const submission of await options.store.listSubmissions(pushed.id))
            await push(pushed, target, submission);
        return Response.json(await assignmentJson(pushed));
      }
    } else if (sub === 'submissions') {
      const assignment = await ownAssignment(appId, classId, assignmentId);
      if (userId !== undefined && userId !== '' && request.method === 'PUT') {
        const input = await readInput(request, submissionInputSchema);
        const submission: PartnerSubmission = {
          assignmentId: assignment.id,
          userId,
          lmsUserId: await lmsUserOf(target, userId),
          state: input.state,
          ...(input.grade === undefined ? {} : { grade: input.grade }),
          ...(input.grade_points === undefined ? {} : { gradePoints: input.grade_points }),
          ...(input.grade_comment === undefined ? {} : { gradeComment: input.grade_comment }),
          flags: input.flags,
          updatedAt: now,
        };
        if (
          submission.grade !== undefined &&
          pointsOf(assignment, submission, options.letterScale) === undefined
        )
          throw new GradeSyncError(
            'GRADESYNC_PARTNER_REQUEST_INVALID',
            `Field "grade": ${JSON.stringify(submission.grade)} is not a grade of a ${assignment.gradingType} assignment.`,
          );
        await options.store.saveSubmission(submission);
        const queued = await push(assignment, target, submission);
        return Response.json({ ...submissionJson(submission), sync: queued ? 'queued' : 'not-pushed' });
      }
      if ((userId === undefined || userId === '') && request.method === 'GET') {
        const submissions = await options.store.listSubmissions(assignment.id);
        // Read back what the LMS holds: a teacher may have edited a grade there.
        const lms = new Map<string, number | undefined>();
        if (assignment.lineItemId !== undefined)
          for (const result of await options.gradebook.readResults(target, assignment.lineItemId))
            lms.set(result.userId, result.resultScore);
        return Response.json({
          submissions: submissions.map((submission) => {
            const sent = partnerScoreContent(assignment, submission, options.letterScale)?.scoreGiven;
            const held = submission.lmsUserId === undefined ? undefined : lms.get(submission.lmsUserId);
            return {
              ...submissionJson(submission),
              lms_grade_points: held ?? null,
              edited_in_lms: held !== undefined && sent !== undefined && Math.abs(held - sent) > 1e-9,
            };
          }),
        });
      }
    }
    throw notFound('GRADESYNC_PARTNER_NOT_FOUND', `No route ${request.method} ${path}.`);
  };

  const realm = options.realm ?? 'passport-gradebook';
  return async (request) => {
    try {
      const principal = await authenticatePartner(options.authenticator, request);
      checkPartnerScope(principal, request.method);
      return await route(request, principal);
    } catch (error) {
      return problem(error, request, realm);
    }
  };
}
