import { z } from 'zod';
import type { Route, RouteInput } from '../context.ts';
import { faultSchema } from '../faults.ts';
import { json } from '../html.ts';
import {
  addContent,
  addItem,
  addMember,
  itemsOf,
  recordItemResult,
  removeMember,
  type SimulatorState,
  setCourseResult,
  usedSeats,
} from '../state.ts';
import { enrollmentReportView, programsOf } from './business-api.ts';
import { itemGradeView, itemView } from './not-public-api.ts';

/**
 * Admin endpoints for tests and the demo, under `/__admin`. Not part of Coursera's API. When the simulator has an
 * admin token, they require `Authorization: Bearer <token>`.
 */

function problem(status: number, message: string, issues?: unknown): Response {
  return json({ error: message, ...(issues === undefined ? {} : { issues }) }, status);
}

async function readBody<Schema extends z.ZodType>(
  input: RouteInput,
  schema: Schema,
): Promise<z.output<Schema> | Response> {
  let body: unknown;
  try {
    body = await input.request.json();
  } catch {
    return problem(400, 'The body must be JSON');
  }
  const parsed = schema.safeParse(body);
  return parsed.success ? parsed.data : problem(400, 'Invalid body', parsed.error.issues);
}

function admin(
  method: string,
  path: string,
  handle: (input: RouteInput) => Response | Promise<Response>,
): Route {
  return {
    method,
    path: `/__admin${path}`,
    handle(input) {
      const token = input.context.adminToken;
      if (token !== undefined && input.request.headers.get('authorization') !== `Bearer ${token}`) {
        return problem(401, 'The admin token is missing or wrong');
      }
      return handle(input);
    },
  };
}

/** Everything a test or a demo needs to know about the world: ids, seats, accounts, client credentials. */
export function describeWorld(state: SimulatorState) {
  return {
    seed: state.seed,
    now: state.now(),
    organizations: [...state.organizations.values()].map((organization) => ({
      ...organization,
      programs: programsOf(state, organization.id).map((program) => ({
        id: program.id,
        name: program.name,
        slug: program.slug,
        seats: program.seats,
        usedSeats: usedSeats(state, program.id),
        contents: program.contentIds.map((contentId) => {
          const content = state.contents.get(contentId)!;
          return {
            id: content.id,
            type: content.type,
            name: content.name,
            slug: content.slug,
            items: itemsOf(state, content.id).map(itemView),
          };
        }),
        members: [...state.memberships.values()]
          .filter((membership) => membership.programId === program.id)
          .map((membership) => ({
            externalId: membership.externalId,
            email: membership.email,
            joinedAt: membership.joinedAt,
          })),
      })),
    })),
    accounts: [...state.accounts.values()].map(({ id, email, fullName, password }) => ({
      id,
      email,
      fullName,
      password,
    })),
    oauthClients: [...state.oauthClients.values()],
  };
}

const world = admin('GET', '/world', (input) => json(describeWorld(input.context.state)));

const itemInput = z.object({
  name: z.string().min(1),
  moduleName: z.string().default('Added module'),
  itemType: z
    .enum([
      'QUIZ',
      'EXAM',
      'PROGRAMMING_ASSIGNMENT',
      'PEER_REVIEW',
      'LAB',
      'DISCUSSION_PROMPT',
      'STAFF_GRADED',
      'UNGRADED',
    ])
    .default('QUIZ'),
  isGraded: z.boolean().default(true),
  gradingWeight: z.number().min(0).max(100).default(0),
  passingThreshold: z.number().min(0).max(1).nullable().default(0.8),
  maxScore: z.number().positive().nullable().default(10),
});

const addCourse = admin('POST', '/programs/:programId/contents', async (input) => {
  const { state } = input.context;
  if (!state.programs.has(input.params.programId!)) return problem(404, 'No such program');
  const body = await readBody(
    input,
    z.object({
      name: z.string().min(1),
      contentType: z.enum(['Course', 'Specialization']).default('Course'),
      description: z.string().optional(),
      items: z.array(itemInput).optional(),
    }),
  );
  if (body instanceof Response) return body;
  const content = addContent(state, input.params.programId!, {
    name: body.name,
    type: body.contentType,
    ...(body.description === undefined ? {} : { description: body.description }),
    ...(body.items === undefined ? {} : { items: body.items }),
  });
  return json({ ...content, items: itemsOf(state, content.id).map(itemView) }, 201);
});

const addCourseItem = admin('POST', '/contents/:contentId/items', async (input) => {
  const { state } = input.context;
  if (!state.contents.has(input.params.contentId!)) return problem(404, 'No such content');
  const body = await readBody(input, itemInput);
  if (body instanceof Response) return body;
  return json(itemView(addItem(state, input.params.contentId!, body)), 201);
});

const setResult = admin('PUT', '/results', async (input) => {
  const { state } = input.context;
  const body = await readBody(
    input,
    z.object({
      programId: z.string(),
      externalId: z.string(),
      contentId: z.string().optional(),
      itemId: z.string().optional(),
      /** Points, for an item. */
      score: z.number().min(0).optional(),
      /** Percent, for a course. */
      overallProgress: z.number().min(0).max(100).optional(),
      grade: z.number().min(0).max(100).optional(),
      isCompleted: z.boolean().optional(),
      /** Epoch ms; default now. */
      at: z.number().optional(),
    }),
  );
  if (body instanceof Response) return body;
  const program = state.programs.get(body.programId);
  if (program === undefined) return problem(404, 'No such program');
  if (body.itemId !== undefined) {
    const item = state.items.get(body.itemId);
    if (item === undefined || !program.contentIds.includes(item.contentId))
      return problem(404, 'No such item in the program');
    const grade = recordItemResult(state, {
      programId: program.id,
      externalId: body.externalId,
      itemId: item.id,
      ...(body.score === undefined ? {} : { score: body.score }),
      ...(body.at === undefined ? {} : { at: body.at }),
    });
    return json(itemGradeView(grade));
  }
  if (body.contentId === undefined || !program.contentIds.includes(body.contentId)) {
    return problem(400, 'contentId (in the program) or itemId is required');
  }
  const enrollment = setCourseResult(state, {
    programId: program.id,
    externalId: body.externalId,
    contentId: body.contentId,
    ...(body.overallProgress === undefined ? {} : { overallProgress: body.overallProgress }),
    ...(body.grade === undefined ? {} : { grade: body.grade }),
    ...(body.isCompleted === undefined ? {} : { isCompleted: body.isCompleted }),
    ...(body.at === undefined ? {} : { at: body.at }),
  });
  return json(enrollmentReportView(enrollment, state));
});

const addLearner = admin('POST', '/programs/:programId/learners', async (input) => {
  const { state } = input.context;
  if (!state.programs.has(input.params.programId!)) return problem(404, 'No such program');
  const body = await readBody(
    input,
    z.object({ externalId: z.string().min(1), email: z.string().min(3), fullName: z.string().min(1) }),
  );
  if (body instanceof Response) return body;
  const outcome = addMember(state, input.params.programId!, { ...body, accountId: undefined });
  return json({ outcome }, outcome === 'program-full' ? 409 : 200);
});

const removeLearner = admin('DELETE', '/programs/:programId/learners/:externalId', (input) => {
  const removed = removeMember(input.context.state, input.params.programId!, input.params.externalId!);
  return json({ removed }, removed ? 200 : 404);
});

const setSeats = admin('PUT', '/programs/:programId/seats', async (input) => {
  const program = input.context.state.programs.get(input.params.programId!);
  if (program === undefined) return problem(404, 'No such program');
  const body = await readBody(input, z.object({ seats: z.number().int().min(0) }));
  if (body instanceof Response) return body;
  program.seats = body.seats;
  return json({ seats: program.seats, usedSeats: usedSeats(input.context.state, program.id) });
});

const addFaults = admin('POST', '/faults', async (input) => {
  const body = await readBody(input, z.object({ rules: z.array(faultSchema) }));
  if (body instanceof Response) return body;
  input.context.faults.add(body.rules);
  return json({ faults: input.context.faults.list() }, 201);
});

const listFaults = admin('GET', '/faults', (input) => json({ faults: input.context.faults.list() }));

const clearFaults = admin('DELETE', '/faults', (input) => {
  input.context.faults.clear();
  return new Response(null, { status: 204 });
});

const requests = admin('GET', '/requests', (input) => json({ requests: input.context.log }));

const clearRequests = admin('DELETE', '/requests', (input) => {
  input.context.log.length = 0;
  return new Response(null, { status: 204 });
});

const advanceClock = admin('POST', '/clock', async (input) => {
  const body = await readBody(input, z.object({ advanceMs: z.number().int().min(0) }));
  if (body instanceof Response) return body;
  input.context.state.advanceClock(body.advanceMs);
  return json({ now: input.context.state.now() });
});

const revokeConsent = admin('POST', '/consent/revoke', (input) => {
  let revoked = 0;
  for (const grants of [input.context.state.refreshTokens, input.context.state.accessTokens]) {
    for (const grant of grants.values()) {
      if (!grant.revoked) revoked++;
      grant.revoked = true;
    }
  }
  return json({ revoked });
});

const setWebhook = admin('PUT', '/webhook', async (input) => {
  const body = await readBody(input, z.object({ url: z.url(), secret: z.string().min(16) }));
  if (body instanceof Response) return body;
  input.context.webhook = body;
  return json({ url: body.url });
});

const removeWebhook = admin('DELETE', '/webhook', (input) => {
  input.context.webhook = undefined;
  return new Response(null, { status: 204 });
});

const webhookDeliveries = admin('GET', '/webhook/deliveries', async (input) => {
  await input.context.settleWebhooks();
  return json({ deliveries: input.context.webhookDeliveries });
});

export const adminRoutes: Route[] = [
  setWebhook,
  removeWebhook,
  webhookDeliveries,
  world,
  addCourse,
  addCourseItem,
  setResult,
  addLearner,
  removeLearner,
  setSeats,
  addFaults,
  listFaults,
  clearFaults,
  requests,
  clearRequests,
  advanceClock,
  revokeConsent,
];
