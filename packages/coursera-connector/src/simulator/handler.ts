import { randomBytes } from 'node:crypto';
import { type Clock, systemClock } from '@passport/core';
import { compileRoutes, matchRoute, type SimulatorContext, type SimulatorSession } from './context.ts';
import { createFaultPlan } from './faults.ts';
import { apiError, json, page } from './html.ts';
import { adminRoutes } from './routes/admin.ts';
import { businessApiRoutes } from './routes/business-api.ts';
import { learnerRoutes } from './routes/learner-pages.ts';
import { notPublicApiRoutes } from './routes/not-public-api.ts';
import { oauthRoutes } from './routes/oauth.ts';
import { createSimulatorState, type SimOauthClient } from './state.ts';
import { startWebhookPushes } from './webhooks.ts';

export interface CourseraSimulatorOptions {
  /** Same seed, same world (default 1). */
  seed?: number;
  /** The simulator's time; admin `POST /__admin/clock` moves it forward. */
  clock?: Clock;
  /** Default: one client, `passport-simulator`, accepting any http(s) redirect URI. */
  oauthClients?: SimOauthClient[];
  /** When set, `/__admin` requires `Authorization: Bearer <adminToken>`. */
  adminToken?: string;
}

export interface CourseraSimulator {
  /** The whole simulator as a Fetch handler: mount it in any host. */
  handler: (request: Request) => Promise<Response>;
  context: SimulatorContext;
  /** Cancels held answers (latency and timeout faults) so a host can close at once. */
  stop(): void;
}

const routes = compileRoutes([
  ...oauthRoutes,
  ...businessApiRoutes,
  ...notPublicApiRoutes,
  ...learnerRoutes,
  ...adminRoutes,
]);

export function createCourseraSimulator(options: CourseraSimulatorOptions = {}): CourseraSimulator {
  const timers = new Set<{ timer: NodeJS.Timeout; reject: (reason: unknown) => void }>();
  const context: SimulatorContext = {
    state: createSimulatorState({
      seed: options.seed ?? 1,
      clock: options.clock ?? systemClock,
      ...(options.oauthClients === undefined ? {} : { oauthClients: options.oauthClients }),
    }),
    faults: createFaultPlan(),
    sessions: new Map<string, SimulatorSession>(),
    log: [],
    adminToken: options.adminToken,
    webhook: undefined,
    webhookDeliveries: [],
    settleWebhooks: async () => {},
    secret: () => randomBytes(24).toString('base64url'),
    wait: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal.aborted) return reject(signal.reason);
        const entry = {
          timer: setTimeout(() => {
            timers.delete(entry);
            resolve();
          }, ms),
          reject,
        };
        timers.add(entry);
        signal.addEventListener(
          'abort',
          () => {
            clearTimeout(entry.timer);
            timers.delete(entry);
            reject(signal.reason);
          },
          { once: true },
        );
      }),
  };

  context.settleWebhooks = startWebhookPushes(context);

  const handler = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const method = request.method.toUpperCase();
    const path = url.pathname;
    const isAdmin = path.startsWith('/__admin');
    const fault = isAdmin ? undefined : context.faults.take(method, path);
    const logged = (response: Response) => {
      if (!isAdmin)
        context.log.push({
          at: context.state.now(),
          method,
          path,
          status: response.status,
          fault: fault?.kind,
        });
      return response;
    };
    if (fault?.kind === 'latency' || fault?.kind === 'timeout') await context.wait(fault.ms, request.signal);
    if (fault?.kind === 'rate-limit') {
      const headers: Record<string, string> = {};
      if (!fault.omitRetryAfter) {
        headers['retry-after'] = fault.asHttpDate
          ? new Date(context.state.now() + fault.retryAfterSeconds * 1000).toUTCString()
          : String(fault.retryAfterSeconds);
      }
      return logged(apiError(429, 'TOO_MANY_REQUESTS', 'Rate limit exceeded', headers));
    }
    if (fault?.kind === 'server-error') {
      return logged(apiError(fault.status, 'INTERNAL_SERVER_ERROR', 'Something went wrong (injected fault)'));
    }
    if (fault?.kind === 'drop-connection') {
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"elements":['));
          controller.error(new Error('connection dropped (injected fault)'));
        },
      });
      return logged(new Response(body, { status: 200, headers: { 'content-type': 'application/json' } }));
    }
    const matched = matchRoute(routes, method, path);
    if (matched === undefined) {
      return logged(
        path.startsWith('/api/')
          ? apiError(404, 'NOT_FOUND', `No route ${method} ${path}`)
          : page('Page not found', { html: '<p>There is nothing here.</p>' }, { status: 404 }),
      );
    }
    if ('allowed' in matched) {
      return logged(json({ error: 'method not allowed' }, 405, { allow: matched.allowed.join(', ') }));
    }
    return logged(await matched.route.handle({ request, url, params: matched.params, fault, context }));
  };

  return {
    handler,
    context,
    stop() {
      for (const entry of timers) {
        clearTimeout(entry.timer);
        entry.reject(new Error('simulator stopped'));
      }
      timers.clear();
    },
  };
}
