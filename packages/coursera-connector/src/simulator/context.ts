import type { ActiveFault, FaultPlan } from './faults.ts';
import type { SimulatorState } from './state.ts';

/** A learner's browser session on the simulated learner side, after an SSO hand-off. */
export interface SimulatorSession {
  id: string;
  organizationId: string;
  programId: string;
  contentId: string | undefined;
  itemId: string | undefined;
  externalId: string;
  email: string;
  fullName: string;
  returnUrl: string;
  state: string;
  accountId: string | undefined;
  accountLink: 'existing' | 'created' | 'previously-linked' | undefined;
  outcome: 'joined' | 'already-member' | 'program-full' | undefined;
}

export interface RequestLogEntry {
  at: number;
  method: string;
  path: string;
  status: number;
  fault: ActiveFault['kind'] | undefined;
}

export interface SimulatorContext {
  state: SimulatorState;
  faults: FaultPlan;
  sessions: Map<string, SimulatorSession>;
  log: RequestLogEntry[];
  /** A timer the simulator can cancel on stop; rejects when the client goes away. */
  wait(ms: number, signal: AbortSignal): Promise<void>;
  /** An unguessable token (codes, access and refresh tokens, session ids). */
  secret(): string;
  adminToken: string | undefined;
  /** Where result changes are pushed (modelled webhooks), when registered. */
  webhook: { url: string; secret: string } | undefined;
  webhookDeliveries: {
    eventId: string;
    type: string;
    status: number | undefined;
    error: string | undefined;
  }[];
  /** Waits for the webhook deliveries in flight. */
  settleWebhooks(): Promise<void>;
}

export interface RouteInput {
  request: Request;
  url: URL;
  params: Record<string, string>;
  fault: ActiveFault | undefined;
  context: SimulatorContext;
}

export interface Route {
  method: string;
  path: string;
  handle(input: RouteInput): Response | Promise<Response>;
}

export interface CompiledRoute extends Route {
  pattern: RegExp;
  names: string[];
}

export function compileRoutes(routes: Route[]): CompiledRoute[] {
  return routes.map((route) => {
    const names: string[] = [];
    const source = route.path
      .split('/')
      .map((segment) => {
        if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        names.push(segment.slice(1));
        return '([^/]+)';
      })
      .join('/');
    return { ...route, pattern: new RegExp(`^${source}$`), names };
  });
}

export function matchRoute(
  routes: CompiledRoute[],
  method: string,
  path: string,
): { route: CompiledRoute; params: Record<string, string> } | { allowed: string[] } | undefined {
  const allowed: string[] = [];
  for (const route of routes) {
    const match = route.pattern.exec(path);
    if (match === null) continue;
    if (route.method !== method && !(method === 'HEAD' && route.method === 'GET')) {
      allowed.push(route.method);
      continue;
    }
    const params: Record<string, string> = {};
    route.names.forEach((name, index) => {
      params[name] = decodeURIComponent(match[index + 1]!);
    });
    return { route, params };
  }
  return allowed.length > 0 ? { allowed } : undefined;
}

/** Reads a form body (application/x-www-form-urlencoded). */
export async function readForm(request: Request): Promise<URLSearchParams> {
  return new URLSearchParams(await request.text());
}

export function cookie(request: Request, name: string): string | undefined {
  const header = request.headers.get('cookie') ?? '';
  for (const part of header.split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return undefined;
}
