import { describe, expect, it, vi } from 'vitest';
import { ServerError } from '../errors.ts';
import { jsonResponse } from './json.ts';
import { createRouter } from './router.ts';

const call = (router: ReturnType<typeof createRouter>, method: string, path: string) =>
  router.handle(new Request(`http://test.local${path}`, { method }));

describe('createRouter', () => {
  it('matches exact segments and decodes :params', async () => {
    const router = createRouter().get('/tenants/:tenantId/classes/:classId', (_request, { params }) =>
      jsonResponse(params),
    );
    const response = await call(router, 'GET', '/tenants/lincoln/classes/math%20101');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ tenantId: 'lincoln', classId: 'math 101' });
    expect((await call(router, 'GET', '/tenants/lincoln/classes')).status).toBe(404);
    expect((await call(router, 'GET', '/tenants/lincoln/classes/a/b')).status).toBe(404);
  });

  it('answers an unknown path with 404 JSON SERVER_ROUTE_NOT_FOUND', async () => {
    const response = await call(createRouter(), 'GET', '/nowhere');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(await response.json()).toEqual({
      error: { code: 'SERVER_ROUTE_NOT_FOUND', message: 'No route for GET /nowhere' },
    });
  });

  it('answers a known path with another method with 405 SERVER_METHOD_NOT_ALLOWED and Allow', async () => {
    const router = createRouter()
      .get('/items', () => new Response('list'))
      .post('/items', () => new Response('created', { status: 201 }));
    const response = await call(router, 'DELETE', '/items');
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD, POST');
    expect(await response.json()).toMatchObject({ error: { code: 'SERVER_METHOD_NOT_ALLOWED' } });
    expect((await call(router, 'POST', '/items')).status).toBe(201);
  });

  it('serves HEAD from the GET route without a body', async () => {
    const router = createRouter().get(
      '/thing',
      () => new Response('body', { headers: { 'x-kind': 'thing' } }),
    );
    const response = await call(router, 'HEAD', '/thing');
    expect(response.status).toBe(200);
    expect(response.headers.get('x-kind')).toBe('thing');
    expect(response.body).toBeNull();
  });

  it('hands everything under a mount prefix to the mounted handler, URL unchanged', async () => {
    const mounted = vi.fn(async (request: Request) => new Response(new URL(request.url).pathname));
    const router = createRouter().mount('/ims/oneroster/v1p1', mounted);
    expect(await (await call(router, 'GET', '/ims/oneroster/v1p1/users?limit=5')).text()).toBe(
      '/ims/oneroster/v1p1/users',
    );
    expect(await (await call(router, 'PUT', '/ims/oneroster/v1p1')).text()).toBe('/ims/oneroster/v1p1');
    expect((await call(router, 'GET', '/ims/oneroster/v1p10')).status).toBe(404);
    expect(mounted).toHaveBeenCalledTimes(2);
  });

  it('turns a thrown PassportError into its status and code, and hides other errors behind a 500', async () => {
    const onUnexpectedError = vi.fn();
    const router = createRouter({ onUnexpectedError })
      .get('/known', () => {
        throw new ServerError('SERVER_TENANT_NOT_FOUND', 'internal detail', {
          status: 404,
          description: 'No tenant',
        });
      })
      .get('/bug', () => {
        throw new TypeError('secret internals');
      });
    const known = await call(router, 'GET', '/known');
    expect(known.status).toBe(404);
    expect(await known.json()).toEqual({ error: { code: 'SERVER_TENANT_NOT_FOUND', message: 'No tenant' } });
    expect(onUnexpectedError).not.toHaveBeenCalled();

    const bug = await call(router, 'GET', '/bug');
    expect(bug.status).toBe(500);
    const body = await bug.text();
    expect(JSON.parse(body)).toEqual({
      error: { code: 'SERVER_INTERNAL_ERROR', message: 'Internal server error' },
    });
    expect(body).not.toContain('secret');
    expect(onUnexpectedError).toHaveBeenCalledWith(expect.any(TypeError), expect.any(Request));
  });

  it('matches nothing for a malformed percent-encoding in a parameter', async () => {
    const router = createRouter().get('/users/:id', () => new Response('ok'));
    expect((await call(router, 'GET', '/users/%E0%A4%A')).status).toBe(404);
  });

  it('refuses patterns and prefixes that are not absolute paths', () => {
    expect(() => createRouter().get('users', () => new Response())).toThrow(TypeError);
    expect(() => createRouter().mount('/api/', async () => new Response())).toThrow(TypeError);
  });
});
