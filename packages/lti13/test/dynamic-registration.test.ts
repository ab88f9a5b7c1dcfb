import { afterEach, describe, expect, it } from 'vitest';
import { scopes } from '../src/claims/uris.ts';
import {
  processOpenidConfigurationResponse,
  processRegistrationResponse,
} from '../src/registration/tool-registration.ts';
import { createLoopback, type Loopback } from './support/loopback.ts';

let loopback: Loopback | undefined;
afterEach(async () => {
  await loopback?.close();
  loopback = undefined;
});

async function registerThroughBrowser(setup: Loopback) {
  const browser = setup.browser();
  const start = await setup.platform.registrationStartUrl(`${setup.toolOrigin}/lti/register`);
  const response = await browser.request(start);
  return { start, status: response.status, body: await response.text(), browser };
}

async function newRegistration(setup: Loopback) {
  const registrations = await setup.tool.registry.listRegistrations({ issuer: setup.platform.urls.issuer });
  const registration = registrations.find((candidate) => candidate.clientId !== setup.clientId);
  const deployments =
    registration === undefined
      ? []
      : await setup.tool.registry.listDeployments(registration.issuer, registration.clientId);
  return { registration, deployments };
}

describe('LTI Dynamic Registration over loopback HTTP', () => {
  it('registers the tool with the platform and the platform with the tool, then launches with the new registration', async () => {
    loopback = await createLoopback();
    const setup = loopback;
    const result = await registerThroughBrowser(setup);
    expect(result.status, result.body).toBe(200);
    expect(result.body).toContain("postMessage({ subject: 'org.imsglobal.lti.close' }, '*')");
    const { registration, deployments } = await newRegistration(setup);
    expect(registration).toMatchObject({
      issuer: setup.platform.urls.issuer,
      authorizationEndpoint: setup.platform.urls.authorize,
      tokenEndpoint: setup.platform.urls.token,
      jwksUri: setup.platform.urls.jwks,
      status: 'active',
      name: 'passport',
    });
    expect(deployments).toHaveLength(1);
    const tool = await setup.platform.context.tools.getTool(registration!.clientId);
    expect(tool).toMatchObject({
      loginUrl: `${setup.toolOrigin}/lti/login`,
      redirectUris: [`${setup.toolOrigin}/lti/launch`],
      jwksUri: `${setup.toolOrigin}/lti/jwks`,
      targetLinkUri: `${setup.toolOrigin}/app`,
      deepLinkingUrl: `${setup.toolOrigin}/lti/launch`,
      status: 'active',
    });
    expect([...(tool?.scopes ?? [])].sort()).toEqual(Object.values(scopes).sort());

    const browser = setup.browser();
    const launch = await setup.platform.launchResponse({
      clientId: registration!.clientId,
      deploymentId: deployments[0]!.deploymentId,
      userId: 'teacher-1',
      roles: ['Instructor'],
      context: { id: 'course-9' },
      resourceLink: { id: 'link-9' },
    });
    const launched = await browser.follow(launch, setup.platformOrigin);
    expect(launched.response.status, launched.body).toBe(200);
    expect(setup.launches.at(-1)?.clientId).toBe(registration!.clientId);
  });

  it('keeps a dynamically registered tool pending, as Moodle does, and refuses its launches until an administrator activates it', async () => {
    loopback = await createLoopback({ platform: { dynamicRegistrationStatus: 'pending' } });
    const setup = loopback;
    expect((await registerThroughBrowser(setup)).status).toBe(200);
    const { registration, deployments } = await newRegistration(setup);
    const input = {
      clientId: registration!.clientId,
      deploymentId: deployments[0]!.deploymentId,
      userId: 'u',
      roles: ['Learner'],
      context: { id: 'c' },
      resourceLink: { id: 'r' },
    };
    await expect(setup.platform.startLaunch(input)).rejects.toMatchObject({
      code: 'LTI_REGISTRATION_PENDING',
      message: expect.stringContaining('pending activation'),
    });
    await setup.platform.activateTool(registration!.clientId);
    const launched = await setup
      .browser()
      .follow(await setup.platform.launchResponse(input), setup.platformOrigin);
    expect(launched.response.status).toBe(200);
  });

  it('stores the platform as pending on the tool side when the tool asks for approval, and refuses its logins', async () => {
    loopback = await createLoopback({ registration: { status: 'pending' } });
    const setup = loopback;
    await registerThroughBrowser(setup);
    const { registration, deployments } = await newRegistration(setup);
    expect(registration?.status).toBe('pending');
    const launched = await setup.browser().follow(
      await setup.platform.launchResponse({
        clientId: registration!.clientId,
        deploymentId: deployments[0]!.deploymentId,
        userId: 'u',
        roles: ['Learner'],
        context: { id: 'c' },
        resourceLink: { id: 'r' },
      }),
      setup.platformOrigin,
    );
    expect(launched.response.status).toBe(403);
    expect(launched.body).toContain('LTI_REGISTRATION_PENDING');
  });

  it('uses a registration token once: a second registration with it is refused', async () => {
    loopback = await createLoopback();
    const setup = loopback;
    const first = await registerThroughBrowser(setup);
    const again = await first.browser.request(first.start);
    expect(again.status).toBe(502);
    const page = await again.text();
    expect(page).toContain('LTI_REGISTRATION_REFUSED');
    expect(page).toContain('already been used');
  });

  it('refuses a registration without a token at the platform with LTI_REGISTRATION_TOKEN_INVALID', async () => {
    loopback = await createLoopback();
    const response = await loopback.platform.register(
      new Request(loopback.platform.urls.register, {
        method: 'POST',
        body: '{}',
        headers: { 'content-type': 'application/json' },
      }),
    );
    expect(response.status).toBe(401);
    expect(((await response.json()) as { code: string }).code).toBe('LTI_REGISTRATION_TOKEN_INVALID');
  });

  it('refuses an invalid client registration with LTI_REGISTRATION_REQUEST_INVALID naming the field', async () => {
    loopback = await createLoopback();
    const start = new URL(await loopback.platform.registrationStartUrl('https://tool.example/register'));
    const response = await loopback.platform.register(
      new Request(loopback.platform.urls.register, {
        method: 'POST',
        body: JSON.stringify({ application_type: 'web', response_types: ['code'] }),
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${start.searchParams.get('registration_token')}`,
        },
      }),
    );
    expect(response.status).toBe(400);
    const body = (await response.json()) as { code: string; error: string; error_description: string };
    expect(body).toMatchObject({
      code: 'LTI_REGISTRATION_REQUEST_INVALID',
      error: 'invalid_client_metadata',
    });
    expect(body.error_description).toContain('response_types');
  });
});

describe('dynamic registration: platform differences', () => {
  const configuration = (issuer: string) =>
    Response.json({
      issuer,
      authorization_endpoint: 'https://sso.canvaslms.com/api/lti/authorize_redirect',
      token_endpoint: 'https://sso.canvaslms.com/login/oauth2/token',
      jwks_uri: 'https://sso.canvaslms.com/api/lti/security/jwks',
      registration_endpoint: 'https://school.instructure.com/api/lti/registrations',
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
      id_token_signing_alg_values_supported: ['RS256'],
      scopes_supported: ['openid'],
      'https://purl.imsglobal.org/spec/lti-platform-configuration': {
        product_family_code: 'canvas',
        version: 'OpenSource',
      },
    });

  it('accepts the hosted Canvas issuer although its configuration lives on another host', async () => {
    const parsed = await processOpenidConfigurationResponse(
      configuration('https://canvas.instructure.com'),
      'https://school.instructure.com/api/lti/security/openid-configuration',
    );
    expect(parsed.issuer).toBe('https://canvas.instructure.com');
  });

  it('refuses any other issuer not on the configuration host with LTI_OPENID_CONFIGURATION_INVALID', async () => {
    await expect(
      processOpenidConfigurationResponse(
        configuration('https://evil.example'),
        'https://school.example/openid-configuration',
      ),
    ).rejects.toMatchObject({
      code: 'LTI_OPENID_CONFIGURATION_INVALID',
    });
    await expect(
      processOpenidConfigurationResponse(
        Response.json({ issuer: 'https://school.example' }),
        'https://school.example/c',
      ),
    ).rejects.toMatchObject({
      code: 'LTI_OPENID_CONFIGURATION_INVALID',
    });
  });

  it('accepts a registration answer without a deployment id (Canvas creates the deployment at install)', async () => {
    expect(await processRegistrationResponse(Response.json({ client_id: '10000000000009' }))).toEqual({
      clientId: '10000000000009',
      deploymentId: undefined,
    });
    expect(
      await processRegistrationResponse(
        Response.json({
          client_id: 'x',
          'https://purl.imsglobal.org/spec/lti-tool-configuration': { deployment_id: '4' },
        }),
      ),
    ).toEqual({ clientId: 'x', deploymentId: '4' });
  });
});
