import { PassportError } from '@passport/core';
import { ServerError } from '../errors.ts';
import type { Handler } from './handler.ts';
import { errorResponse } from './json.ts';

export interface RouteContext {
  /** Values of the `:name` segments of the matched pattern, decoded. */
  params: Record<string, string>;
  url: URL;
}

export type RouteHandler = (request: Request, context: RouteContext) => Response | Promise<Response>;

export interface RouterOptions {
  /** Called with every error that is not a PassportError (those answer with their own status); log it here. */
  onUnexpectedError?: (error: unknown, request: Request) => void;
}

export interface Router {
  get(pattern: string, handler: RouteHandler): Router;
  post(pattern: string, handler: RouteHandler): Router;
  put(pattern: string, handler: RouteHandler): Router;
  delete(pattern: string, handler: RouteHandler): Router;
  on(method: string, pattern: string, handler: RouteHandler): Router;
  /** Hands every request under `prefix` (`/ims/oneroster/v1p1`) to another Fetch handler, with its URL unchanged. */
  mount(prefix: string, handler: Handler): Router;
  /** The router as a Fetch handler. */
  handle: Handler;
}

interface Route {
  method: string;
  segments: string[];
  handler: RouteHandler;
}

/**
 * A small router: exact segments and `:name` parameters, HEAD served by GET routes, 405 with `Allow` when the path
 * exists for other methods, 404 otherwise, and thrown errors turned into JSON error responses.
 */
export function createRouter(options: RouterOptions = {}): Router {
  const routes: Route[] = [];
  const mounts: { prefix: string; handler: Handler }[] = [];

  const router: Router = {
    get: (pattern, handler) => router.on('GET', pattern, handler),
    post: (pattern, handler) => router.on('POST', pattern, handler),
    put: (pattern, handler) => router.on('PUT', pattern, handler),
    delete: (pattern, handler) => router.on('DELETE', pattern, handler),
    on(method, pattern, handler) {
      if (!pattern.startsWith('/')) throw new TypeError(`Route pattern must start with "/": ${pattern}`);
      routes.push({ method: method.toUpperCase(), segments: splitPath(pattern), handler });
      return router;
    },
    mount(prefix, handler) {
      if (!prefix.startsWith('/') || prefix.endsWith('/')) {
        throw new TypeError(`Mount prefix must start and not end with "/": ${prefix}`);
      }
      mounts.push({ prefix, handler });
      return router;
    },
    async handle(request) {
      try {
        return await dispatch(request);
      } catch (error) {
        if (!PassportError.is(error)) options.onUnexpectedError?.(error, request);
        return errorResponse(error);
      }
    },
  };

  async function dispatch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const mounted = mounts.find(
      (mount) => url.pathname === mount.prefix || url.pathname.startsWith(`${mount.prefix}/`),
    );
    if (mounted !== undefined) return await mounted.handler(request);

    const segments = splitPath(url.pathname);
    const method = request.method.toUpperCase();
    const allowed = new Set<string>();
    for (const route of routes) {
      const params = matchSegments(route.segments, segments);
      if (params === undefined) continue;
      allowed.add(route.method);
      if (route.method === 'GET') allowed.add('HEAD');
      if (route.method === method) return await route.handler(request, { params, url });
      if (method === 'HEAD' && route.method === 'GET') {
        const response = await route.handler(request, { params, url });
        await response.body?.cancel();
        return new Response(null, {
          status: response.status,
          statusText: response.statusText,
          headers: response.headers,
        });
      }
    }
    if (allowed.size > 0) {
      const allow = [...allowed].sort().join(', ');
      const error = new ServerError(
        'SERVER_METHOD_NOT_ALLOWED',
        `${method} is not allowed on ${url.pathname}`,
        {
          status: 405,
          description: `${method} is not allowed on ${url.pathname}; allowed: ${allow}`,
        },
      );
      return errorResponse(error, { allow });
    }
    throw new ServerError('SERVER_ROUTE_NOT_FOUND', `No route for ${method} ${url.pathname}`, {
      status: 404,
    });
  }

  return router;
}

function splitPath(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

function matchSegments(pattern: string[], actual: string[]): Record<string, string> | undefined {
  if (pattern.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, expected] of pattern.entries()) {
    const segment = actual[index]!;
    if (expected.startsWith(':')) {
      try {
        params[expected.slice(1)] = decodeURIComponent(segment);
      } catch {
        return undefined; // malformed percent-encoding matches nothing
      }
    } else if (expected !== segment) {
      return undefined;
    }
  }
  return params;
}
