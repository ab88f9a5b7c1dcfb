/**
 * The OneRoster 1.1 REST API as one framework-agnostic handler: a Fetch `Request` in, a `Response` out. Mount it
 * under its base path (`/ims/oneroster/v1p1`) in any host.
 *
 * A request goes through, in order:
 *   1. the route (404 unknownobject for a path that is no endpoint, 405 for a method it does not take);
 *   2. authentication (`auth`: OAuth 2.0 bearer tokens and/or OAuth 1.0a signatures; 401 unauthorisedrequest);
 *   3. the scope the endpoint needs (403 forbidden);
 *   4. the query: filter, sort, fields, paging (400 invalid_filter_field; sort and fields problems are warnings);
 *   5. the parents the path names (404 unknownobject);
 *   6. the store, always with the credential's tenant.
 */
import { PassportError } from '@passport/core';
import { z } from 'zod';
import { AuthError } from '../auth/auth-error.ts';
import type { Authenticator, Principal } from '../auth/principal.ts';
import { grants, type Permission, scopesGranting } from '../auth/scopes.ts';
import { matchesFilter } from '../filter/evaluate.ts';
import { queryFieldOf } from '../filter/fields.ts';
import { parseCollectionQuery, parseFields, type QueryWarning } from '../filter/parse-query.ts';
import { filterReads, type ResolvedFilter, type ResolvedPredicate } from '../filter/resolve-filter.ts';
import type { FileName } from '../model/files.ts';
import type { RosterStore, StoredEntity } from '../store/roster-store.ts';
import { OneRosterApiError } from './api-error.ts';
import { entityOutput } from './json-output.ts';
import { formatLinkHeader, pageLinks } from './links.ts';
import { type CollectionRoute, matchRoutes, type Route, routeMethod } from './routes.ts';
import { errorStatus, type StatusInfo, warningStatus } from './status-info.ts';
import { type ViewName, type ViewSpec, views } from './views.ts';
import { readWriteBody, writableReferences } from './write-body.ts';

export interface OneRosterHandlerOptions {
  store: RosterStore;
  auth: Authenticator;
  /** The API's public base URL, ending with the base path: `https://sis.example/ims/oneroster/v1p1`. GUIDRef hrefs
   * and Link headers are built from it; requests are matched on its path. */
  baseUrl: string;
  /** The largest `limit` honored (a larger one is lowered). Default 1000. */
  maxLimit?: number;
  /** `limit` when none is given. Default 100. */
  defaultLimit?: number;
  /** The clock stamping gradebook writes. Default `() => new Date()`. */
  now?: () => Date;
  /** Told of every unexpected failure (answered as a 500 without details). */
  onError?: (error: unknown, request: Request) => void;
}

export type OneRosterHandler = (request: Request) => Promise<Response>;

const optionsSchema = z.object({
  store: z.custom<RosterStore>(
    (value) =>
      typeof value === 'object' && value !== null && typeof (value as RosterStore).list === 'function',
    'must be a RosterStore',
  ),
  auth: z.custom<Authenticator>(
    (value) =>
      typeof value === 'object' &&
      value !== null &&
      typeof (value as Authenticator).authenticate === 'function',
    'must be an Authenticator',
  ),
  baseUrl: z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' }),
  maxLimit: z.number().int().min(1).optional(),
  defaultLimit: z.number().int().min(1).optional(),
  now: z.custom<() => Date>((value) => typeof value === 'function', 'must be a function').optional(),
  onError: z
    .custom<(error: unknown, request: Request) => void>(
      (value) => typeof value === 'function',
      'must be a function',
    )
    .optional(),
});

const deltaFields: ReadonlySet<string> = new Set(['status', 'dateLastModified']);

const jsonHeaders = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

/**
 * A JSON response. The body goes as UTF-8 bytes encoded by Buffer: given the text, the Response would check it for
 * lone surrogates and encode it with a TextEncoder, several times slower on a page of names with accents (a string
 * of two-byte characters), and a sizable share of a page's CPU. `JSON.stringify` escapes lone surrogates, so the
 * bytes are the same.
 */
function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(Buffer.from(JSON.stringify(body), 'utf8'), {
    status,
    headers: { ...jsonHeaders, ...headers },
  });
}

function statusResponse(status: number, info: StatusInfo, headers: Record<string, string> = {}): Response {
  return json(status, info, headers);
}

function equalsPredicate(file: FileName, path: string, value: string): ResolvedPredicate {
  const field = queryFieldOf(file, path);
  if (field === undefined) throw new Error(`handler: ${file} has no field ${path}`);
  return { type: 'predicate', field, operator: '=', text: value, comparable: value };
}

function viewWhere(view: ViewName): ResolvedPredicate | undefined {
  const spec: ViewSpec = views[view];
  return spec.where === undefined ? undefined : equalsPredicate(spec.file, spec.where.path, spec.where.value);
}

function withWarnings(
  body: Record<string, unknown>,
  warnings: readonly QueryWarning[],
): Record<string, unknown> {
  if (warnings.length === 0) return body;
  return {
    ...body,
    statusInfoSet: warnings.map((warning) => warningStatus(warning.codeMinor, warning.description)),
  };
}

/** Creates the OneRoster 1.1 API handler. Throws `ONEROSTER_API_INVALID_OPTIONS` naming a bad option. */
export function createOneRosterHandler(options: OneRosterHandlerOptions): OneRosterHandler {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new OneRosterApiError(
      'ONEROSTER_API_INVALID_OPTIONS',
      `Invalid option ${issue?.path.join('.') || '(options)'}: ${issue?.message ?? 'invalid'}.`,
    );
  }
  const { store, auth } = options;
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const basePath = new URL(baseUrl).pathname.replace(/\/+$/, '');
  const maxLimit = options.maxLimit ?? 1000;
  const limits = { maxLimit, defaultLimit: Math.min(options.defaultLimit ?? 100, maxLimit) };
  const now = options.now ?? (() => new Date());

  function require(principal: Principal, permission: Permission): void {
    if (grants(principal.scopes, permission)) return;
    throw new AuthError(
      'ONEROSTER_AUTH_SCOPE_INSUFFICIENT',
      `This request needs one of the scopes ${scopesGranting(permission).join(', ')}.`,
    );
  }

  async function findIn(
    tenantId: string,
    view: ViewName,
    sourcedId: string,
  ): Promise<StoredEntity | undefined> {
    const entity = await store.get(tenantId, views[view].file, sourcedId);
    if (entity === undefined) return undefined;
    const where = viewWhere(view);
    return where === undefined || matchesFilter(entity, where) ? entity : undefined;
  }

  function unknownObject(view: ViewName, sourcedId: string): OneRosterApiError {
    return new OneRosterApiError(
      'ONEROSTER_API_UNKNOWN_OBJECT',
      `No ${views[view].singular === 'demographics' ? 'demographics' : view.replace(/s$/, '')} has the sourcedId ${JSON.stringify(sourcedId)}.`,
    );
  }

  async function checkParents(
    tenantId: string,
    route: CollectionRoute,
    params: Record<string, string>,
  ): Promise<void> {
    for (const parent of route.parents ?? []) {
      const sourcedId = params[parent.param] ?? '';
      const entity = await findIn(tenantId, parent.view, sourcedId);
      const belongs =
        parent.belongsTo === undefined ||
        (entity?.[parent.belongsTo.field] as { sourcedId?: unknown } | undefined)?.sourcedId ===
          params[parent.belongsTo.param];
      if (entity === undefined || !belongs) throw unknownObject(parent.view, sourcedId);
    }
  }

  async function readCollection(
    url: URL,
    principal: Principal,
    route: CollectionRoute,
    params: Record<string, string>,
  ): Promise<Response> {
    const view = views[route.view];
    const { query, warnings } = parseCollectionQuery(view.file, url.searchParams, limits);
    await checkParents(principal.tenantId, route, params);
    const restrictions: ResolvedFilter[] = [];
    const own = viewWhere(route.view);
    if (own !== undefined) restrictions.push(own);
    for (const [path, param] of Object.entries(route.equal ?? {})) {
      restrictions.push(equalsPredicate(view.file, path, params[param] ?? ''));
    }
    const result = await store.list(principal.tenantId, {
      file: view.file,
      ...(restrictions.length === 0 ? {} : { where: { type: 'and', operands: restrictions } }),
      ...(route.membership === undefined ? {} : { membership: route.membership(params) }),
      ...(query.filter === undefined ? {} : { filter: query.filter }),
      ...(query.sort === undefined ? {} : { sort: query.sort }),
      limit: query.limit,
      offset: query.offset,
      includeDeleted: query.filter !== undefined && filterReads(query.filter, deltaFields),
    });
    const body = withWarnings(
      { [view.plural]: result.entities.map((entity) => entityOutput(entity, baseUrl, query.fields)) },
      warnings,
    );
    const publicUrl = new URL(`${baseUrl}${url.pathname.slice(basePath.length)}${url.search}`);
    return json(200, body, {
      'x-total-count': String(result.total),
      link: formatLinkHeader(pageLinks(publicUrl, query.limit, query.offset, result.total)),
    });
  }

  async function readSingle(
    url: URL,
    principal: Principal,
    view: ViewName,
    sourcedId: string,
  ): Promise<Response> {
    const warnings: QueryWarning[] = [];
    const fields = parseFields(views[view].file, url.searchParams, warnings);
    const entity = await findIn(principal.tenantId, view, sourcedId);
    if (entity === undefined) throw unknownObject(view, sourcedId);
    return json(
      200,
      withWarnings({ [views[view].singular]: entityOutput(entity, baseUrl, fields) }, warnings),
    );
  }

  async function write(
    request: Request,
    principal: Principal,
    route: Extract<Route, { kind: 'put' | 'delete' }>,
    sourcedId: string,
  ): Promise<Response> {
    const view = views[route.view];
    if (route.kind === 'delete') {
      const deleted = await store.markDeleted(principal.tenantId, route.view, sourcedId, now().toISOString());
      if (!deleted) throw unknownObject(route.view, sourcedId);
      return new Response(null, { status: 204 });
    }
    const body = await readWriteBody(request, route.view, sourcedId);
    for (const { field, file } of writableReferences[route.view]) {
      const referenced = (body[field] as { sourcedId: string }).sourcedId;
      const target = await store.get(principal.tenantId, file, referenced);
      if (target === undefined || target.status === 'tobedeleted') {
        throw new OneRosterApiError(
          'ONEROSTER_API_INVALID_DATA',
          `Invalid ${view.singular}: ${field} names ${JSON.stringify(referenced)}, which does not exist.`,
        );
      }
    }
    const entity = {
      ...body,
      sourcedId,
      status: 'active',
      dateLastModified: now().toISOString(),
    } as StoredEntity;
    const { created } = await store.put(principal.tenantId, route.view, entity);
    return json(created ? 201 : 200, { [view.singular]: entityOutput(entity, baseUrl) });
  }

  async function dispatch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const path = url.pathname.replace(/\/+$/, '');
    if (path !== basePath && !path.startsWith(`${basePath}/`)) {
      throw new OneRosterApiError(
        'ONEROSTER_API_NO_SUCH_ENDPOINT',
        `${url.pathname} is not under ${basePath}.`,
      );
    }
    let segments: string[];
    try {
      segments = path
        .slice(basePath.length)
        .split('/')
        .filter((segment) => segment !== '')
        .map(decodeURIComponent);
    } catch {
      throw new OneRosterApiError('ONEROSTER_API_NO_SUCH_ENDPOINT', `${url.pathname} is not a valid path.`);
    }
    const matches = matchRoutes(segments);
    if (matches.length === 0) {
      throw new OneRosterApiError(
        'ONEROSTER_API_NO_SUCH_ENDPOINT',
        `${url.pathname} is not a OneRoster 1.1 endpoint.`,
      );
    }
    const match = matches.find(({ route }) => routeMethod(route) === request.method);
    if (match === undefined) {
      const allowed = [...new Set(matches.map(({ route }) => routeMethod(route)))].join(', ');
      throw new OneRosterApiError(
        'ONEROSTER_API_METHOD_NOT_ALLOWED',
        `${request.method} is not allowed on ${url.pathname}; allowed: ${allowed}.`,
        { detail: { allow: allowed } },
      );
    }
    const principal = await auth.authenticate(request);
    const { route, params } = match;
    switch (route.kind) {
      case 'collection':
        require(principal, views[route.view].permission);
        return await readCollection(url, principal, route, params);
      case 'single':
        require(principal, views[route.view].permission);
        return await readSingle(url, principal, route.view, params.id ?? '');
      case 'put':
        require(principal, 'gradebook-write');
        return await write(request, principal, route, params.id ?? '');
      case 'delete':
        require(principal, 'gradebook-delete');
        return await write(request, principal, route, params.id ?? '');
    }
  }

  return async (request) => {
    try {
      return await dispatch(request);
    } catch (error) {
      return errorResponse(error, request, options.onError);
    }
  };
}

function errorResponse(
  error: unknown,
  request: Request,
  onError: OneRosterHandlerOptions['onError'],
): Response {
  if (PassportError.is(error) && error.status < 500) {
    const headers: Record<string, string> = {};
    let codeMinor = error.specError ?? 'invaliddata';
    if (error.status === 401) {
      codeMinor = 'unauthorisedrequest';
      headers['www-authenticate'] = 'Bearer realm="OneRoster", OAuth realm="OneRoster"';
    }
    if (error.status === 403) codeMinor = 'forbidden';
    if (error.status === 405)
      headers.allow = String((error.detail as { allow?: string } | undefined)?.allow ?? '');
    return statusResponse(error.status, errorStatus(codeMinor, error.description), headers);
  }
  onError?.(error, request);
  return statusResponse(
    500,
    errorStatus('internal_server_error', 'The server failed to answer this request.'),
  );
}
