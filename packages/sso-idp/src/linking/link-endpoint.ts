import { checkAppAccess } from '../apps/check-grant.ts';
import type { SsoContext } from '../context.ts';
import { SsoError } from '../errors.ts';
import type { OpenIdProvider } from '../oidc/openid-provider.ts';

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  Response.json(body, { status, headers: { 'cache-control': 'no-store', ...headers } });

const oauthError = (status: number, error: string, description: string) =>
  json(
    status,
    { error, error_description: description },
    status === 401
      ? { 'www-authenticate': `Bearer error="${error}", error_description="${description}"` }
      : {},
  );

/**
 * Account linking with learning platforms, `/links`: on a person's first sign-on an app either links the account
 * it already has for them (after verifying it, `method: "verified"`) or creates one from the roster claims
 * (`"created"`), and tells Passport with the access token it just received. The link is stored, released to the
 * app as `linked_account_id` at every later sign-on, and read by grade sync (`AccountLinkStore.find`).
 *
 * `PUT /links` `{ "external_account_id": "...", "method": "verified" | "created" }`, `GET /links`, `DELETE /links`,
 * each with `Authorization: Bearer <access token>`.
 */
export async function handleLinks(
  sso: SsoContext,
  oidc: OpenIdProvider,
  request: Request,
): Promise<Response> {
  const authorization = request.headers.get('authorization') ?? '';
  const token = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
  if (token === undefined) return oauthError(401, 'invalid_token', 'A bearer access token is required.');
  const owner = await oidc.accessTokenOwner(token);
  if (owner === undefined) return oauthError(401, 'invalid_token', 'The access token is not valid.');
  const app = await sso.apps.findAppByClientId(owner.clientId);
  if (app === undefined) return oauthError(401, 'invalid_token', 'The access token is not valid.');
  const decision = await checkAppAccess(sso, owner.accountId, app.appId);
  if (!decision.allowed) {
    const refusal = new SsoError(decision.code);
    return json(refusal.status, {
      error: refusal.specError,
      error_description: refusal.title,
      code: refusal.code,
    });
  }
  const userId = owner.accountId;

  if (request.method === 'GET') {
    const link = await sso.links.find(userId, app.appId);
    return link === undefined
      ? json(404, { error: 'not_found', error_description: 'No account is linked.' })
      : json(200, {
          external_account_id: link.externalAccountId,
          method: link.method,
          linked_at: link.linkedAt,
        });
  }
  if (request.method === 'DELETE') {
    const removed = await sso.links.remove(userId, app.appId);
    if (removed)
      await sso.audit({
        type: 'link.removed',
        userId,
        appId: app.appId,
        districtId: decision.user.districtId,
      });
    return new Response(null, { status: 204 });
  }
  if (request.method !== 'PUT' && request.method !== 'POST')
    return json(405, { error: 'method_not_allowed' });
  let body: Record<string, unknown>;
  try {
    body = (await request.json()) as Record<string, unknown>;
  } catch {
    return json(400, { error: 'invalid_request', error_description: 'Expected a JSON body.' });
  }
  const externalAccountId = body.external_account_id;
  const method = body.method;
  if (typeof externalAccountId !== 'string' || externalAccountId === '' || externalAccountId.length > 255) {
    return json(400, {
      error: 'invalid_request',
      error_description: 'external_account_id must be a string.',
    });
  }
  if (method !== 'verified' && method !== 'created') {
    return json(400, {
      error: 'invalid_request',
      error_description: 'method must be "verified" or "created".',
    });
  }
  const taken = await sso.links.findByExternalAccount(app.appId, externalAccountId);
  if (taken !== undefined && taken.userId !== userId) {
    return json(409, { error: 'conflict', error_description: 'That account is linked to another person.' });
  }
  await sso.links.save({ userId, appId: app.appId, externalAccountId, method, linkedAt: sso.clock.now() });
  await sso.audit({
    type: 'link.created',
    userId,
    appId: app.appId,
    districtId: decision.user.districtId,
    detail: { method },
  });
  return json(200, { external_account_id: externalAccountId, method });
}
