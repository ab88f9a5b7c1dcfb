import { describe, expect, it } from 'vitest';
import { createRouter } from '../http/router.ts';
import { createLogger } from '../logger.ts';
import { createLtiRoutes, registerLtiRoutes } from './lti-routes.ts';

const unusedDatabase = {
  sql: {
    query: async () => {
      throw new Error('no database in this test');
    },
  },
};
const logger = createLogger({ level: 'silent' });

describe('createLtiRoutes', () => {
  it('refuses a public URL that is not an absolute http(s) URL without query, when created', () => {
    for (const publicUrl of [
      '127.0.0.1:3000',
      'ftp://passport.example.org',
      'https://passport.example.org/?a=1',
    ]) {
      expect(() => createLtiRoutes({ database: unusedDatabase, logger, publicUrl }), publicUrl).toThrow(
        /LTI publicUrl must/,
      );
    }
  });

  it('mounts login (GET, POST), launch (POST), jwks (GET) and register (GET) on the router', async () => {
    const router = createRouter();
    const lti = registerLtiRoutes(router, {
      database: unusedDatabase,
      logger,
      publicUrl: 'http://127.0.0.1:3000',
    });
    expect(lti.routes.map((route) => `${route.method} ${route.path}`)).toEqual([
      'GET /lti/login',
      'POST /lti/login',
      'POST /lti/launch',
      'GET /lti/jwks',
      'GET /lti/register',
    ]);
    const wrongMethod = await router.handle(
      new Request('http://127.0.0.1:3000/lti/register', { method: 'POST' }),
    );
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET, HEAD');
  });

  it('answers a registration request without openid_configuration with LTI_REGISTRATION_REQUEST_INVALID, and logs the code', async () => {
    const lines: Record<string, unknown>[] = [];
    const lti = createLtiRoutes({
      database: unusedDatabase,
      logger: createLogger({ level: 'warn', write: (line) => lines.push(JSON.parse(line)) }),
      publicUrl: () => 'https://passport.example.org/district/',
    });
    const response = await lti.register(new Request('https://passport.example.org/district/lti/register'));
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('LTI_REGISTRATION_REQUEST_INVALID');
    expect(lines).toEqual([
      expect.objectContaining({
        msg: 'LTI request refused',
        route: 'register',
        status: 400,
        code: 'LTI_REGISTRATION_REQUEST_INVALID',
      }),
    ]);
  });
});
