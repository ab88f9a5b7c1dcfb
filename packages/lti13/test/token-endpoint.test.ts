import { type CryptoKey, SignJWT } from 'jose';
import { fetch as undiciFetch } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { scopes } from '../src/claims/uris.ts';
import { generateSigningKey } from '../src/keys/generate-key.ts';
import { createLoopback, type Loopback } from './support/loopback.ts';

let loopback: Loopback | undefined;
afterEach(async () => {
  await loopback?.close();
  loopback = undefined;
});

async function assertion(
  setup: Loopback,
  claims: {
    iss?: string;
    sub?: string;
    aud?: string;
    exp?: number | null;
    iat?: number | null;
    jti?: string | null;
  } = {},
  key?: CryptoKey,
  kid?: string,
) {
  const signingKey = await setup.tool.keyRing.signingKey();
  const now = Math.floor(setup.clock.now().getTime() / 1000);
  const payload: Record<string, unknown> = {
    iss: claims.iss ?? setup.clientId,
    sub: claims.sub ?? setup.clientId,
    aud: claims.aud ?? setup.platform.urls.token,
  };
  if (claims.exp !== null) payload.exp = claims.exp ?? now + 300;
  if (claims.iat !== null) payload.iat = claims.iat ?? now;
  if (claims.jti !== null) payload.jti = claims.jti ?? `jti-${Math.random()}`;
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'RS256', kid: kid ?? signingKey.kid })
    .sign(key ?? signingKey.cryptoKey);
}

async function tokenRequest(setup: Loopback, fields: Record<string, string>) {
  const response = (await undiciFetch(setup.platform.urls.token, {
    method: 'POST',
    body: new URLSearchParams(fields),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  })) as unknown as Response;
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

const grant = (clientAssertion: string, scope: string = scopes.score) => ({
  grant_type: 'client_credentials',
  client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
  client_assertion: clientAssertion,
  scope,
});

describe('platform token endpoint (RFC 7523 client assertions)', () => {
  it('issues a Bearer token for a valid assertion', async () => {
    loopback = await createLoopback();
    const { status, body } = await tokenRequest(loopback, grant(await assertion(loopback)));
    expect(status).toBe(200);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: scopes.score });
    expect(body.access_token?.split('.')).toHaveLength(3);
  });

  it('refuses an assertion signed by a key the tool does not publish: invalid_client, LTI_CLIENT_ASSERTION_INVALID', async () => {
    loopback = await createLoopback();
    const intruder = await generateSigningKey({ now: loopback.clock.now() });
    const { importJWK } = await import('jose');
    const key = (await importJWK(intruder.privateJwk, 'RS256')) as CryptoKey;
    const { status, body } = await tokenRequest(loopback, grant(await assertion(loopback, {}, key)));
    expect(status).toBe(401);
    expect(body).toMatchObject({ error: 'invalid_client', code: 'LTI_CLIENT_ASSERTION_INVALID' });
  });

  it('refuses a replayed jti with LTI_CLIENT_ASSERTION_REPLAYED', async () => {
    loopback = await createLoopback();
    const signed = await assertion(loopback, { jti: 'once' });
    expect((await tokenRequest(loopback, grant(signed))).status).toBe(200);
    expect((await tokenRequest(loopback, grant(signed))).body.code).toBe('LTI_CLIENT_ASSERTION_REPLAYED');
  });

  it('refuses a wrong aud, a missing exp or iat (Blackboard needs both), a missing jti, and iss ≠ sub', async () => {
    loopback = await createLoopback();
    for (const claims of [
      { aud: 'https://elsewhere.example/token' },
      { exp: null },
      { iat: null },
      { jti: null },
      { iss: 'someone-else' },
    ]) {
      const { status, body } = await tokenRequest(loopback, grant(await assertion(loopback, claims)));
      expect(status, JSON.stringify(claims)).toBe(401);
      expect(body.code).toBe('LTI_CLIENT_ASSERTION_INVALID');
    }
  });

  it('refuses an expired assertion', async () => {
    loopback = await createLoopback();
    const now = Math.floor(loopback.clock.now().getTime() / 1000);
    const { body } = await tokenRequest(
      loopback,
      grant(await assertion(loopback, { iat: now - 600, exp: now - 300 })),
    );
    expect(body.code).toBe('LTI_CLIENT_ASSERTION_INVALID');
    expect(body.error_description).toContain('expired');
  });

  it('refuses another grant type with unsupported_grant_type, and an ungranted scope with invalid_scope', async () => {
    loopback = await createLoopback({ toolScopes: [scopes.score] });
    const other = await tokenRequest(loopback, {
      ...grant(await assertion(loopback)),
      grant_type: 'password',
    });
    expect(other).toMatchObject({
      status: 400,
      body: { error: 'unsupported_grant_type', code: 'LTI_GRANT_TYPE_UNSUPPORTED' },
    });
    const scope = await tokenRequest(
      loopback,
      grant(await assertion(loopback), `${scopes.score} ${scopes.membershipReadOnly}`),
    );
    expect(scope).toMatchObject({ status: 400, body: { error: 'invalid_scope', code: 'LTI_SCOPE_INVALID' } });
  });

  it('surfaces a refused token on the tool side as LTI_ACCESS_TOKEN_REFUSED', async () => {
    loopback = await createLoopback({ toolScopes: [scopes.score] });
    const registration = (await loopback.tool.registry.listRegistrations())[0]!;
    await expect(
      loopback.services.tokens.token(registration, [scopes.membershipReadOnly]),
    ).rejects.toMatchObject({ code: 'LTI_ACCESS_TOKEN_REFUSED' });
  });

  it('signs assertions for a D2L-style token audience when the registration names one', async () => {
    const audience = 'https://api.brightspace.com/auth/token';
    loopback = await createLoopback({ tokenAudience: audience, platform: { tokenAudiences: [audience] } });
    const registration = (await loopback.tool.registry.listRegistrations())[0]!;
    expect(await loopback.services.tokens.token(registration, [scopes.score])).toMatch(/\./);
    await loopback.close();
    loopback = await createLoopback({ tokenAudience: audience });
    const refused = (await loopback.tool.registry.listRegistrations())[0]!;
    await expect(loopback.services.tokens.token(refused, [scopes.score])).rejects.toMatchObject({
      code: 'LTI_ACCESS_TOKEN_REFUSED',
    });
  });
});

describe('platform service authorization and media types', () => {
  async function bearer(setup: Loopback, scope: string) {
    const registration = (await setup.tool.registry.listRegistrations())[0]!;
    return setup.services.tokens.token(registration, [scope]);
  }

  const lineItems = (setup: Loopback) => `${setup.platformOrigin}/lti/contexts/course-1/lineitems`;

  it('refuses a request without a token (401) and a token without the scope (403)', async () => {
    loopback = await createLoopback();
    const anonymous = (await undiciFetch(lineItems(loopback))) as unknown as Response;
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toContain('invalid_token');
    expect(((await anonymous.json()) as { code: string }).code).toBe('LTI_ACCESS_TOKEN_INVALID');
    const token = await bearer(loopback, scopes.score);
    const scoped = (await undiciFetch(lineItems(loopback), {
      headers: { authorization: `Bearer ${token}` },
    })) as unknown as Response;
    expect(scoped.status).toBe(403);
    expect(((await scoped.json()) as { code: string }).code).toBe('LTI_ACCESS_TOKEN_SCOPE_INSUFFICIENT');
  });

  it('answers with the exact AGS media types and refuses a body of the wrong one with 415', async () => {
    loopback = await createLoopback();
    const token = await bearer(loopback, scopes.lineItem);
    const wrong = (await undiciFetch(lineItems(loopback), {
      method: 'POST',
      body: JSON.stringify({ label: 'x', scoreMaximum: 1 }),
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    })) as unknown as Response;
    expect(wrong.status).toBe(415);
    expect(((await wrong.json()) as { code: string }).code).toBe('LTI_MEDIA_TYPE_UNSUPPORTED');
    const created = (await undiciFetch(lineItems(loopback), {
      method: 'POST',
      body: JSON.stringify({ label: 'x', scoreMaximum: 1 }),
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/vnd.ims.lis.v2.lineitem+json',
      },
    })) as unknown as Response;
    expect(created.status).toBe(201);
    expect(created.headers.get('content-type')).toBe('application/vnd.ims.lis.v2.lineitem+json');
    const list = (await undiciFetch(lineItems(loopback), {
      headers: { authorization: `Bearer ${token}` },
    })) as unknown as Response;
    expect(list.headers.get('content-type')).toBe('application/vnd.ims.lis.v2.lineitemcontainer+json');
    const invalid = (await undiciFetch(lineItems(loopback), {
      method: 'POST',
      body: JSON.stringify({ label: '', scoreMaximum: -1 }),
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/vnd.ims.lis.v2.lineitem+json',
      },
    })) as unknown as Response;
    expect(invalid.status).toBe(400);
    const body = (await invalid.json()) as { code: string; error_description: string };
    expect(body.code).toBe('LTI_REQUEST_BODY_INVALID');
    expect(body.error_description).toContain('scoreMaximum');
  });

  it('keeps each tool to its own line items', async () => {
    loopback = await createLoopback();
    await loopback.gradebook.saveLineItem({
      id: 'foreign',
      contextId: 'course-1',
      clientId: 'another-tool',
      label: 'Theirs',
      scoreMaximum: 5,
    });
    const token = await bearer(loopback, scopes.lineItem);
    const response = (await undiciFetch(`${lineItems(loopback)}/foreign`, {
      headers: { authorization: `Bearer ${token}` },
    })) as unknown as Response;
    expect(response.status).toBe(404);
    const list = (await undiciFetch(lineItems(loopback), {
      headers: { authorization: `Bearer ${token}` },
    })) as unknown as Response;
    expect(await list.json()).toEqual([]);
  });
});
