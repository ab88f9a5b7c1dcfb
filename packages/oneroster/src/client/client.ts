/**
 * A typed OneRoster 1.1 client that works against any conformant server, not only Passport's:
 * - OAuth 2.0 client credentials (token cached, renewed after a 401), OAuth 1.0a signatures, or a given token;
 * - at most `maxConcurrency` requests in flight (default 5, what SIS vendors ask for);
 * - retries with exponential backoff and full jitter on 429, 5xx and network errors, honoring `Retry-After`;
 * - async iterators that page through a collection and, when a page fails, retry that page rather than starting
 *   over (and, once retries run out, say where to resume: the error's `resumeOffset`);
 * - lenient reading of other servers' payloads (wrapper keys and status info casing), typed errors carrying the
 *   status info, and optional zod validation of every entity.
 *
 * `fetch` is injectable; the default is the platform's (undici in Node.js).
 */
import { z } from 'zod';
import { percentEncode } from '../auth/oauth1-signature.ts';
import {
  academicSessionSchema,
  categorySchema,
  classSchema,
  courseSchema,
  demographicsSchema,
  enrollmentSchema,
  lineItemSchema,
  orgSchema,
  resourceSchema,
  resultSchema,
  userSchema,
} from '../model/schemas.ts';
import { type ClientAuth, oauth1Authorization, readTokenResponse, tokenRequest } from './auth.ts';
import { OneRosterClientError } from './client-error.ts';
import { ConcurrencyLimit } from './concurrency.ts';
import type {
  CollectionEndpoint,
  CollectionQuery,
  ItemEndpoint,
  OneRosterEndpoints,
  Page,
  WritableEndpoint,
} from './endpoints.ts';
import { filterText } from './filter-builder.ts';
import { backoffMs, defaultRetry, isRetryableStatus, type RetryOptions, retryAfterMs } from './retry.ts';
import { parseStatusPayloads } from './status-payload.ts';

export type FetchFunction = (input: Request) => Promise<Response>;

export interface OneRosterClientOptions {
  /** The server's base URL, ending with the base path: `https://sis.example/ims/oneroster/v1p1`. */
  baseUrl: string;
  auth: ClientAuth;
  /** Default: the platform's `fetch` (undici in Node.js). */
  fetch?: FetchFunction;
  /** Requests in flight at most. Default 5. */
  maxConcurrency?: number;
  retry?: RetryOptions;
  /** Validate every entity with the model's zod schemas. Default false. */
  validate?: boolean;
  /** Waits between retries; injectable for tests. */
  sleep?: (milliseconds: number) => Promise<void>;
  /** In [0, 1), for jitter. Default Math.random. */
  random?: () => number;
  /** Epoch milliseconds. Default Date.now. */
  now?: () => number;
}

export interface RawResponse {
  status: number;
  headers: Headers;
  body: unknown;
  url: string;
}

export interface OneRosterClient extends OneRosterEndpoints {
  /** Any request under the base URL, with retries, concurrency cap and auth; errors become `OneRosterClientError`. */
  request(
    method: 'GET' | 'PUT' | 'DELETE',
    path: string,
    init?: { query?: Record<string, string>; body?: unknown },
  ): Promise<RawResponse>;
  /** A collection at any path (a vendor's extension), answered under `key`. */
  collection<Entity>(path: string, key: string): CollectionEndpoint<Entity>;
}

const optionsSchema = z.object({
  baseUrl: z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' }),
  auth: z.discriminatedUnion('type', [
    z.object({
      type: z.literal('oauth2'),
      tokenUrl: z.url({ error: 'must be an absolute URL' }),
      clientId: z.string().min(1),
      clientSecret: z.string().min(1),
      scopes: z.array(z.string()).optional(),
      clientAuthentication: z.enum(['basic', 'form']).optional(),
    }),
    z.object({
      type: z.literal('oauth1'),
      consumerKey: z.string().min(1),
      consumerSecret: z.string().min(1),
      signatureMethod: z.enum(['HMAC-SHA1', 'HMAC-SHA256']).optional(),
    }),
    z.object({ type: z.literal('bearer'), token: z.string().min(1) }),
  ]),
  maxConcurrency: z.number().int().min(1).optional(),
  retry: z
    .object({
      retries: z.number().int().min(0).optional(),
      baseDelayMs: z.number().min(0).optional(),
      maxDelayMs: z.number().min(0).optional(),
      maxRetryAfterMs: z.number().min(0).optional(),
    })
    .optional(),
});

const schemaOfKey: Record<string, z.ZodType> = {
  academicSessions: academicSessionSchema,
  academicSession: academicSessionSchema,
  classes: classSchema,
  class: classSchema,
  courses: courseSchema,
  course: courseSchema,
  demographics: demographicsSchema,
  enrollments: enrollmentSchema,
  enrollment: enrollmentSchema,
  orgs: orgSchema,
  org: orgSchema,
  users: userSchema,
  user: userSchema,
  categories: categorySchema,
  category: categorySchema,
  lineItems: lineItemSchema,
  lineItem: lineItemSchema,
  results: resultSchema,
  result: resultSchema,
  resources: resourceSchema,
  resource: resourceSchema,
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The wrapped value under `key`, found leniently: exactly, ignoring case, or the one property of the right shape. */
function unwrap(body: unknown, key: string, shape: 'array' | 'object'): unknown {
  if (!isObject(body)) return undefined;
  if (key in body) return body[key];
  const lower = key.toLowerCase();
  const entries = Object.entries(body).filter(([name]) => !/statusinfo/i.test(name));
  const byCase = entries.find(([name]) => name.toLowerCase() === lower);
  if (byCase !== undefined) return byCase[1];
  const shaped = entries.filter(([, value]) => (shape === 'array' ? Array.isArray(value) : isObject(value)));
  return shaped.length === 1 ? shaped[0]?.[1] : undefined;
}

function segment(id: string): string {
  return encodeURIComponent(id);
}

export function createOneRosterClient(options: OneRosterClientOptions): OneRosterClient {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new OneRosterClientError(
      'ONEROSTER_CLIENT_INVALID_OPTIONS',
      `Invalid option ${issue?.path.join('.') || '(options)'}: ${issue?.message ?? 'invalid'}.`,
    );
  }
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const fetchFunction: FetchFunction = options.fetch ?? ((request) => fetch(request));
  const limit = new ConcurrencyLimit(options.maxConcurrency ?? 5);
  const retry = { ...defaultRetry, ...options.retry };
  const sleep =
    options.sleep ?? ((milliseconds) => new Promise<void>((resolve) => setTimeout(resolve, milliseconds)));
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const { auth } = options;

  // OAuth 2.0: one token at a time, fetched once however many requests wait for it.
  let token: { accessToken: string; refreshAt: number } | undefined;
  let tokenPending: Promise<{ accessToken: string; refreshAt: number }> | undefined;

  async function fetchToken(): Promise<string> {
    if (auth.type !== 'oauth2') throw new Error('fetchToken: not OAuth 2.0');
    if (token !== undefined && token.refreshAt > now()) return token.accessToken;
    tokenPending ??= (async () => {
      try {
        const response = await attempt(() => tokenRequest(auth), true);
        token = await readTokenResponse(response, now());
        return token;
      } finally {
        tokenPending = undefined;
      }
    })();
    return (await tokenPending).accessToken;
  }

  async function authorization(method: string, url: string): Promise<string> {
    switch (auth.type) {
      case 'bearer':
        return `Bearer ${auth.token}`;
      case 'oauth2':
        return `Bearer ${await fetchToken()}`;
      case 'oauth1':
        return oauth1Authorization(auth, method, url, now());
    }
  }

  /**
   * Sends a request, retrying what can be retried. `build` makes a fresh Request each attempt (a body can only be
   * read once; an OAuth 1.0a signature must be fresh). Resolves with the final response, whatever its status.
   */
  async function attempt(
    build: () => Request | Promise<Request>,
    retryServerErrors: boolean,
  ): Promise<Response> {
    for (let attemptNumber = 0; ; attemptNumber++) {
      // Built outside the concurrency slot: building may fetch a token, which needs a slot of its own.
      const built = await build();
      let response: Response;
      try {
        response = await limit.run(async () => {
          const answered = await fetchFunction(built);
          // Read the body inside the slot, so "in flight" covers the whole exchange.
          const body = await answered.arrayBuffer();
          return new Response(answered.status === 204 ? null : body, {
            status: answered.status,
            statusText: answered.statusText,
            headers: answered.headers,
          });
        });
      } catch (error) {
        if (error instanceof OneRosterClientError) throw error;
        if (attemptNumber >= retry.retries) {
          throw new OneRosterClientError(
            'ONEROSTER_CLIENT_NETWORK',
            `The server could not be reached after ${attemptNumber + 1} attempts: ${error instanceof Error ? error.message : String(error)}`,
            { cause: error },
          );
        }
        await sleep(backoffMs(attemptNumber, retry, random));
        continue;
      }
      const retryable = response.status === 429 || (retryServerErrors && isRetryableStatus(response.status));
      if (!retryable || attemptNumber >= retry.retries) return response;
      await sleep(
        backoffMs(attemptNumber, retry, random, retryAfterMs(response.headers.get('retry-after'), now())),
      );
    }
  }

  function buildUrl(path: string, query: Record<string, string> = {}): string {
    const search = Object.entries(query)
      .map(([name, value]) => `${percentEncode(name)}=${percentEncode(value)}`)
      .join('&');
    return `${baseUrl}${path.startsWith('/') ? '' : '/'}${path}${search === '' ? '' : `?${search}`}`;
  }

  async function request(
    method: 'GET' | 'PUT' | 'DELETE',
    path: string,
    init: { query?: Record<string, string>; body?: unknown } = {},
  ): Promise<RawResponse> {
    const url = buildUrl(path, init.query);
    let renewed = false;
    for (;;) {
      const response = await attempt(async () => {
        const headers: Record<string, string> = {
          accept: 'application/json',
          authorization: await authorization(method, url),
        };
        if (init.body !== undefined) headers['content-type'] = 'application/json';
        return new Request(url, {
          method,
          headers,
          ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
        });
      }, true);
      // A token can expire or be revoked between our clock and theirs: renew it once.
      if (response.status === 401 && auth.type === 'oauth2' && !renewed) {
        renewed = true;
        token = undefined;
        continue;
      }
      const text = await response.text();
      let body: unknown;
      if (text !== '') {
        try {
          body = JSON.parse(text);
        } catch (error) {
          if (response.ok) {
            throw new OneRosterClientError(
              'ONEROSTER_CLIENT_INVALID_RESPONSE',
              `${method} ${url} answered text that is not JSON.`,
              {
                cause: error,
                status: response.status,
                url,
              },
            );
          }
        }
      }
      if (!response.ok) {
        const statusInfo = parseStatusPayloads(body);
        const description = statusInfo.find((info) => info.description !== undefined)?.description;
        const codeMinor = statusInfo.flatMap((info) => info.codeMinor)[0];
        throw new OneRosterClientError(
          'ONEROSTER_CLIENT_HTTP',
          `${method} ${url} failed with HTTP ${response.status}${codeMinor === undefined ? '' : ` (${codeMinor})`}` +
            `${description === undefined ? '' : `: ${description}`}`,
          {
            status: response.status,
            statusInfo,
            url,
            ...(codeMinor === undefined ? {} : { specError: codeMinor }),
            ...(description === undefined ? {} : { description }),
          },
        );
      }
      return { status: response.status, headers: response.headers, body, url };
    }
  }

  function check<Entity>(key: string, value: unknown, url: string): Entity {
    if (!options.validate) return value as Entity;
    const schema = schemaOfKey[key];
    if (schema === undefined) return value as Entity;
    const result = schema.safeParse(value);
    if (result.success) return result.data as Entity;
    const issue = result.error.issues[0];
    throw new OneRosterClientError(
      'ONEROSTER_CLIENT_INVALID_RESPONSE',
      `${url}: a ${key} entity is not valid: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim(),
      { url, detail: result.error.issues },
    );
  }

  function queryOf(query: CollectionQuery, offset: number): Record<string, string> {
    const params: Record<string, string> = { limit: String(query.limit ?? 100), offset: String(offset) };
    if (query.filter !== undefined) params.filter = filterText(query.filter);
    if (query.sort !== undefined) params.sort = query.sort;
    if (query.orderBy !== undefined) params.orderBy = query.orderBy;
    if (query.fields !== undefined) params.fields = query.fields.join(',');
    return params;
  }

  function collection<Entity>(path: string, key: string): CollectionEndpoint<Entity> {
    async function list(query: CollectionQuery = {}): Promise<Page<Entity>> {
      const offset = query.offset ?? 0;
      const response = await request('GET', path, { query: queryOf(query, offset) });
      const items = unwrap(response.body, key, 'array');
      if (!Array.isArray(items)) {
        throw new OneRosterClientError(
          'ONEROSTER_CLIENT_INVALID_RESPONSE',
          `${response.url} has no "${key}" array.`,
          {
            url: response.url,
          },
        );
      }
      const totalHeader = response.headers.get('x-total-count');
      const total =
        totalHeader !== null && /^\d+$/.test(totalHeader.trim()) ? Number(totalHeader) : undefined;
      const next = /<([^>]*)>\s*;\s*rel="?next"?/i.exec(response.headers.get('link') ?? '')?.[1];
      return {
        items: items.map((item) => check<Entity>(key, item, response.url)),
        total,
        offset,
        next,
        warnings: parseStatusPayloads(
          isObject(response.body) ? { statusInfoSet: response.body.statusInfoSet } : undefined,
        ),
      };
    }

    async function* iterate(query: CollectionQuery = {}): AsyncGenerator<Entity> {
      const pageSize = query.limit ?? 100;
      let offset = query.offset ?? 0;
      for (;;) {
        let page: Page<Entity>;
        try {
          page = await list({ ...query, limit: pageSize, offset });
        } catch (error) {
          if (error instanceof OneRosterClientError) {
            throw new OneRosterClientError(error.code, `${error.message} (resume from offset ${offset})`, {
              status: error.status,
              statusInfo: error.statusInfo,
              resumeOffset: offset,
              cause: error,
              ...(error.url === undefined ? {} : { url: error.url }),
              ...(error.specError === undefined ? {} : { specError: error.specError }),
            });
          }
          throw error;
        }
        yield* page.items;
        offset += page.items.length;
        if (page.items.length === 0) return;
        if (
          page.total !== undefined
            ? offset >= page.total
            : page.next === undefined && page.items.length < pageSize
        ) {
          return;
        }
      }
    }

    return {
      list,
      iterate: (query) => iterate(query),
      async all(query) {
        const entities: Entity[] = [];
        for await (const entity of iterate(query)) entities.push(entity);
        return entities;
      },
    };
  }

  function item<Entity>(path: string, key: string): ItemEndpoint<Entity> {
    return {
      async get(sourcedId, getOptions = {}) {
        const query: Record<string, string> = {};
        if (getOptions.fields !== undefined) query.fields = getOptions.fields.join(',');
        const response = await request('GET', `${path}/${segment(sourcedId)}`, { query });
        const entity = unwrap(response.body, key, 'object');
        if (!isObject(entity)) {
          throw new OneRosterClientError(
            'ONEROSTER_CLIENT_INVALID_RESPONSE',
            `${response.url} has no "${key}" object.`,
            {
              url: response.url,
            },
          );
        }
        return check<Entity>(key, entity, response.url);
      },
    };
  }

  function both<Entity>(path: string, plural: string, singular: string) {
    return { ...collection<Entity>(path, plural), ...item<Entity>(path, singular) };
  }

  function writable<Entity>(path: string, plural: string, singular: string): WritableEndpoint<Entity> {
    return {
      ...both<Entity>(path, plural, singular),
      async put(sourcedId, entity) {
        const response = await request('PUT', `${path}/${segment(sourcedId)}`, {
          body: { [singular]: entity },
        });
        const stored = unwrap(response.body, singular, 'object');
        return {
          entity: check<Entity>(singular, isObject(stored) ? stored : { ...entity, sourcedId }, response.url),
          created: response.status === 201,
        };
      },
      async delete(sourcedId) {
        await request('DELETE', `${path}/${segment(sourcedId)}`);
      },
    };
  }

  const under = (...parts: string[]) => `/${parts.map(segment).join('/')}`;
  const nested = <Entity>(key: string, ...parts: string[]) => collection<Entity>(under(...parts), key);

  return {
    request,
    collection,
    academicSessions: both('/academicSessions', 'academicSessions', 'academicSession'),
    classes: {
      ...both('/classes', 'classes', 'class'),
      students: (id) => nested('users', 'classes', id, 'students'),
      teachers: (id) => nested('users', 'classes', id, 'teachers'),
      lineItems: (id) => nested('lineItems', 'classes', id, 'lineItems'),
      results: (id) => nested('results', 'classes', id, 'results'),
      lineItemResults: (id, lineItemId) =>
        nested('results', 'classes', id, 'lineItems', lineItemId, 'results'),
      studentResults: (id, studentId) => nested('results', 'classes', id, 'students', studentId, 'results'),
      resources: (id) => nested('resources', 'classes', id, 'resources'),
    },
    courses: {
      ...both('/courses', 'courses', 'course'),
      classes: (id) => nested('classes', 'courses', id, 'classes'),
      resources: (id) => nested('resources', 'courses', id, 'resources'),
    },
    demographics: both('/demographics', 'demographics', 'demographics'),
    enrollments: both('/enrollments', 'enrollments', 'enrollment'),
    gradingPeriods: both('/gradingPeriods', 'academicSessions', 'academicSession'),
    orgs: both('/orgs', 'orgs', 'org'),
    schools: {
      ...both('/schools', 'orgs', 'org'),
      courses: (id) => nested('courses', 'schools', id, 'courses'),
      classes: (id) => nested('classes', 'schools', id, 'classes'),
      enrollments: (id) => nested('enrollments', 'schools', id, 'enrollments'),
      students: (id) => nested('users', 'schools', id, 'students'),
      teachers: (id) => nested('users', 'schools', id, 'teachers'),
      terms: (id) => nested('academicSessions', 'schools', id, 'terms'),
      classEnrollments: (id, classId) =>
        nested('enrollments', 'schools', id, 'classes', classId, 'enrollments'),
      classStudents: (id, classId) => nested('users', 'schools', id, 'classes', classId, 'students'),
      classTeachers: (id, classId) => nested('users', 'schools', id, 'classes', classId, 'teachers'),
    },
    students: {
      ...both('/students', 'users', 'user'),
      classes: (id) => nested('classes', 'students', id, 'classes'),
    },
    teachers: {
      ...both('/teachers', 'users', 'user'),
      classes: (id) => nested('classes', 'teachers', id, 'classes'),
    },
    terms: {
      ...both('/terms', 'academicSessions', 'academicSession'),
      classes: (id) => nested('classes', 'terms', id, 'classes'),
      gradingPeriods: (id) => nested('academicSessions', 'terms', id, 'gradingPeriods'),
    },
    users: { ...both('/users', 'users', 'user'), classes: (id) => nested('classes', 'users', id, 'classes') },
    categories: writable('/categories', 'categories', 'category'),
    lineItems: writable('/lineItems', 'lineItems', 'lineItem'),
    results: writable('/results', 'results', 'result'),
    resources: both('/resources', 'resources', 'resource'),
  };
}
