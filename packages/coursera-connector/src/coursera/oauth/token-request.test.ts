import { describe, expect, it } from 'vitest';
import { buildTokenRequest, processTokenResponse } from './token-request.ts';

const credentials = { accountsUrl: 'https://accounts.coursera.org', clientId: 'id', clientSecret: 'secret' };
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status });

describe('token request', () => {
  it('posts a form to /oauth2/v1/token with the refresh grant', async () => {
    const request = buildTokenRequest(credentials, { grantType: 'refresh_token', refreshToken: 'r1' });
    expect(request.url).toBe('https://accounts.coursera.org/oauth2/v1/token');
    expect(request.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
    const form = new URLSearchParams(await request.text());
    expect(Object.fromEntries(form)).toEqual({
      grant_type: 'refresh_token',
      client_id: 'id',
      client_secret: 'secret',
      refresh_token: 'r1',
    });
  });

  it('reads a grant', async () => {
    const grant = await processTokenResponse(
      json({ access_token: 'a', token_type: 'Bearer', expires_in: 1800, refresh_token: 'r' }),
      'authorization_code',
    );
    expect(grant).toEqual({ accessToken: 'a', expiresInSeconds: 1800, refreshToken: 'r', scope: undefined });
  });

  it('turns invalid_grant on a refresh into COURSERA_CONSENT_REQUIRED', async () => {
    await expect(
      processTokenResponse(json({ error: 'invalid_grant' }, 400), 'refresh_token'),
    ).rejects.toMatchObject({
      code: 'COURSERA_CONSENT_REQUIRED',
      specError: 'invalid_grant',
    });
  });

  it('turns invalid_grant on a code exchange into COURSERA_AUTHORIZATION_FAILED', async () => {
    await expect(
      processTokenResponse(json({ error: 'invalid_grant' }, 400), 'authorization_code'),
    ).rejects.toMatchObject({ code: 'COURSERA_AUTHORIZATION_FAILED' });
  });

  it('turns invalid_client into COURSERA_UNAUTHORIZED and a bad shape into COURSERA_BAD_RESPONSE', async () => {
    await expect(
      processTokenResponse(json({ error: 'invalid_client' }, 401), 'refresh_token'),
    ).rejects.toMatchObject({
      code: 'COURSERA_UNAUTHORIZED',
    });
    await expect(processTokenResponse(json({ access_token: 'a' }), 'refresh_token')).rejects.toMatchObject({
      code: 'COURSERA_BAD_RESPONSE',
    });
  });
});
