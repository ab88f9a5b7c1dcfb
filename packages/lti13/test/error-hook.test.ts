import { fetch as undiciFetch } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryPlatformRegistry } from '../src/adapters/memory/memory-stores.ts';
import { LtiError } from '../src/errors.ts';
import type { LtiErrorEvent } from '../src/http/report-error.ts';
import { createDynamicRegistration } from '../src/registration/tool-registration.ts';
import { createLoopback, type Loopback } from './support/loopback.ts';
import { codeOf, createHarness, toolOrigin } from './support/tool-harness.ts';

interface Reported {
  readonly error: LtiError;
  readonly request: Request;
  readonly event: LtiErrorEvent;
  /** A snapshot taken when the hook ran, so later mutation by another hook does not hide what it saw. */
  readonly seen: { code: string; status: number; description: string; detail: unknown; cause: unknown };
}

/** A hook that records what it is called with, then does `behave` (throw, reject, mutate, return a response). */
function recordingHook(behave: (error: LtiError) => unknown = () => undefined) {
  const calls: Reported[] = [];
  const hook = (error: LtiError, request: Request, event: LtiErrorEvent) => {
    calls.push({
      error,
      request,
      event,
      seen: {
        code: error.code,
        status: error.status,
        description: error.description,
        detail: error.detail,
        cause: error.cause,
      },
    });
    return behave(error) as undefined;
  };
  return { calls, hook };
}

/** A launch whose signature does not verify: the id_token is signed, then its payload swapped. */
async function forgedLaunch(harness: Awaited<ReturnType<typeof createHarness>>, json = true) {
  const login = await harness.login();
  const genuine = harness.sign(harness.payload(login));
  const other = harness.sign(harness.payload(login, { sub: 'someone-else' }));
  const [header, , signature] = genuine.split('.');
  const forged = `${header}.${other.split('.')[1]}.${signature}`;
  return harness.launch({ idToken: forged, state: login.state, cookie: login.cookie, json });
}

describe('tool onError hook: launch', () => {
  it('is called with the typed LtiError and the request before the refusal is answered', async () => {
    const order: string[] = [];
    const { calls, hook } = recordingHook();
    const harness = await createHarness({
      onError: async (error, request, event) => {
        order.push('hook started');
        await new Promise((resolve) => setTimeout(resolve, 20));
        hook(error, request, event);
        order.push('hook finished');
      },
    });
    const response = await forgedLaunch(harness);
    order.push('response');
    expect(order).toEqual(['hook started', 'hook finished', 'response']);
    expect(response.status).toBe(401);
    expect(await codeOf(response)).toBe('LTI_SIGNATURE_INVALID');
    expect(calls).toHaveLength(1);
    const [call] = calls;
    expect(call?.error).toBeInstanceOf(LtiError);
    expect(call?.seen).toMatchObject({ code: 'LTI_SIGNATURE_INVALID', status: 401 });
    expect(call?.seen.description).toMatch(/signature does not verify/);
    expect(call?.event).toEqual({ endpoint: 'launch' });
    expect(call?.request.method).toBe('POST');
    expect(new URL(call?.request.url ?? '').pathname).toBe('/launch');
    expect(harness.launches).toHaveLength(0);
  });

  it('reports an HTML refusal the same way (the hook does not depend on the answer’s format)', async () => {
    const { calls, hook } = recordingHook();
    const harness = await createHarness({ onError: hook });
    const login = await harness.login();
    const response = await harness.launch({
      idToken: harness.sign(harness.payload(login, { nonce: 'never-issued' })),
      state: login.state,
      cookie: login.cookie,
      json: false,
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await response.text()).toContain('LTI_NONCE_UNKNOWN');
    expect(calls.map((call) => call.seen.code)).toEqual(['LTI_NONCE_UNKNOWN']);
  });

  it('is not called for an accepted launch', async () => {
    const { calls, hook } = recordingHook();
    const harness = await createHarness({ onError: hook });
    const login = await harness.login();
    const response = await harness.launch({
      idToken: harness.sign(harness.payload(login)),
      state: login.state,
      cookie: login.cookie,
    });
    expect(response.status).toBe(200);
    expect(calls).toHaveLength(0);
  });

  it('receives LTI_INTERNAL_ERROR with the host’s failure as cause, while the answer reveals nothing of it', async () => {
    const { calls, hook } = recordingHook();
    const failure = new Error('database password is hunter2');
    const harness = await createHarness({
      onError: hook,
      onLaunch: () => {
        throw failure;
      },
    });
    const login = await harness.login();
    const response = await harness.launch({
      idToken: harness.sign(harness.payload(login)),
      state: login.state,
      cookie: login.cookie,
    });
    expect(response.status).toBe(500);
    const body = await response.text();
    expect(body).toContain('LTI_INTERNAL_ERROR');
    expect(body).not.toContain('hunter2');
    expect(calls.map((call) => call.seen.code)).toEqual(['LTI_INTERNAL_ERROR']);
    expect(calls[0]?.seen.cause).toBe(failure);
  });
});

describe('tool onError hook: fails closed', () => {
  const behaviours: Array<[string, (error: LtiError) => unknown]> = [
    [
      'throws',
      () => {
        throw new Error('logger down');
      },
    ],
    ['rejects', async () => Promise.reject(new Error('logger down'))],
    ['returns a 200 response', () => new Response('welcome in', { status: 200 })],
    ['resolves to a 200 response', async () => Response.json({ launched: 'LtiResourceLinkRequest' })],
    [
      'mutates the error into a success',
      (error) => {
        Object.assign(error, { status: 200, code: 'LTI_OK', description: 'fine' });
      },
    ],
  ];
  for (const [name, behave] of behaviours) {
    it(`still refuses the launch with LTI_SIGNATURE_INVALID when the hook ${name}`, async () => {
      const { calls, hook } = recordingHook(behave);
      const harness = await createHarness({ onError: hook });
      const response = await forgedLaunch(harness);
      expect(calls).toHaveLength(1);
      expect(response.status).toBe(401);
      expect(await codeOf(response)).toBe('LTI_SIGNATURE_INVALID');
      expect(harness.launches).toHaveLength(0);
    });
  }

  it('still refuses a login with LTI_PLATFORM_UNKNOWN when the hook throws, and sets no state', async () => {
    const { calls, hook } = recordingHook(() => {
      throw new Error('logger down');
    });
    const harness = await createHarness({ onError: hook });
    const login = await harness.login({ iss: 'https://unknown.example' }, 'GET');
    expect(login.response.status).toBe(403);
    expect(login.response.headers.get('location')).toBeNull();
    expect(login.response.headers.getSetCookie()).toEqual([]);
    expect(await login.response.text()).toContain('LTI_PLATFORM_UNKNOWN');
    expect(calls.map((call) => call.seen.code)).toEqual(['LTI_PLATFORM_UNKNOWN']);
  });

  it('refuses a hook that is not a function at construction with LTI_OPTIONS_INVALID naming onError', async () => {
    await expect(createHarness({ onError: 'log' as never })).rejects.toMatchObject({
      code: 'LTI_OPTIONS_INVALID',
      message: expect.stringContaining('"onError"'),
    });
  });
});

describe('tool onError hook: login and registration', () => {
  it('reports a login refusal with the login endpoint and the GET request', async () => {
    const { calls, hook } = recordingHook();
    const harness = await createHarness({ onError: hook });
    const login = await harness.login({ target_link_uri: 'https://evil.example/' }, 'GET');
    expect(login.response.status).toBe(400);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.seen).toMatchObject({ code: 'LTI_TARGET_LINK_URI_INVALID', status: 400 });
    expect(calls[0]?.event).toEqual({ endpoint: 'login' });
    expect(calls[0]?.request.method).toBe('GET');
    expect(new URL(calls[0]?.request.url ?? '').searchParams.get('iss')).toBe(
      'https://ltiadvantagevalidator.imsglobal.org',
    );
  });

  it('reports a refused dynamic registration with the register endpoint', async () => {
    const { calls, hook } = recordingHook();
    const registration = createDynamicRegistration({
      registry: new MemoryPlatformRegistry(),
      clientName: 'Tool',
      loginUrl: `${toolOrigin}/login`,
      launchUrl: `${toolOrigin}/launch`,
      jwksUrl: `${toolOrigin}/jwks`,
      targetLinkUri: `${toolOrigin}/`,
      onError: hook,
    });
    const response = await registration.handler(
      new Request(`${toolOrigin}/register`, { headers: { accept: 'application/json' } }),
    );
    expect(response.status).toBe(400);
    expect(await codeOf(response)).toBe('LTI_REGISTRATION_REQUEST_INVALID');
    expect(calls.map((call) => [call.seen.code, call.event.endpoint])).toEqual([
      ['LTI_REGISTRATION_REQUEST_INVALID', 'register'],
    ]);
  });
});

describe('platform onError hook over loopback HTTP', () => {
  let loopback: Loopback | undefined;
  afterEach(async () => {
    await loopback?.close();
    loopback = undefined;
  });

  const post = (url: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
    undiciFetch(url, {
      method: 'POST',
      body: new URLSearchParams(fields),
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    }) as unknown as Promise<Response>;

  it('reports token endpoint refusals with their OAuth answer unchanged', async () => {
    const { calls, hook } = recordingHook();
    loopback = await createLoopback({ platform: { onError: hook } });
    const response = await post(loopback.platform.urls.token, { grant_type: 'password' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: 'unsupported_grant_type',
      code: 'LTI_GRANT_TYPE_UNSUPPORTED',
    });
    expect(calls.map((call) => [call.seen.code, call.seen.status, call.event.endpoint])).toEqual([
      ['LTI_GRANT_TYPE_UNSUPPORTED', 400, 'token'],
    ]);
    expect(calls[0]?.request.method).toBe('POST');
  });

  it('reports AGS and NRPS refusals (no token, unknown service) and keeps WWW-Authenticate', async () => {
    const { calls, hook } = recordingHook();
    loopback = await createLoopback({ platform: { onError: hook } });
    const lineItems = `${loopback.platformOrigin}/lti/contexts/course-1/lineitems`;
    const noToken = (await undiciFetch(lineItems)) as unknown as Response;
    expect(noToken.status).toBe(401);
    expect(noToken.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    expect((await noToken.json()) as object).toMatchObject({ code: 'LTI_ACCESS_TOKEN_INVALID' });
    const memberships = (await undiciFetch(`${loopback.platformOrigin}/lti/contexts/course-1/memberships`, {
      headers: { authorization: 'Bearer forged' },
    })) as unknown as Response;
    expect(memberships.status).toBe(401);
    const unknown = (await undiciFetch(
      `${loopback.platformOrigin}/lti/contexts/course-1/gradebook`,
    )) as unknown as Response;
    expect(unknown.status).toBe(404);
    expect(calls.map((call) => [call.seen.code, call.event.endpoint])).toEqual([
      ['LTI_ACCESS_TOKEN_INVALID', 'services'],
      ['LTI_ACCESS_TOKEN_INVALID', 'services'],
      ['LTI_RESOURCE_NOT_FOUND', 'services'],
    ]);
    expect(calls.map((call) => new URL(call.request.url).pathname)).toEqual([
      '/lti/contexts/course-1/lineitems',
      '/lti/contexts/course-1/memberships',
      '/lti/contexts/course-1/gradebook',
    ]);
  });

  it('still refuses a service call without a valid token when the hook throws or mutates the error', async () => {
    const { calls, hook } = recordingHook((error) => {
      Object.assign(error, { status: 200 });
      throw new Error('logger down');
    });
    loopback = await createLoopback({ platform: { onError: hook } });
    const response = (await undiciFetch(`${loopback.platformOrigin}/lti/contexts/course-1/lineitems`, {
      headers: { authorization: 'Bearer forged' },
    })) as unknown as Response;
    expect(response.status).toBe(401);
    expect((await response.json()) as object).toMatchObject({ code: 'LTI_ACCESS_TOKEN_INVALID' });
    expect(calls).toHaveLength(1);
  });

  it('reports authorization refusals: answered at the platform, and sent back to the tool in the form post', async () => {
    const { calls, hook } = recordingHook();
    loopback = await createLoopback({ platform: { onError: hook } });
    const unknownClient = (await undiciFetch(
      `${loopback.platform.urls.authorize}?client_id=nobody`,
    )) as unknown as Response;
    expect(unknownClient.status).toBe(400);
    const query = new URLSearchParams({
      scope: 'openid',
      response_type: 'id_token',
      response_mode: 'form_post',
      prompt: 'none',
      client_id: loopback.clientId,
      redirect_uri: `${loopback.toolOrigin}/lti/launch`,
      login_hint: 'student-1',
      lti_message_hint: 'no-such-launch',
      state: 'state-1',
      nonce: 'nonce-1',
    });
    const badHint = (await undiciFetch(
      `${loopback.platform.urls.authorize}?${query}`,
    )) as unknown as Response;
    // OIDC: the refusal goes back to the tool as error + state in the auto-posted form.
    expect(badHint.status).toBe(200);
    const form = await badHint.text();
    expect(form).toContain('login_required');
    expect(form).toContain('state-1');
    expect(calls.map((call) => [call.seen.code, call.event.endpoint])).toEqual([
      ['LTI_TOOL_UNKNOWN', 'authorize'],
      ['LTI_LOGIN_HINT_INVALID', 'authorize'],
    ]);
  });

  it('reports a refused deep linking return and registration', async () => {
    const { calls, hook } = recordingHook();
    loopback = await createLoopback({ platform: { onError: hook } });
    const deepLink = await post(loopback.platform.urls.deepLinkingReturn, { JWT: 'not.a.jwt' });
    expect(deepLink.status).toBe(400);
    const register = (await undiciFetch(loopback.platform.urls.register, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json', authorization: 'Bearer expired' },
    })) as unknown as Response;
    expect(register.status).toBe(401);
    expect(calls.map((call) => [call.seen.code, call.event.endpoint])).toEqual([
      ['LTI_DEEP_LINKING_RESPONSE_INVALID', 'deep-linking-return'],
      ['LTI_REGISTRATION_TOKEN_INVALID', 'register'],
    ]);
  });

  it('reports nothing for a complete launch and service call', async () => {
    const platformHook = recordingHook();
    const toolHook = recordingHook();
    loopback = await createLoopback({
      platform: { onError: platformHook.hook },
      tool: { onError: toolHook.hook },
    });
    const browser = loopback.browser();
    const start = await loopback.platform.launchResponse({
      clientId: loopback.clientId,
      deploymentId: loopback.deploymentId,
      userId: 'student-1',
      roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'],
      context: { id: 'course-1', title: 'Biology' },
      resourceLink: { id: 'link-1' },
    });
    const result = await browser.follow(start, loopback.platformOrigin);
    expect(result.response.status, result.body).toBe(200);
    const [launch] = loopback.launches;
    if (launch === undefined) throw new Error('no launch');
    const items = await loopback.services.ags(launch).listLineItems();
    expect(items).toEqual([]);
    expect(platformHook.calls).toEqual([]);
    expect(toolHook.calls).toEqual([]);
  });
});
