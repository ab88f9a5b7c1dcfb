import { describe, expect, it } from 'vitest';
import { certificationPlatform, codeOf, createHarness, toolOrigin } from './support/tool-harness.ts';

describe('OIDC login initiation', () => {
  for (const method of ['POST', 'GET'] as const) {
    it(`answers a ${method} login with a redirect carrying the OIDC parameters`, async () => {
      const harness = await createHarness();
      const login = await harness.login({ lti_message_hint: 'hint-42' }, method);
      expect(login.response.status).toBe(302);
      const location = login.location;
      expect(`${location.origin}${location.pathname}`).toBe(certificationPlatform.authorizationEndpoint);
      expect(Object.fromEntries(location.searchParams)).toEqual({
        scope: 'openid',
        response_type: 'id_token',
        response_mode: 'form_post',
        prompt: 'none',
        client_id: certificationPlatform.clientId,
        redirect_uri: `${toolOrigin}/launch`,
        login_hint: 'user-1',
        state: login.state,
        nonce: login.nonce,
        lti_message_hint: 'hint-42',
      });
      expect(login.state).not.toBe(login.nonce);
    });
  }

  it('stores state and nonce with an expiry, and sets a partitioned third-party cookie', async () => {
    const harness = await createHarness();
    const login = await harness.login();
    const stored = await harness.loginStates.get(login.state);
    expect(stored?.nonce).toBe(login.nonce);
    expect(stored?.expiresAt.getTime()).toBe(harness.clock.now().getTime() + 600_000);
    const cookie = login.response.headers.getSetCookie()[0];
    expect(cookie).toBe(
      `lti_state_${login.state}=${login.state}; Path=/; Max-Age=600; HttpOnly; Secure; SameSite=None; Partitioned`,
    );
  });

  it('purges expired logins only', async () => {
    const harness = await createHarness();
    const old = await harness.login();
    harness.clock.advance(400);
    const recent = await harness.login();
    harness.clock.advance(201);
    expect(await harness.tool.purgeExpiredLogins()).toBe(1);
    expect(await harness.loginStates.get(old.state)).toBeUndefined();
    expect(await harness.loginStates.get(recent.state)).toBeDefined();
  });

  it('keeps the query string of the platform authorization endpoint', async () => {
    const harness = await createHarness();
    const registration = await harness.registry.getRegistration(
      certificationPlatform.issuer,
      certificationPlatform.clientId,
    );
    await harness.registry.saveRegistration({
      ...registration!,
      authorizationEndpoint: 'https://lms.example/auth?tenant=7',
    });
    const login = await harness.login();
    expect(login.location.searchParams.get('tenant')).toBe('7');
    expect(login.location.searchParams.get('state')).toBe(login.state);
  });

  it('refuses a login without iss, login_hint or target_link_uri with LTI_LOGIN_REQUEST_INVALID', async () => {
    const harness = await createHarness();
    const response = (await harness.login({ login_hint: '', target_link_uri: '' })).response;
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain('LTI_LOGIN_REQUEST_INVALID');
    expect(page).toContain('login_hint, target_link_uri');
  });

  it('refuses an unregistered issuer with LTI_PLATFORM_UNKNOWN', async () => {
    const harness = await createHarness();
    const response = (await harness.login({ iss: 'https://unknown.example' })).response;
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('LTI_PLATFORM_UNKNOWN');
  });

  it('refuses an unregistered client id with LTI_CLIENT_UNKNOWN', async () => {
    const harness = await createHarness();
    expect(await (await harness.login({ client_id: 'nobody' })).response.text()).toContain(
      'LTI_CLIENT_UNKNOWN',
    );
  });

  it('refuses a login without client id when the issuer hosts several registrations with LTI_CLIENT_AMBIGUOUS', async () => {
    const harness = await createHarness();
    const registration = await harness.registry.getRegistration(
      certificationPlatform.issuer,
      certificationPlatform.clientId,
    );
    await harness.registry.saveRegistration({ ...registration!, clientId: 'tenant-2' });
    expect(await (await harness.login({ client_id: '' })).response.text()).toContain('LTI_CLIENT_AMBIGUOUS');
    expect((await harness.login({ client_id: 'tenant-2', lti_deployment_id: '' })).response.status).toBe(302);
  });

  it('refuses an unregistered deployment with LTI_DEPLOYMENT_UNKNOWN', async () => {
    const harness = await createHarness();
    expect(await (await harness.login({ lti_deployment_id: '999' })).response.text()).toContain(
      'LTI_DEPLOYMENT_UNKNOWN',
    );
  });

  it('refuses a pending registration with a message saying an administrator must activate it', async () => {
    const harness = await createHarness();
    const registration = await harness.registry.getRegistration(
      certificationPlatform.issuer,
      certificationPlatform.clientId,
    );
    await harness.registry.saveRegistration({ ...registration!, status: 'pending' });
    const response = (await harness.login()).response;
    expect(response.status).toBe(403);
    const page = await response.text();
    expect(page).toContain('LTI_REGISTRATION_PENDING');
    expect(page).toContain('an administrator must activate it');
  });

  it('refuses a target_link_uri outside the tool origins with LTI_TARGET_LINK_URI_INVALID', async () => {
    const harness = await createHarness();
    const response = (await harness.login({ target_link_uri: 'https://phishing.example/' })).response;
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('LTI_TARGET_LINK_URI_INVALID');
    expect((await harness.login({ target_link_uri: 'javascript:alert(1)' })).response.status).toBe(400);
  });

  it('answers with the platform storage page when the login offers lti_storage_target', async () => {
    const harness = await createHarness();
    const login = await harness.login({ lti_storage_target: '_parent' });
    expect(login.response.status).toBe(200);
    expect(login.response.headers.get('content-type')).toContain('text/html');
    const page = await login.response.text();
    expect(page).toContain("'lti.capabilities'");
    expect(page).toContain("'lti.put_data'");
    const state = /"state":"([^"]+)"/.exec(page)?.[1] ?? '';
    const stored = await harness.loginStates.get(state);
    expect(stored?.storageTarget).toBe('_parent');
    const authUrl = new URL(JSON.parse(`"${/"authUrl":"([^"]+)"/.exec(page)?.[1] ?? ''}"`) as string);
    expect(authUrl.searchParams.get('state')).toBe(state);
    expect(authUrl.searchParams.get('nonce')).toBe(stored?.nonce);
    // The cookie is set too, as the fallback.
    expect(login.response.headers.getSetCookie()[0]).toContain(`lti_state_${state}=`);
  });

  it('answers JSON errors when the request accepts JSON', async () => {
    const harness = await createHarness();
    const response = await harness.tool.login(
      new Request(`${toolOrigin}/login?iss=x`, { headers: { accept: 'application/json' } }),
    );
    expect(response.status).toBe(400);
    expect(await codeOf(response)).toBe('LTI_LOGIN_REQUEST_INVALID');
  });
});
