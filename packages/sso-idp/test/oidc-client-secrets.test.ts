import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashClientSecret } from '../src/oidc/client-secret.ts';
import { districtId } from './support/fixtures.ts';
import { authorize } from './support/flows.ts';
import { apps, createHarness, type Harness, quizSecret } from './support/harness.ts';
import { RelyingParty } from './support/relying-party.ts';

let harness: Harness;
const postSecret = 'post-secret-0123456789-abcdefghijklmnopq';
const legacySecret = 'legacy-secret-0123456789-abcdefghijklmno';

beforeAll(async () => {
  harness = await createHarness();
  await harness.idp.registerApp({
    appId: 'app-post',
    partnerId: 'partner-post',
    name: 'Post Office',
    oidc: {
      clientId: 'post-client',
      clientSecret: postSecret,
      tokenEndpointAuthMethod: 'client_secret_post',
      redirectUris: ['https://post.example/cb'],
    },
  });
  // Saved straight into the registry with a plaintext secret, as before secrets were hashed.
  await harness.stores.apps.saveApp({
    appId: 'app-legacy',
    partnerId: 'partner-legacy',
    name: 'Legacy',
    oidc: {
      clientId: 'legacy-client',
      clientSecret: legacySecret,
      redirectUris: ['https://legacy.example/cb'],
    },
  });
  for (const appId of ['app-post', 'app-legacy'])
    await harness.idp.grantApp({ districtId, appId, claims: ['name'] });
});
afterAll(() => harness.close());

const rp = (clientId: string, clientSecret: string | undefined, redirectUri: string) =>
  new RelyingParty({ issuer: harness.idp.urls.issuer, clientId, clientSecret, redirectUri });

/** A token request with a code that does not exist: client authentication is checked first. */
async function authenticate(client: RelyingParty) {
  await client.discover();
  const response = await client.exchange('no-such-code');
  return ((await response.json()) as { error: string }).error;
}

describe('OIDC client secrets are stored hashed', () => {
  it('registerApp keeps only a SHA-256 of the secret', async () => {
    const stored = await harness.stores.apps.getApp('app-quiz');
    expect(stored?.oidc?.clientSecret).toBeUndefined();
    expect(stored?.oidc?.clientSecretHash).toBe(hashClientSecret(quizSecret));
    expect(JSON.stringify(await harness.stores.apps.listApps())).not.toContain(quizSecret);
  });

  it('client_secret_basic: the right secret authenticates, a wrong one and the stored hash do not', async () => {
    const redirect = apps.quiz.oidc.redirectUris[0] ?? '';
    expect(await authenticate(rp('quiz-client', quizSecret, redirect))).toBe('invalid_grant');
    expect(await authenticate(rp('quiz-client', `${quizSecret}x`, redirect))).toBe('invalid_client');
    expect(await authenticate(rp('quiz-client', hashClientSecret(quizSecret), redirect))).toBe(
      'invalid_client',
    );
  });

  it('the whole code flow works with the hashed secret', async () => {
    const client = rp('quiz-client', quizSecret, apps.quiz.oidc.redirectUris[0] ?? '');
    await client.discover();
    const request = client.authorizationRequest({ scope: 'openid profile' });
    const end = await authorize(harness, harness.browser(), client, request, 'ada');
    const response = await client.exchange(end.code ?? '', { verifier: request.verifier });
    expect(response.status).toBe(200);
  });

  it('client_secret_post compares through the hash too', async () => {
    const client = rp('post-client', undefined, 'https://post.example/cb');
    const metadata = await client.discover();
    const post = (secret: string) =>
      fetch(metadata.token_endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code: 'no-such-code',
          redirect_uri: 'https://post.example/cb',
          client_id: 'post-client',
          client_secret: secret,
        }),
      }).then(async (response) => ((await response.json()) as { error: string }).error);
    expect(await post(postSecret)).toBe('invalid_grant');
    expect(await post('wrong-secret-0123456789-abcdefghijklmnop')).toBe('invalid_client');
  });

  it('a registration stored with a plaintext secret still authenticates', async () => {
    expect(await authenticate(rp('legacy-client', legacySecret, 'https://legacy.example/cb'))).toBe(
      'invalid_grant',
    );
    expect(await authenticate(rp('legacy-client', 'nope', 'https://legacy.example/cb'))).toBe(
      'invalid_client',
    );
  });

  it('no symmetric (HS*) algorithm is offered, since no secret can serve as a key', async () => {
    const metadata = (await (
      await fetch(`${harness.idp.urls.issuer}/.well-known/openid-configuration`)
    ).json()) as Record<string, unknown>;
    const algorithms = Object.entries(metadata)
      .filter(([name]) => name.endsWith('_alg_values_supported'))
      .flatMap(([, values]) => values as string[]);
    expect(algorithms.length).toBeGreaterThan(0);
    expect(algorithms.filter((alg) => alg.startsWith('HS'))).toEqual([]);
    expect(metadata.token_endpoint_auth_methods_supported).not.toContain('client_secret_jwt');
  });

  it('refuses a registration with both a secret and a hash, or a malformed hash', async () => {
    const base = { appId: 'app-bad', partnerId: 'p', name: 'Bad' };
    const oidc = { clientId: 'bad-client', redirectUris: ['https://bad.example/cb'] };
    await expect(
      harness.idp.registerApp({
        ...base,
        oidc: { ...oidc, clientSecret: postSecret, clientSecretHash: hashClientSecret(postSecret) },
      }),
    ).rejects.toMatchObject({ code: 'SSO_OPTIONS_INVALID' });
    await expect(
      harness.idp.registerApp({ ...base, oidc: { ...oidc, clientSecretHash: 'sha256$short' } }),
    ).rejects.toMatchObject({ code: 'SSO_OPTIONS_INVALID' });
  });
});
