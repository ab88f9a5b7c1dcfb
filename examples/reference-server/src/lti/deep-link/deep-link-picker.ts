import type { SyncMode } from '@passport/ags-gradesync';
import { type Clock, type GenerateId, randomId, systemClock } from '@passport/core';
import type { Course, GradableItem, Program } from '@passport/coursera-connector';
import {
  createDeepLinkingResponse,
  type KeyRing,
  LtiError,
  type LtiLaunch,
  type LtiResourceLinkItem,
} from '@passport/lti13';
import { bindingIdOf, customKeys } from '../../gradesync/deep-link-keys.ts';
import type { GradeSyncService } from '../../gradesync/gradesync-service.ts';
import type { Handler } from '../../http/handler.ts';
import type { LearningService } from '../../learning/learning-service.ts';
import type { Logger } from '../../logger.ts';
import { createDeepLinkSessionStore, type DeepLinkSession } from './deep-link-sessions.ts';
import {
  coursesPage,
  itemsPage,
  modeLabels,
  type PickerContext,
  pickerProblem,
  programsPage,
} from './picker-page.ts';

/*
 * LTI Deep Linking 2.0, the tool side, for Coursera content: a deep linking request lands on the picker (the
 * district's Coursera programs → a course → its gradable items and how grades come back), and the pick is answered
 * with a signed `LtiDeepLinkingResponse` of `ltiResourceLink` items, auto-posted to the LMS. Gradable picks carry a
 * `lineItem` whose `resourceId` and `tag` are the ones grade sync looks for, and the course is bound for grade sync.
 */

export interface DeepLinkPickerOptions {
  database: { readonly sql: import('@passport/core').SqlClient };
  learning: LearningService;
  gradeSync: GradeSyncService;
  logger: Logger;
  /** The tool's key ring (it signs the response) and launch URL (the items' `url`), once the tool is built. */
  tool: () => { keyRing: KeyRing; launchUrl: string };
  clock?: Clock;
  generateId?: GenerateId;
}

export interface DeepLinkPicker {
  /** Answers an accepted deep linking request (the launch's `onLaunch`): the picker's first page. */
  start(launch: LtiLaunch, where: { lmsId: string; tenantId: string | undefined }): Promise<Response>;
  /** GET `/lti/deep-link`: the picker's pages, by `session`, `program` and `course`. */
  readonly page: Handler;
  /** POST `/lti/deep-link`: the pick, answered with the signed response auto-posted to the LMS. */
  readonly pick: Handler;
  purgeExpired(): Promise<number>;
}

export const deepLinkPath = '/lti/deep-link';

/** A gradable item's score maximum when the platform grades it in points; otherwise out of 100. */
const scoreMaximumOf = (item: GradableItem) => item.maximumPoints ?? 100;

export function createDeepLinkPicker(options: DeepLinkPickerOptions): DeepLinkPicker {
  const clock = options.clock ?? systemClock;
  const generateId = options.generateId ?? randomId;
  const sessions = createDeepLinkSessionStore(options.database.sql, clock);
  const { learning, gradeSync, logger } = options;

  const expired = () =>
    pickerProblem(
      400,
      'This content picker has expired',
      'The picker was already used or is more than an hour old. Close it and open it again from your course.',
    );

  /** The catalog reads of one session's district, answering a page when something is missing. */
  const catalog = (session: DeepLinkSession) => ({
    async program(programId: string): Promise<Program | Response> {
      const program = (await learning.programs(session.tenantId)).find(
        (candidate) => candidate.id === programId,
      );
      return (
        program ??
        pickerProblem(404, 'Program not found', `Your district has no Coursera program ${programId}.`)
      );
    },
    async course(program: Program, courseId: string): Promise<Course | Response> {
      const course = (await learning.courses(session.tenantId, program.id)).find(
        (candidate) => candidate.id === courseId,
      );
      return (
        course ?? pickerProblem(404, 'Course not found', `Program ${program.name} has no course ${courseId}.`)
      );
    },
  });

  const contextOf = async (session: DeepLinkSession): Promise<PickerContext> => ({
    session: session.id,
    courseTitle: session.contextTitle,
    lmsMode: await gradeSync.modeOf(session.lmsId),
  });

  /** Coursera could not be read: say so, with the connector's own description (its codes are safe to show). */
  const unavailable = (error: unknown): Response => {
    logger.warn('content picker could not read Coursera', { error });
    const message =
      error instanceof Error && 'description' in error && typeof error.description === 'string'
        ? error.description
        : 'Coursera could not be reached. Try again in a moment.';
    const code = error instanceof Error && 'code' in error ? ` (${String(error.code)})` : '';
    return pickerProblem(502, 'Coursera is not available', `${message}${code}`);
  };

  const guarded =
    <Args extends unknown[]>(handler: (...args: Args) => Promise<Response>) =>
    async (...args: Args): Promise<Response> => {
      try {
        return await handler(...args);
      } catch (error) {
        if (error instanceof Error && 'code' in error && String(error.code).startsWith('CONNECTOR_'))
          return unavailable(error);
        throw error;
      }
    };

  const page: Handler = guarded(async (request: Request) => {
    const query = new URL(request.url).searchParams;
    const session = await sessions.get(query.get('session') ?? '');
    if (session === undefined) return expired();
    const context = await contextOf(session);
    const programId = query.get('program');
    if (programId === null) return programsPage(context, await learning.programs(session.tenantId));
    const program = await catalog(session).program(programId);
    if (program instanceof Response) return program;
    const courseId = query.get('course');
    if (courseId === null)
      return coursesPage(context, program, await learning.courses(session.tenantId, program.id));
    const course = await catalog(session).course(program, courseId);
    if (course instanceof Response) return course;
    return itemsPage(context, program, course, await learning.items(session.tenantId, course.id));
  });

  const pick: Handler = guarded(async (request: Request) => {
    const form = new URLSearchParams(await request.text());
    const session = await sessions.get(form.get('session') ?? '');
    if (session === undefined) return expired();
    const program = await catalog(session).program(form.get('program') ?? '');
    if (program instanceof Response) return program;
    const course = await catalog(session).course(program, form.get('course') ?? '');
    if (course instanceof Response) return course;
    const items = await learning.items(session.tenantId, course.id);
    const context = await contextOf(session);
    const again = (problem: string) => {
      const response = itemsPage(context, program, course, items, problem);
      return new Response(response.body, { status: 422, headers: response.headers });
    };
    const choice = form.get('choice') as SyncMode | null;
    if (choice === null || !Object.hasOwn(modeLabels, choice)) return again('Choose what to add.');
    const settings = session.settings;
    const chosen = form.getAll('item');
    const picked = items.filter((item) => chosen.includes(item.id));
    if (choice === 'granular-linked') {
      if (picked.length === 0 || picked.length !== new Set(chosen).size)
        return again('Option A links gradable items: tick at least one item of this course.');
      if (settings.accept_multiple === false && picked.length > 1)
        return again('Your LMS takes one activity at a time here: tick one item.');
      if (settings.accept_lineitem === false)
        return again(
          'Your LMS does not let tools create grade columns when linking: choose option B or the final grade.',
        );
    }

    const bindingId = bindingIdOf({
      lmsId: session.lmsId,
      contextId: session.contextId,
      programId: program.id,
      courseId: course.id,
    });
    const { keyRing, launchUrl } = options.tool();
    const custom = {
      [customKeys.binding]: bindingId,
      passport_program: program.id,
      passport_course: course.id,
    };
    const withLineItem = settings.accept_lineitem !== false;
    const contentItems: LtiResourceLinkItem[] =
      choice === 'granular-linked'
        ? picked.map((item) => ({
            type: 'ltiResourceLink',
            title: item.title,
            text: `${course.title}: ${item.title}`,
            url: launchUrl,
            custom: { ...custom, [customKeys.item]: item.id },
            lineItem: {
              label: item.title,
              scoreMaximum: scoreMaximumOf(item),
              ...gradeSync.lineItemKeys.item(course.id, item.id),
            },
          }))
        : [
            {
              type: 'ltiResourceLink',
              title: course.title,
              ...(course.description === undefined ? {} : { text: course.description }),
              url: launchUrl,
              custom,
              ...(choice === 'final-grade' && withLineItem
                ? {
                    lineItem: {
                      label: `${course.title} (final grade)`,
                      scoreMaximum: 100,
                      ...gradeSync.lineItemKeys.finalGrade(course.id),
                    },
                  }
                : {}),
            },
          ];
    // The response needs only what the request said: the platform, the deployment and the settings.
    const requested: Pick<
      LtiLaunch,
      'messageType' | 'issuer' | 'clientId' | 'deploymentId' | 'deepLinkingSettings'
    > = {
      messageType: 'LtiDeepLinkingRequest',
      issuer: session.issuer,
      clientId: session.clientId,
      deploymentId: session.deploymentId,
      deepLinkingSettings: settings,
    };
    let response: Awaited<ReturnType<typeof createDeepLinkingResponse>>;
    try {
      response = await createDeepLinkingResponse({
        launch: requested as LtiLaunch,
        items: contentItems,
        messages: {
          msg:
            choice === 'granular-linked'
              ? `Added ${picked.length} Coursera item${picked.length === 1 ? '' : 's'} from ${course.title}.`
              : `Added the Coursera course ${course.title}.`,
        },
        keyRing,
        clock,
        generateId,
        defaultResourceLinkUrl: launchUrl,
      });
    } catch (error) {
      if (LtiError.is(error)) return pickerProblem(400, 'Your LMS cannot take this content', error.message);
      throw error;
    }
    if (!(await sessions.take(session.id))) return expired();
    await gradeSync.bindDeepLink({
      lmsId: session.lmsId,
      tenantId: session.tenantId,
      contextId: session.contextId,
      programId: program.id,
      courseId: course.id,
      courseTitle: course.title,
      choice,
      items: picked.map((item) => ({ id: item.id, title: item.title })),
    });
    return response.response;
  });

  return {
    page,
    pick,
    purgeExpired: () => sessions.deleteExpired(),
    start: guarded(async (launch: LtiLaunch, where: { lmsId: string; tenantId: string | undefined }) => {
      if (where.tenantId === undefined)
        return pickerProblem(
          409,
          'This LMS is not connected to a district yet',
          'Ask your district administrator to connect this LMS in Passport, then open the picker again.',
        );
      if (!(await learning.hasConnection(where.tenantId)))
        return pickerProblem(
          409,
          'Your district has not connected Coursera yet',
          'Ask your district administrator to connect Coursera program access in Passport.',
        );
      if (launch.context === undefined || launch.deepLinkingSettings === undefined)
        return pickerProblem(
          400,
          'Open the picker from a course',
          'Add Coursera content from inside a course.',
        );
      // Each new picker clears the expired ones (an index scan): no separate purge job is needed.
      await sessions.deleteExpired();
      const session = await sessions.create({
        id: generateId(),
        lmsId: where.lmsId,
        tenantId: where.tenantId,
        issuer: launch.issuer,
        clientId: launch.clientId,
        deploymentId: launch.deploymentId,
        contextId: launch.context.id,
        contextTitle: launch.context.title ?? launch.context.label ?? launch.context.id,
        userId: launch.user.id,
        settings: launch.deepLinkingSettings,
      });
      return programsPage(await contextOf(session), await learning.programs(where.tenantId));
    }),
  };
}
