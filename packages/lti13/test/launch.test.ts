import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { claimUris } from '../src/claims/uris.ts';
import { generateSigningKey } from '../src/keys/generate-key.ts';
import { signWithHeader } from './support/sign.ts';
import {
  certificationPlatform,
  codeOf,
  createHarness,
  type Harness,
  toolOrigin,
} from './support/tool-harness.ts';

async function launchWith(
  harness: Harness,
  overrides: Record<string, unknown>,
  header?: Record<string, unknown>,
) {
  const login = await harness.login();
  const idToken = harness.sign(harness.payload(login, overrides), header);
  return harness.launch({ idToken, state: login.state, cookie: login.cookie });
}

async function expectCode(response: Response, code: string) {
  expect(response.status).toBeGreaterThanOrEqual(400);
  expect(response.status).toBeLessThan(500);
  expect(await codeOf(response)).toBe(code);
}

describe('launch: accepted', () => {
  it('accepts a complete launch and types every claim', async () => {
    const harness = await createHarness();
    const response = await launchWith(harness, {
      name: 'Ada Lovelace',
      email: 'ada@example.edu',
      [claimUris.roles]: [
        'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor',
        'http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant',
        'Learner',
        'http://purl.imsglobal.org/vocab/lis/v2/institution/person#Faculty',
        'http://example.com/roles#Wizard',
        '',
      ],
      [claimUris.custom]: { chapter: '3', flag: true },
      [claimUris.launchPresentation]: { document_target: 'iframe', return_url: 'https://lms.example/return' },
      [claimUris.toolPlatform]: { guid: 'lms-1', product_family_code: 'moodle', version: '4.5' },
      [claimUris.lis]: { person_sourcedid: 'sis-1', course_section_sourcedid: 'sec-1' },
      [claimUris.lti1p1]: {
        user_id: 'legacy-user',
        oauth_consumer_key: 'key',
        oauth_consumer_key_sign: 'sig',
      },
      [claimUris.ags]: {
        scope: ['https://purl.imsglobal.org/spec/lti-ags/scope/score'],
        lineitem: 'https://lms.example/li/1',
      },
      [claimUris.nrps]: { context_memberships_url: 'https://lms.example/nrps', service_versions: ['2.0'] },
    });
    expect(response.status).toBe(200);
    const [launch] = harness.launches;
    expect(launch?.user).toMatchObject({ id: 'user-1', name: 'Ada Lovelace', email: 'ada@example.edu' });
    expect(
      launch?.roles.map((role) => [role.kind, role.name, role.subRole, role.known, role.shortForm]),
    ).toEqual([
      ['context', 'Instructor', undefined, true, false],
      ['context', 'Instructor', 'TeachingAssistant', true, false],
      ['context', 'Learner', undefined, true, true],
      ['institution', 'Faculty', undefined, true, false],
      ['unknown', 'Wizard', undefined, false, false],
    ]);
    expect(launch?.roles[2]?.uri).toBe('http://purl.imsglobal.org/vocab/lis/v2/membership#Learner');
    expect(launch?.custom).toEqual({ chapter: '3', flag: true });
    expect(launch?.toolPlatform?.product_family_code).toBe('moodle');
    expect(launch?.lti1p1?.user_id).toBe('legacy-user');
    expect(launch?.ags?.lineitem).toBe('https://lms.example/li/1');
    expect(launch?.nrps?.service_versions).toEqual(['2.0']);
    expect(launch?.stateBinding).toBe('cookie');
    expect(launch?.targetLinkUri).toBe(`${toolOrigin}/`);
  });

  it('accepts an anonymous launch without sub and without any personal data', async () => {
    const harness = await createHarness();
    const login = await harness.login();
    const { sub: _sub, ...payload } = harness.payload(login);
    const response = await harness.launch({
      idToken: harness.sign(payload),
      state: login.state,
      cookie: login.cookie,
    });
    expect(response.status).toBe(200);
    expect(harness.launches[0]?.user.id).toBeUndefined();
  });

  it('accepts a launch a few minutes old (not only seconds), and the window is configurable', async () => {
    const harness = await createHarness();
    expect(
      (await launchWith(harness, { iat: harness.clock.seconds - 240, exp: harness.clock.seconds + 60 }))
        .status,
    ).toBe(200);
    await expectCode(
      await launchWith(harness, { iat: harness.clock.seconds - 400, exp: harness.clock.seconds + 60 }),
      'LTI_TOKEN_TOO_OLD',
    );
    const patient = await createHarness({ maxLaunchAgeSeconds: 900 });
    expect(
      (await launchWith(patient, { iat: patient.clock.seconds - 400, exp: patient.clock.seconds + 60 }))
        .status,
    ).toBe(200);
  });

  it('tolerates the configured clock skew on iat and exp', async () => {
    const harness = await createHarness({ clockSkewSeconds: 30 });
    expect((await launchWith(harness, { iat: harness.clock.seconds + 20 })).status).toBe(200);
    expect((await launchWith(harness, { exp: harness.clock.seconds - 20 })).status).toBe(200);
  });

  it('accepts aud as an array when azp names the tool', async () => {
    const harness = await createHarness();
    const response = await launchWith(harness, {
      aud: ['other-client', certificationPlatform.clientId],
      azp: certificationPlatform.clientId,
    });
    expect(response.status).toBe(200);
  });

  it('accepts a login that names no client id when the issuer has one registration', async () => {
    const harness = await createHarness();
    const login = await harness.login({ client_id: '' });
    expect(login.location.searchParams.get('client_id')).toBe(certificationPlatform.clientId);
    const response = await harness.launch({
      idToken: harness.sign(harness.payload(login)),
      state: login.state,
      cookie: login.cookie,
    });
    expect(response.status).toBe(200);
  });

  it('parses a submission review request with for_user', async () => {
    const harness = await createHarness();
    const response = await launchWith(harness, {
      [claimUris.messageType]: 'LtiSubmissionReviewRequest',
      [claimUris.forUser]: { user_id: 'student-9', name: 'Sam' },
      [claimUris.ags]: { scope: [], lineitem: 'https://lms.example/li/1' },
    });
    expect(response.status).toBe(200);
    expect(harness.launches[0]?.forUser?.user_id).toBe('student-9');
  });
});

describe('launch: refused, a code each', () => {
  it('refuses a tampered payload with LTI_SIGNATURE_INVALID', async () => {
    const harness = await createHarness();
    const login = await harness.login();
    const [header, , signature] = harness.sign(harness.payload(login)).split('.');
    const forged = Buffer.from(JSON.stringify(harness.payload(login, { sub: 'admin' }))).toString(
      'base64url',
    );
    await expectCode(
      await harness.launch({
        idToken: `${header}.${forged}.${signature}`,
        state: login.state,
        cookie: login.cookie,
      }),
      'LTI_SIGNATURE_INVALID',
    );
  });

  it('refuses a token signed by another key under the platform kid with LTI_SIGNATURE_INVALID', async () => {
    const harness = await createHarness();
    const login = await harness.login();
    const intruder = await generateSigningKey({ now: harness.clock.now() });
    const idToken = signWithHeader(
      { alg: 'RS256', kid: harness.platformKey.kid },
      harness.payload(login),
      intruder.privateJwk,
    );
    await expectCode(
      await harness.launch({ idToken, state: login.state, cookie: login.cookie }),
      'LTI_SIGNATURE_INVALID',
    );
  });

  it('refuses a header with critical extensions with LTI_SIGNATURE_INVALID', async () => {
    const harness = await createHarness();
    await expectCode(
      await launchWith(harness, {}, { alg: 'RS256', kid: harness.platformKey.kid, crit: ['exp'], exp: 1 }),
      'LTI_SIGNATURE_INVALID',
    );
  });

  it('refuses alg none with LTI_ALG_NOT_ALLOWED', async () => {
    const harness = await createHarness();
    const login = await harness.login();
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const idToken = `${encode({ alg: 'none', kid: harness.platformKey.kid })}.${encode(harness.payload(login))}.`;
    await expectCode(
      await harness.launch({ idToken, state: login.state, cookie: login.cookie }),
      'LTI_ALG_NOT_ALLOWED',
    );
  });

  it('refuses HS256 signed with the platform public key as secret (key confusion) with LTI_ALG_NOT_ALLOWED', async () => {
    const harness = await createHarness();
    const login = await harness.login();
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const input = `${encode({ alg: 'HS256', kid: harness.platformKey.kid })}.${encode(harness.payload(login))}`;
    const signature = createHmac('sha256', JSON.stringify(harness.platformKey.publicJwk))
      .update(input)
      .digest('base64url');
    await expectCode(
      await harness.launch({ idToken: `${input}.${signature}`, state: login.state, cookie: login.cookie }),
      'LTI_ALG_NOT_ALLOWED',
    );
  });

  it('refuses an algorithm the registration does not list (RS512) with LTI_ALG_NOT_ALLOWED', async () => {
    const harness = await createHarness();
    await expectCode(
      await launchWith(harness, {}, { alg: 'RS512', kid: harness.platformKey.kid }),
      'LTI_ALG_NOT_ALLOWED',
    );
  });

  it('refuses an allowed algorithm that does not fit the named key with LTI_ALG_KEY_MISMATCH', async () => {
    const harness = await createHarness();
    const registration = await harness.registry.getRegistration(
      certificationPlatform.issuer,
      certificationPlatform.clientId,
    );
    await harness.registry.saveRegistration({ ...registration!, algorithms: ['RS256', 'ES256'] });
    await expectCode(
      await launchWith(harness, {}, { alg: 'ES256', kid: harness.platformKey.kid }),
      'LTI_ALG_KEY_MISMATCH',
    );
  });

  it('refuses an expired token with LTI_TOKEN_EXPIRED', async () => {
    const harness = await createHarness();
    await expectCode(
      await launchWith(harness, { iat: harness.clock.seconds - 90, exp: harness.clock.seconds - 30 }),
      'LTI_TOKEN_EXPIRED',
    );
  });

  it('refuses a token issued in the future with LTI_TOKEN_NOT_YET_VALID', async () => {
    const harness = await createHarness();
    await expectCode(
      await launchWith(harness, { iat: harness.clock.seconds + 120, exp: harness.clock.seconds + 400 }),
      'LTI_TOKEN_NOT_YET_VALID',
    );
  });

  it('refuses a token before its nbf with LTI_TOKEN_NOT_YET_VALID', async () => {
    const harness = await createHarness();
    await expectCode(
      await launchWith(harness, { nbf: harness.clock.seconds + 120 }),
      'LTI_TOKEN_NOT_YET_VALID',
    );
  });

  it('refuses an aud without the tool client id with LTI_AUDIENCE_MISMATCH', async () => {
    const harness = await createHarness();
    await expectCode(await launchWith(harness, { aud: 'someone-else' }), 'LTI_AUDIENCE_MISMATCH');
    await expectCode(
      await launchWith(harness, { aud: ['someone-else', 'another'], azp: 'someone-else' }),
      'LTI_AUDIENCE_MISMATCH',
    );
  });

  it('refuses several audiences without azp, or with another azp, with LTI_AZP_MISMATCH', async () => {
    const harness = await createHarness();
    await expectCode(
      await launchWith(harness, { aud: [certificationPlatform.clientId, 'other'] }),
      'LTI_AZP_MISMATCH',
    );
    await expectCode(
      await launchWith(harness, { aud: [certificationPlatform.clientId, 'other'], azp: 'other' }),
      'LTI_AZP_MISMATCH',
    );
  });

  it('refuses a token from another issuer than the login with LTI_ISSUER_MISMATCH', async () => {
    const harness = await createHarness();
    await expectCode(await launchWith(harness, { iss: 'https://evil.example' }), 'LTI_ISSUER_MISMATCH');
  });

  it('refuses a launch whose audience is not registered for the issuer with LTI_CLIENT_UNKNOWN', async () => {
    const harness = await createHarness();
    await harness.registry.saveRegistration({
      ...(await harness.registry.getRegistration(
        certificationPlatform.issuer,
        certificationPlatform.clientId,
      ))!,
      clientId: 'second-tenant',
    });
    // Two registrations share the issuer: the login must name its client, so simulate a platform that names none
    // in the login but mints the token for an unregistered client.
    const login = await harness.login();
    const state = await harness.loginStates.get(login.state);
    await harness.loginStates.save({ ...state!, clientId: undefined });
    const idToken = harness.sign(harness.payload(login, { aud: 'unregistered-client' }));
    await expectCode(
      await harness.launch({ idToken, state: login.state, cookie: login.cookie }),
      'LTI_CLIENT_UNKNOWN',
    );
  });

  it('refuses an unregistered deployment with LTI_DEPLOYMENT_UNKNOWN', async () => {
    const harness = await createHarness();
    await expectCode(
      await launchWith(harness, { [claimUris.deploymentId]: 'other-deployment' }),
      'LTI_DEPLOYMENT_UNKNOWN',
    );
  });

  it('refuses a missing nonce with LTI_NONCE_MISSING', async () => {
    const harness = await createHarness();
    const login = await harness.login();
    const { nonce: _nonce, ...payload } = harness.payload(login);
    await expectCode(
      await harness.launch({ idToken: harness.sign(payload), state: login.state, cookie: login.cookie }),
      'LTI_NONCE_MISSING',
    );
  });

  it('refuses a nonce the tool never issued with LTI_NONCE_UNKNOWN', async () => {
    const harness = await createHarness();
    await expectCode(await launchWith(harness, { nonce: 'made-up' }), 'LTI_NONCE_UNKNOWN');
  });

  it('refuses a replayed id_token under a fresh login with LTI_NONCE_REPLAYED', async () => {
    const harness = await createHarness();
    const first = await harness.login();
    const idToken = harness.sign(harness.payload(first));
    expect((await harness.launch({ idToken, state: first.state, cookie: first.cookie })).status).toBe(200);
    const second = await harness.login();
    await expectCode(
      await harness.launch({ idToken, state: second.state, cookie: second.cookie }),
      'LTI_NONCE_REPLAYED',
    );
  });

  it('refuses the nonce of another pending login with LTI_NONCE_MISMATCH', async () => {
    const harness = await createHarness();
    const first = await harness.login();
    const second = await harness.login();
    const idToken = harness.sign(harness.payload(first));
    await expectCode(
      await harness.launch({ idToken, state: second.state, cookie: second.cookie }),
      'LTI_NONCE_MISMATCH',
    );
  });

  it('refuses a replayed launch (same state twice) with LTI_STATE_REPLAYED', async () => {
    const harness = await createHarness();
    const login = await harness.login();
    const idToken = harness.sign(harness.payload(login));
    expect((await harness.launch({ idToken, state: login.state, cookie: login.cookie })).status).toBe(200);
    await expectCode(
      await harness.launch({ idToken, state: login.state, cookie: login.cookie }),
      'LTI_STATE_REPLAYED',
    );
  });

  it('lets exactly one of two racing launches with the same state through', async () => {
    const harness = await createHarness();
    const login = await harness.login();
    const idToken = harness.sign(harness.payload(login));
    const responses = await Promise.all(
      [1, 2].map(() => harness.launch({ idToken, state: login.state, cookie: login.cookie })),
    );
    expect(responses.map((response) => response.status).sort()).toEqual([200, 400]);
  });

  it('refuses a missing state with LTI_STATE_MISSING', async () => {
    const harness = await createHarness();
    const login = await harness.login();
    await expectCode(
      await harness.launch({ idToken: harness.sign(harness.payload(login)), cookie: login.cookie }),
      'LTI_STATE_MISSING',
    );
  });

  it('refuses a state never issued with LTI_STATE_UNKNOWN', async () => {
    const harness = await createHarness();
    const login = await harness.login();
    await expectCode(
      await harness.launch({
        idToken: harness.sign(harness.payload(login)),
        state: 'forged',
        cookie: login.cookie,
      }),
      'LTI_STATE_UNKNOWN',
    );
  });

  it('refuses a state without its browser cookie (login CSRF) with LTI_STATE_MISMATCH', async () => {
    const harness = await createHarness();
    const login = await harness.login();
    const other = await harness.login();
    await expectCode(
      await harness.launch({
        idToken: harness.sign(harness.payload(login)),
        state: login.state,
        cookie: other.cookie,
      }),
      'LTI_STATE_MISMATCH',
    );
    await expectCode(
      await harness.launch({ idToken: harness.sign(harness.payload(login)), state: login.state }),
      'LTI_STATE_MISMATCH',
    );
  });

  it('refuses an expired state with LTI_STATE_EXPIRED', async () => {
    const harness = await createHarness();
    const login = await harness.login();
    harness.clock.advance(601);
    const idToken = harness.sign(harness.payload(login));
    await expectCode(
      await harness.launch({ idToken, state: login.state, cookie: login.cookie }),
      'LTI_STATE_EXPIRED',
    );
  });

  it('refuses an unknown message type with LTI_MESSAGE_TYPE_UNSUPPORTED', async () => {
    const harness = await createHarness();
    await expectCode(
      await launchWith(harness, { [claimUris.messageType]: 'LtiStartProctoring' }),
      'LTI_MESSAGE_TYPE_UNSUPPORTED',
    );
  });

  it('refuses a message type the tool does not accept at its launch URL with LTI_MESSAGE_TYPE_UNSUPPORTED', async () => {
    const harness = await createHarness({ messageTypes: ['LtiResourceLinkRequest'] });
    await expectCode(
      await launchWith(harness, {
        [claimUris.messageType]: 'LtiSubmissionReviewRequest',
        [claimUris.forUser]: { user_id: 'x' },
      }),
      'LTI_MESSAGE_TYPE_UNSUPPORTED',
    );
  });

  it('refuses a deep linking request without settings, or with incomplete ones, with LTI_DEEP_LINKING_SETTINGS_INVALID', async () => {
    const harness = await createHarness();
    const deepLinking = {
      [claimUris.messageType]: 'LtiDeepLinkingRequest',
      [claimUris.resourceLink]: undefined,
    };
    await expectCode(await launchWith(harness, deepLinking), 'LTI_DEEP_LINKING_SETTINGS_INVALID');
    const response = await launchWith(harness, {
      ...deepLinking,
      [claimUris.deepLinkingSettings]: {
        accept_types: ['ltiResourceLink'],
        accept_presentation_document_targets: ['iframe'],
      },
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { code: string; error_description: string };
    expect(body.code).toBe('LTI_DEEP_LINKING_SETTINGS_INVALID');
    expect(body.error_description).toContain('deep_link_return_url');
    await expectCode(
      await launchWith(harness, {
        ...deepLinking,
        [claimUris.deepLinkingSettings]: {
          deep_link_return_url: 'https://lms.example/dl',
          accept_types: [],
          accept_presentation_document_targets: ['iframe'],
        },
      }),
      'LTI_DEEP_LINKING_SETTINGS_INVALID',
    );
  });

  it('refuses a submission review without for_user with LTI_FOR_USER_MISSING', async () => {
    const harness = await createHarness();
    await expectCode(
      await launchWith(harness, { [claimUris.messageType]: 'LtiSubmissionReviewRequest' }),
      'LTI_FOR_USER_MISSING',
    );
  });

  it('refuses a target_link_uri other than the login one with LTI_TARGET_LINK_URI_MISMATCH', async () => {
    const harness = await createHarness();
    await expectCode(
      await launchWith(harness, { [claimUris.targetLinkUri]: 'https://evil.example/' }),
      'LTI_TARGET_LINK_URI_MISMATCH',
    );
  });

  it('refuses a claim of the wrong shape with LTI_CLAIM_INVALID naming it', async () => {
    const harness = await createHarness();
    const response = await launchWith(harness, { [claimUris.context]: { title: 'no id' } });
    const body = (await response.json()) as { code: string; error_description: string };
    expect(body.code).toBe('LTI_CLAIM_INVALID');
    expect(body.error_description).toContain(claimUris.context);
  });

  it('refuses a context-less launch unless the tool allows it', async () => {
    const strict = await createHarness();
    await expectCode(await launchWith(strict, { [claimUris.context]: undefined }), 'LTI_CONTEXT_MISSING');
    const lenient = await createHarness({ requireContext: false });
    expect((await launchWith(lenient, { [claimUris.context]: undefined })).status).toBe(200);
  });

  it('refuses a token of two parts with LTI_ID_TOKEN_MALFORMED, and a missing one with LTI_ID_TOKEN_MISSING', async () => {
    const harness = await createHarness();
    const login = await harness.login();
    await expectCode(
      await harness.launch({ idToken: 'abc.def', state: login.state, cookie: login.cookie }),
      'LTI_ID_TOKEN_MALFORMED',
    );
    await expectCode(
      await harness.launch({ idToken: 'a.b.c', state: login.state, cookie: login.cookie }),
      'LTI_ID_TOKEN_MALFORMED',
    );
    await expectCode(
      await harness.launch({ state: login.state, cookie: login.cookie }),
      'LTI_ID_TOKEN_MISSING',
    );
  });

  it('reports a platform refusal as LTI_PLATFORM_REFUSED_LOGIN, not as a bad token', async () => {
    const harness = await createHarness();
    const response = await harness.launch({
      fields: { error: 'login_required', error_description: 'no session' },
    });
    expect(await codeOf(response)).toBe('LTI_PLATFORM_REFUSED_LOGIN');
  });

  it('refuses a launch by GET with LTI_LAUNCH_REQUEST_INVALID', async () => {
    const harness = await createHarness();
    const response = await harness.tool.launch(
      new Request(`${toolOrigin}/launch?id_token=x&state=y`, { headers: { accept: 'application/json' } }),
    );
    expect(response.status).toBe(400);
    expect(await codeOf(response)).toBe('LTI_LAUNCH_REQUEST_INVALID');
  });

  it('refuses a launch of a pending registration with LTI_REGISTRATION_PENDING', async () => {
    const harness = await createHarness();
    const login = await harness.login();
    const registration = await harness.registry.getRegistration(
      certificationPlatform.issuer,
      certificationPlatform.clientId,
    );
    await harness.registry.saveRegistration({ ...registration!, status: 'pending' });
    await expectCode(
      await harness.launch({
        idToken: harness.sign(harness.payload(login)),
        state: login.state,
        cookie: login.cookie,
      }),
      'LTI_REGISTRATION_PENDING',
    );
  });

  it('answers a refused launch with an HTML page naming the code and the fix', async () => {
    const harness = await createHarness();
    const login = await harness.login();
    const response = await harness.launch({
      idToken: harness.sign(harness.payload(login, { [claimUris.version]: '1.1' })),
      state: login.state,
      cookie: login.cookie,
      json: false,
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('text/html');
    const page = await response.text();
    expect(page).toContain('LTI_VERSION_UNSUPPORTED');
    expect(page).toContain('Configure the LMS link as an LTI 1.3');
    expect(page).toContain('&quot;1.1&quot;');
  });
});

describe('platform key set', () => {
  it('fetches the JWKS once and reuses it: never per launch', async () => {
    const harness = await createHarness();
    for (let index = 0; index < 3; index++) expect((await launchWith(harness, {})).status).toBe(200);
    expect(harness.fetchCount()).toBe(1);
  });

  it('shares one fetch between concurrent launches on a cold cache', async () => {
    const harness = await createHarness();
    const logins = await Promise.all([1, 2, 3, 4, 5].map(() => harness.login()));
    const responses = await Promise.all(
      logins.map((login) =>
        harness.launch({
          idToken: harness.sign(harness.payload(login)),
          state: login.state,
          cookie: login.cookie,
        }),
      ),
    );
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200, 200]);
    expect(harness.fetchCount()).toBe(1);
  });

  it('refreshes on an unknown kid, so a platform key rotation needs no restart', async () => {
    const harness = await createHarness();
    expect((await launchWith(harness, {})).status).toBe(200);
    const rotated = await generateSigningKey({ now: harness.clock.now() });
    harness.jwks.keys.push(rotated.publicJwk);
    harness.clock.advance(11);
    const login = await harness.login();
    const idToken = signWithHeader(
      { alg: 'RS256', kid: rotated.kid },
      harness.payload(login),
      rotated.privateJwk,
    );
    expect((await harness.launch({ idToken, state: login.state, cookie: login.cookie })).status).toBe(200);
    expect(harness.fetchCount()).toBe(2);
  });

  it('does not refetch for every unknown kid inside the cooldown', async () => {
    const harness = await createHarness();
    expect((await launchWith(harness, {})).status).toBe(200);
    for (let index = 0; index < 3; index++) {
      await expectCode(
        await launchWith(harness, {}, { alg: 'RS256', kid: `unknown-${index}` }),
        'LTI_KID_UNKNOWN',
      );
    }
    expect(harness.fetchCount()).toBe(1);
  });

  it('verifies each client id of a shared issuer against its own key set (Blackboard: a JWKS per client id)', async () => {
    const tenantKey = await generateSigningKey({ now: new Date() });
    const tenantJwks = 'https://ltiadvantagevalidator.imsglobal.org/tenant-b/jwks';
    const served: { keys: unknown[] } = { keys: [] };
    const harness = await createHarness({
      fetch: async (input) => {
        const url = String(input);
        if (url === tenantJwks) return Response.json({ keys: [tenantKey.publicJwk] });
        if (url === certificationPlatform.jwksUri) return Response.json(served);
        return new Response('not found', { status: 404 });
      },
    });
    served.keys = harness.jwks.keys;
    const registration = await harness.registry.getRegistration(
      certificationPlatform.issuer,
      certificationPlatform.clientId,
    );
    await harness.registry.saveRegistration({ ...registration!, clientId: 'tenant-b', jwksUri: tenantJwks });
    await harness.registry.saveDeployment({
      issuer: certificationPlatform.issuer,
      clientId: 'tenant-b',
      deploymentId: certificationPlatform.deploymentId,
    });
    const login = await harness.login({ client_id: 'tenant-b' });
    const payload = harness.payload(login, { aud: 'tenant-b' });
    const own = signWithHeader({ alg: 'RS256', kid: tenantKey.kid }, payload, tenantKey.privateJwk);
    const otherTenant = harness.sign(payload);
    await expectCode(
      await harness.launch({ idToken: otherTenant, state: login.state, cookie: login.cookie }),
      'LTI_KID_UNKNOWN',
    );
    expect((await harness.launch({ idToken: own, state: login.state, cookie: login.cookie })).status).toBe(
      200,
    );
    expect((await launchWith(harness, {})).status).toBe(200);
  });

  it('reports an unreachable JWKS as LTI_JWKS_UNAVAILABLE', async () => {
    const harness = await createHarness({ fetch: async () => new Response('down', { status: 503 }) });
    const response = await launchWith(harness, {});
    expect(response.status).toBe(502);
    expect(await codeOf(response)).toBe('LTI_JWKS_UNAVAILABLE');
  });
});
