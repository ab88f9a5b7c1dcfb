import { createHash, createSign, generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { escapeHtml } from '@passport/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../src/audit/audit-log.ts';
import { createConsoleAccountStore } from '../src/console/accounts.ts';
import type { DemoAccount } from '../src/demo/demo-accounts.ts';
import { type HttpServer, listen } from '../src/http/http-server.ts';
import { guardedFetch } from '../src/http/outbound-guard.ts';
import { createSsoService } from '../src/identity/sso-service.ts';
import { createLogger } from '../src/logger.ts';
import { createRosterService } from '../src/roster/roster-service.ts';
import { loadSealingKey } from '../src/secrets/sealing-key.ts';
import { type RunningServer, startServer } from '../src/server.ts';
import { createTenantStore } from '../src/tenants/tenant-store.ts';
import { testConfig } from './support/config.ts';
import {
  dropSchema,
  explainUnreachable,
  postgresUrl,
  skipPostgres,
  uniqueSchema,
} from './support/postgres.ts';
import { signInOverHttp } from './support/sso-session.ts';
import { makeTempDir } from './support/temp-dir.ts';

/*
 * The district's sign-in methods in the console (`/console/districts/:tenant/sign-in`), on the server in demo mode
 * over the real PostgreSQL: adding an OpenID Connect provider (presets and any issuer), a SAML provider, badges and
 * a class's badge sheet, removing methods, every refusal with its message and code, who may open the pages, and a
 * real sign-in through an added OpenID provider (a small one on loopback) that ends in a Passport session.
 */

type Who = DemoAccount['role'] | 'other admin';
let server: RunningServer;
let folder: { path: string; remove: () => Promise<void> };
let schema: string;
const cookies = new Map<Who, string>();

// ── A district's OpenID provider on loopback: discovery, authorize (signs in `provider.user`), token, keys ──────

const clientId = 'passport-demo-district';
const clientSecret = `secret-${randomBytes(16).toString('hex')}`;
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const provider: {
  http?: HttpServer;
  user: { sub: string; email: string; email_verified: boolean };
  authorizeRequests: URLSearchParams[];
  codes: Map<string, { nonce: string; challenge: string; redirectUri: string }>;
} = { user: { sub: '', email: '', email_verified: true }, authorizeRequests: [], codes: new Map() };
const issuer = () => provider.http?.url.replace(/\/$/, '') ?? '';

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');
function idToken(claims: Record<string, unknown>): string {
  const input = `${base64url(JSON.stringify({ alg: 'RS256', kid: 'k1', typ: 'JWT' }))}.${base64url(JSON.stringify(claims))}`;
  return `${input}.${createSign('RSA-SHA256').update(input).sign(privateKey).toString('base64url')}`;
}

async function providerHandle(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const json = (body: unknown, status = 200) => Response.json(body, { status });
  if (url.pathname === '/.well-known/openid-configuration') {
    return json({
      issuer: issuer(),
      authorization_endpoint: `${issuer()}/authorize`,
      token_endpoint: `${issuer()}/token`,
      jwks_uri: `${issuer()}/jwks`,
    });
  }
  if (url.pathname === '/jwks') {
    return json({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'RS256', use: 'sig' }] });
  }
  if (url.pathname === '/authorize') {
    const query = url.searchParams;
    provider.authorizeRequests.push(query);
    if (query.get('client_id') !== clientId || query.get('code_challenge_method') !== 'S256') {
      return new Response('bad request', { status: 400 });
    }
    const code = randomBytes(16).toString('hex');
    provider.codes.set(code, {
      nonce: query.get('nonce') ?? '',
      challenge: query.get('code_challenge') ?? '',
      redirectUri: query.get('redirect_uri') ?? '',
    });
    const back = new URL(query.get('redirect_uri') ?? '');
    back.searchParams.set('code', code);
    back.searchParams.set('state', query.get('state') ?? '');
    return new Response(null, { status: 303, headers: { location: back.href } });
  }
  if (url.pathname === '/token' && request.method === 'POST') {
    const form = new URLSearchParams(await request.text());
    const basic = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
    if (request.headers.get('authorization') !== basic) return json({ error: 'invalid_client' }, 401);
    const grant = provider.codes.get(form.get('code') ?? '');
    provider.codes.delete(form.get('code') ?? '');
    const verifier = form.get('code_verifier') ?? '';
    if (
      grant === undefined ||
      grant.redirectUri !== form.get('redirect_uri') ||
      createHash('sha256').update(verifier).digest('base64url') !== grant.challenge
    ) {
      return json({ error: 'invalid_grant' }, 400);
    }
    const now = Math.floor(Date.now() / 1000);
    return json({
      token_type: 'Bearer',
      access_token: randomBytes(16).toString('hex'),
      id_token: idToken({
        iss: issuer(),
        aud: clientId,
        iat: now,
        exp: now + 300,
        nonce: grant.nonce,
        ...provider.user,
      }),
    });
  }
  return new Response('not found', { status: 404 });
}

// ── The server, its people, and helpers ────────────────────────────────────────────────────────────────────────

beforeAll(async () => {
  provider.http = await listen({ handler: providerHandle, host: '127.0.0.1', port: 0 });
  folder = await makeTempDir('passport-sign-in-');
  schema = uniqueSchema();
  try {
    server = await startServer({
      config: testConfig({ dataDir: folder.path, databaseUrl: postgresUrl, demo: true }),
      logger: createLogger({ level: 'silent' }),
      databaseSchema: schema,
    });
  } catch (error) {
    explainUnreachable(error);
  }
  for (const account of server.demo?.accounts ?? []) {
    const signedIn = await signInOverHttp(server.url, account);
    expect(signedIn.status, account.role).toBe(303);
    cookies.set(account.role, signedIn.cookie);
  }
  // A second district with its own admin.
  const token = await csrfOf('operator', '/console/districts');
  const created = await post('operator', '/console/districts', {
    _csrf: token,
    id: 'other',
    name: 'Other District',
  });
  expect(created.status).toBe(303);
  const added = await post('operator', '/console/districts/other/admins', {
    _csrf: await csrfOf('operator', '/console/districts/other'),
    displayName: 'Otto Admin',
    username: 'other-admin',
    password: 'other admin password 1',
  });
  expect(added.status).toBe(303);
  const other = await signInOverHttp(server.url, {
    district: 'other',
    username: 'other-admin',
    password: 'other admin password 1',
  });
  expect(other.status).toBe(303);
  cookies.set('other admin', other.cookie);
}, 240_000);

afterAll(async () => {
  await server?.close();
  await provider.http?.close({ deadlineMs: 1000 });
  if (schema !== undefined && !skipPostgres) {
    await dropSchema(schema);
    await dropSchema(`${schema}_pgboss`);
  }
  await folder?.remove();
});

const as = (who: Who, path: string, init: RequestInit = {}) =>
  fetch(`${server.url}${path}`, {
    ...init,
    redirect: 'manual',
    headers: { cookie: cookies.get(who) ?? '', ...(init.headers as Record<string, string> | undefined) },
  });

async function csrfOf(who: Who, path: string): Promise<string> {
  return /name="_csrf" value="([^"]+)"/.exec(await (await as(who, path)).text())?.[1] ?? '';
}

function post(who: Who, path: string, fields: Record<string, string> | [string, string][]) {
  return as(who, path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
    body: new URLSearchParams(fields),
  });
}

/** Posts a form of the district's sign-in page with a fresh CSRF token. */
async function submit(
  who: Who,
  tenant: string,
  form: string,
  fields: Record<string, string> | [string, string][],
): Promise<Response> {
  const token = await csrfOf(who, `/console/districts/${tenant}/sign-in`);
  const entries = Array.isArray(fields) ? fields : Object.entries(fields);
  return post(who, `/console/districts/${tenant}/sign-in/${form}`, [['_csrf', token], ...entries]);
}

interface StoredMethod {
  kind: string;
  id: string;
  issuer?: string;
  clientId?: string;
  clientSecret?: string;
  sealedClientSecret?: string;
  roles?: string[];
  match?: { claim: string; attribute: string }[];
  allowedEmailDomains?: string[];
  signingCertificates?: string[];
}

/** The district as sso-idp's table holds it, read with SQL (what the database really keeps). */
async function stored(tenant: string): Promise<{ text: string; methods: StoredMethod[] }> {
  const { rows } = await server.database.sql.query<{ district: unknown }>(
    'select district from sso_districts where district_id = $1',
    [tenant],
  );
  const value = rows[0]?.district;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return { text, methods: (JSON.parse(text) as { signInMethods: StoredMethod[] }).signInMethods };
}

const google = {
  provider: 'google',
  clientId: 'google-client.apps.example',
  clientSecret: 'google-secret-value-0123456789',
  claim1: 'email',
  attribute1: 'email',
};

async function rosterApi(path: string): Promise<Record<string, unknown>> {
  const credentials = server.demo?.credentials;
  if (credentials === undefined) throw new Error('no demo credentials');
  const token = (await (
    await fetch(`${server.url}/oauth/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    })
  ).json()) as { access_token: string };
  const response = await fetch(`${server.url}/ims/oneroster/v1p1${path}`, {
    headers: { authorization: `Bearer ${token.access_token}` },
  });
  expect(response.status, path).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

// ── The tests ──────────────────────────────────────────────────────────────────────────────────────────────────

describe.skipIf(skipPostgres)('the district sign-in page', () => {
  it('is in the district navigation of its admin and of operators, and lists the Passport password', async () => {
    for (const [who, path] of [
      ['district admin', '/console/districts/demo'],
      ['operator', '/console/districts/demo/roster'],
    ] as const) {
      const body = await (await as(who, path)).text();
      expect(body, who).toContain('<a href="/console/districts/demo/sign-in">Sign-in</a>');
    }
    const response = await as('district admin', '/console/districts/demo/sign-in');
    expect(response.status).toBe(200);
    const body = await response.text();
    expect(body).toContain('<h1>Springfield Demo District: sign-in</h1>');
    expect(body).toMatch(
      /<td>Passport password<br><code class="muted">password<\/code><\/td><td>Passport password<\/td>/,
    );
    // Labels and keyboard: every form control has a label, the buttons are real buttons.
    expect(body).toContain('<label>Client ID <input name="clientId"');
    expect(body).toContain('<label for="oidc-attribute1">matches roster attribute 1</label>');
  });

  it('refuses to remove the last way in for staff, and says why (SERVER_SIGN_IN_METHOD_REQUIRED)', async () => {
    const before = await stored('demo');
    const response = await submit('district admin', 'demo', 'remove', { method: 'password' });
    expect(response.status).toBe(409);
    const body = await response.text();
    expect(body).toContain('SERVER_SIGN_IN_METHOD_REQUIRED');
    expect(body).toContain(
      'Passport password cannot be removed: it is the district&#39;s last way in for staff',
    );
    expect((await stored('demo')).text).toBe(before.text);
  });

  it('adds Google with its issuer and shows the redirect URI to register; the secret is sealed in PostgreSQL', async () => {
    const response = await submit('district admin', 'demo', 'oidc', {
      ...google,
      domains: 'springfield.example',
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/console/districts/demo/sign-in');
    const body = await (await as('district admin', '/console/districts/demo/sign-in')).text();
    expect(body).toContain('Issuer <code>https://accounts.google.com</code>');
    expect(body).toContain(
      `Redirect URI <code>${server.url}/sso/signin/upstream/demo/google/callback</code>`,
    );
    expect(body).not.toContain(google.clientSecret);
    const method = (await stored('demo')).methods.find((item) => item.id === 'google');
    expect(method).toMatchObject({
      kind: 'oidc',
      issuer: 'https://accounts.google.com',
      clientId: google.clientId,
      match: [{ claim: 'email', attribute: 'email' }],
      allowedEmailDomains: ['@springfield.example'],
    });
    expect(method?.clientSecret).toBeUndefined();
    expect(method?.sealedClientSecret).toMatch(/^v1\./);
    expect((await stored('demo')).text).not.toContain(google.clientSecret);
    // The sign-in page now offers it.
    const signIn = await (await fetch(`${server.url}/sso/signin?district=demo`)).text();
    expect(signIn).toContain('id="upstream-google"');
  });

  it('adds Microsoft Entra ID from its directory id', async () => {
    const directory = '11111111-2222-3333-4444-555555555555';
    const response = await submit('operator', 'demo', 'oidc', {
      ...google,
      provider: 'microsoft',
      directory,
      clientId: 'entra-client',
    });
    expect(response.status).toBe(303);
    expect((await stored('demo')).methods.find((item) => item.id === 'microsoft')).toMatchObject({
      kind: 'oidc',
      issuer: `https://login.microsoftonline.com/${directory}/v2.0`,
      clientId: 'entra-client',
    });
  });

  it('refuses the Passport password while the district has console admins, and says why', async () => {
    const response = await submit('district admin', 'demo', 'remove', { method: 'password' });
    expect(response.status).toBe(409);
    const body = await response.text();
    expect(body).toContain('SERVER_SIGN_IN_METHOD_REQUIRED');
    expect(body).toContain('the district&#39;s 1 console admin sign in with a Passport password');
    expect((await stored('demo')).methods.some((item) => item.kind === 'password')).toBe(true);
  });

  it.each([
    [
      'a bad issuer URL',
      { ...google, provider: 'other', issuer: 'ftp://idp.example.org', name: 'Broken' },
      'Issuer URL: must be an https address (got &quot;ftp://idp.example.org&quot;).',
      'name="issuer" type="url" value="ftp://idp.example.org" placeholder="https://idp.example.org" aria-invalid="true" aria-describedby="oidc-problem" autofocus',
    ],
    [
      'an issuer that is not a URL',
      { ...google, provider: 'other', issuer: 'idp dot example', name: 'Broken' },
      'Issuer URL: &quot;idp dot example&quot; is not a URL',
      'aria-invalid="true"',
    ],
    [
      'a missing client id',
      { ...google, clientId: '' },
      'Client ID: is required.',
      'name="clientId" required',
    ],
    [
      'Entra ID’s multi-tenant “common”',
      { ...google, provider: 'microsoft', directory: 'common' },
      'Directory (tenant) ID: must be your organization&#39;s GUID (such as 0a1b2c3d-…), not &quot;common&quot;, which signs in any Microsoft account.',
      'name="directory" value="common"',
    ],
    [
      'an Entra ID directory given by its domain',
      { ...google, provider: 'microsoft', directory: 'springfield.onmicrosoft.com' },
      'Directory (tenant) ID: must be your organization&#39;s GUID (such as 0a1b2c3d-…), not &quot;springfield.onmicrosoft.com&quot;.',
      'name="directory" value="springfield.onmicrosoft.com"',
    ],
    [
      'a bad email domain',
      { ...google, domains: 'springfield.example, not a domain' },
      'Allowed email domains: &quot;not&quot; is not a domain name',
      'name="domains" value="springfield.example, not a domain"',
    ],
    [
      'a claim that is no claim name',
      { ...google, claim1: 'e mail' },
      'Claim 1: &quot;e mail&quot; is not a claim name',
      'name="claim1" value="e mail"',
    ],
  ])(
    'answers the OpenID form again for %s, naming the field, and changes nothing (SERVER_SIGN_IN_METHOD_INVALID)',
    async (_case, fields, message, echoed) => {
      const before = await stored('demo');
      const response = await submit('district admin', 'demo', 'oidc', fields);
      expect(response.status).toBe(400);
      const body = await response.text();
      expect(body).toContain('id="oidc-problem"');
      expect(body).toContain('SERVER_SIGN_IN_METHOD_INVALID');
      expect(body).toContain(message);
      expect(body).toContain(echoed);
      expect(body).not.toContain(google.clientSecret);
      expect((await stored('demo')).text).toBe(before.text);
    },
  );

  it('adds a SAML provider with a checked certificate, shows the SP details and serves the SP metadata', async () => {
    const certificate = await readFile(
      new URL('./__fixtures__/upstream-saml-idp.crt', import.meta.url),
      'utf8',
    );
    const fields = {
      name: 'District ADFS',
      entityId: 'https://adfs.springfield.example/adfs/services/trust',
      ssoUrl: 'https://adfs.springfield.example/adfs/ls/',
      certificate,
      claim1: 'nameid',
      attribute1: 'email',
      claim2: 'employeeID',
      attribute2: 'sisId',
    };
    const before = await stored('demo');
    for (const [bad, message] of [
      ['not a certificate', 'Signing certificate: paste the certificate in PEM form'],
      [
        '-----BEGIN CERTIFICATE-----\nMIIBroken==\n-----END CERTIFICATE-----',
        'Signing certificate: the text is not a valid X.509 certificate.',
      ],
    ] as const) {
      const refused = await submit('district admin', 'demo', 'saml', { ...fields, certificate: bad });
      expect(refused.status).toBe(400);
      const body = await refused.text();
      expect(body).toContain('SERVER_SIGN_IN_METHOD_INVALID');
      expect(body).toContain(message);
      expect(body).toContain('value="https://adfs.springfield.example/adfs/services/trust"');
    }
    expect((await stored('demo')).text).toBe(before.text);

    const response = await submit('district admin', 'demo', 'saml', fields);
    expect(response.status).toBe(303);
    const method = (await stored('demo')).methods.find((item) => item.id === 'district-adfs');
    expect(method).toMatchObject({
      kind: 'saml',
      match: [
        { claim: 'nameid', attribute: 'email' },
        { claim: 'employeeID', attribute: 'sisId' },
      ],
    });
    expect(method?.signingCertificates?.[0]).toBe(certificate.trim());
    const page = await (await as('district admin', '/console/districts/demo/sign-in')).text();
    const entity = `${server.url}/sso/signin/upstream/demo/district-adfs`;
    expect(page).toContain(`Entity ID <code>${entity}</code>`);
    expect(page).toContain(`ACS URL (HTTP-POST) <code>${entity}/callback</code>`);
    expect(page).toContain('matches <code>nameid</code> → email, then <code>employeeID</code> → sisId');
    const metadata = await as(
      'district admin',
      '/console/districts/demo/sign-in/saml/district-adfs/metadata',
    );
    expect(metadata.status).toBe(200);
    const xml = await metadata.text();
    expect(xml).toContain(`entityID="${entity}"`);
    expect(xml).toContain(`Location="${entity}/callback"`);
    // The sign-in button starts a SAML request to the district's IdP.
    const start = await fetch(`${server.url}/sso/signin/upstream/demo/district-adfs`, { redirect: 'manual' });
    expect(start.status).toBe(303);
    expect(start.headers.get('location')).toMatch(
      /^https:\/\/adfs\.springfield\.example\/adfs\/ls\/\?SAMLRequest=/,
    );
  });

  it('turns badges on for chosen roles, prints a demo class’s sheet with one badge per student, and off again', async () => {
    const none = await submit('district admin', 'demo', 'badges', { action: 'on' });
    expect(none.status).toBe(400);
    expect(await none.text()).toContain('Roles that may hold a badge: choose at least one.');
    expect((await stored('demo')).methods.some((item) => item.kind === 'badge')).toBe(false);

    const on = await submit('district admin', 'demo', 'badges', [
      ['action', 'on'],
      ['role', 'student'],
    ]);
    expect(on.status).toBe(303);
    expect((await stored('demo')).methods.find((item) => item.kind === 'badge')?.roles).toEqual(['student']);
    expect(await (await fetch(`${server.url}/sso/signin?district=demo`)).text()).toContain(
      'id="badge-signin"',
    );

    const unknown = await submit('district admin', 'demo', 'badge-sheet', { classId: 'no-such-class' });
    expect(unknown.status).toBe(400);
    const unknownBody = await unknown.text();
    expect(unknownBody).toContain('SERVER_SIGN_IN_METHOD_INVALID');
    expect(unknownBody).toContain('Class: this district has no class &quot;no-such-class&quot;.');

    const { classes } = (await rosterApi('/classes?limit=1')) as {
      classes: { sourcedId: string; title: string }[];
    };
    const demoClass = classes[0];
    if (demoClass === undefined) throw new Error('the demo has no class');
    const { users: students } = (await rosterApi(`/classes/${demoClass.sourcedId}/students?limit=1000`)) as {
      users: { sourcedId: string }[];
    };
    expect(students.length).toBeGreaterThan(0);
    const sheet = await submit('district admin', 'demo', 'badge-sheet', { classId: demoClass.sourcedId });
    expect(sheet.status).toBe(200);
    const body = await sheet.text();
    const badges = [...body.matchAll(/<figure class="badge" data-user-id="([^"]+)"/g)].map(
      (match) => match[1],
    );
    expect(badges.sort()).toEqual(students.map((student) => `roster:demo:${student.sourcedId}`).sort());
    expect(body.match(/<svg/g)?.length).toBe(students.length);

    const off = await submit('district admin', 'demo', 'badges', { action: 'off' });
    expect(off.status).toBe(303);
    expect((await stored('demo')).methods.some((item) => item.kind === 'badge')).toBe(false);
    const afterOff = await submit('district admin', 'demo', 'badge-sheet', { classId: demoClass.sourcedId });
    expect(afterOff.status).toBe(400);
    expect(await afterOff.text()).toContain('Badges are off: turn them on before printing a sheet.');
  });

  it('removes a method the district can do without', async () => {
    const response = await submit('district admin', 'demo', 'remove', { method: 'microsoft' });
    expect(response.status).toBe(303);
    expect((await stored('demo')).methods.map((item) => item.id)).not.toContain('microsoft');
  });

  it('lets a district without console admins drop the password for its provider, and a later sync keeps that', async () => {
    const token = await csrfOf('operator', '/console/districts');
    expect(
      (await post('operator', '/console/districts', { _csrf: token, id: 'federated', name: 'Federated' }))
        .status,
    ).toBe(303);
    expect((await submit('operator', 'federated', 'oidc', google)).status).toBe(303);
    const removed = await submit('operator', 'federated', 'remove', { method: 'password' });
    expect(removed.status).toBe(303);
    expect((await stored('federated')).methods.map((item) => item.kind)).toEqual(['oidc']);
    const last = await submit('operator', 'federated', 'remove', { method: 'google' });
    expect(last.status).toBe(409);
    expect(await last.text()).toContain(
      'Google cannot be removed: it is the district&#39;s last way in for staff',
    );
    // Creating another district runs syncDistricts(): it must not put the password back.
    const again = await csrfOf('operator', '/console/districts');
    expect(
      (await post('operator', '/console/districts', { _csrf: again, id: 'later', name: 'Later' })).status,
    ).toBe(303);
    expect((await stored('federated')).methods.map((item) => item.kind)).toEqual(['oidc']);
    expect((await stored('later')).methods.map((item) => item.kind)).toEqual(['password']);
  });
  it('keeps both of two changes posted at once, and never lets two removals take the last way in for staff', async () => {
    const token = await csrfOf('operator', '/console/districts');
    expect(
      (await post('operator', '/console/districts', { _csrf: token, id: 'busy', name: 'Busy' })).status,
    ).toBe(303);
    // Each change is saved over the district it read; the later one is redone on what the earlier one stored.
    const added = await Promise.all([
      submit('operator', 'busy', 'oidc', google),
      submit('operator', 'busy', 'badges', [
        ['action', 'on'],
        ['role', 'student'],
      ]),
    ]);
    expect(added.map((response) => response.status)).toEqual([303, 303]);
    expect((await stored('busy')).methods.map((item) => item.kind).sort()).toEqual([
      'badge',
      'oidc',
      'password',
    ]);
    // Two removals at once, each of one of the two ways in for staff: one is made, the other refused on what is left.
    const removed = await Promise.all([
      submit('operator', 'busy', 'remove', { method: 'password' }),
      submit('operator', 'busy', 'remove', { method: 'google' }),
    ]);
    expect(removed.map((response) => response.status).sort()).toEqual([303, 409]);
    const refused = await (removed.find((response) => response.status === 409) as Response).text();
    expect(refused).toContain('SERVER_SIGN_IN_METHOD_REQUIRED');
    const staff = (await stored('busy')).methods.filter(
      (item) => item.kind === 'password' || item.kind === 'oidc',
    );
    expect(staff).toHaveLength(1);
  });

  it('records each change in the audit log with who made it, never the secret', async () => {
    const entries = await listAudit(server.database.db, { tenantId: 'demo', limit: 500 });
    const actions = entries
      .filter((entry) => entry.action.startsWith('signin.'))
      .map((entry) =>
        `${entry.actor} ${entry.action} ${(entry.detail as { methodId?: string }).methodId ?? ''}`.trim(),
      );
    expect(actions.reverse()).toEqual([
      'console:district-admin signin.method-added google',
      'console:operator signin.method-added microsoft',
      'console:district-admin signin.method-added district-adfs',
      'console:district-admin signin.badges-on',
      'console:district-admin signin.badge-sheet-printed',
      'console:district-admin signin.badges-off',
      'console:district-admin signin.method-removed microsoft',
    ]);
    expect(JSON.stringify(entries)).not.toContain(google.clientSecret);
  });

  it('opens for a district made outside the console while the server runs (it becomes an SSO district)', async () => {
    await createTenantStore({ db: server.database.db }).create(
      { id: 'from-cli', name: 'From the CLI' },
      'test',
    );
    const response = await as('operator', '/console/districts/from-cli/sign-in');
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<td>Passport password<br>');
  });
});

describe.skipIf(skipPostgres)('who may change a district’s sign-in', () => {
  it.each([
    ['other admin', '/console/districts/demo/sign-in'],
    ['partner developer', '/console/districts/demo/sign-in'],
    ['teacher', '/console/districts/demo/sign-in'],
    ['district admin', '/console/districts/other/sign-in'],
    ['other admin', '/console/districts/demo/sign-in/saml/district-adfs/metadata'],
  ] as const)('%s cannot open %s (SERVER_FORBIDDEN)', async (who, path) => {
    const response = await as(who, path);
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('SERVER_FORBIDDEN');
  });

  it('refuses another district’s admin and a partner developer posting to the district, and changes nothing', async () => {
    const before = await stored('demo');
    for (const who of ['other admin', 'partner developer'] as const) {
      const token = await csrfOf(who, '/console');
      const response = await post(who, '/console/districts/demo/sign-in/oidc', { _csrf: token, ...google });
      expect(response.status, who).toBe(403);
      expect(await response.text(), who).toContain('SERVER_FORBIDDEN');
      const removal = await post(who, '/console/districts/demo/sign-in/remove', {
        _csrf: token,
        method: 'google',
      });
      expect(removal.status, who).toBe(403);
    }
    expect((await stored('demo')).text).toBe(before.text);
  });

  it('answers 404 for a district that does not exist (SERVER_TENANT_NOT_FOUND)', async () => {
    const response = await as('operator', '/console/districts/nowhere/sign-in');
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('SERVER_TENANT_NOT_FOUND');
  });

  it('refuses a form without its CSRF token (SERVER_CSRF_INVALID)', async () => {
    const before = await stored('demo');
    const response = await post('district admin', '/console/districts/demo/sign-in/oidc', google);
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('SERVER_CSRF_INVALID');
    expect((await stored('demo')).text).toBe(before.text);
  });
});

/** A browser: follows nothing by itself, keeps cookies per origin. */
class Browser {
  readonly #jars = new Map<string, Map<string, string>>();

  async request(url: string): Promise<Response> {
    const origin = new URL(url).origin;
    const jar = this.#jars.get(origin) ?? new Map<string, string>();
    this.#jars.set(origin, jar);
    const response = await fetch(url, {
      redirect: 'manual',
      headers: { cookie: [...jar].map(([name, value]) => `${name}=${value}`).join('; ') },
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1);
      if (/max-age=0/i.test(line) || value === '') jar.delete(name);
      else jar.set(name, value);
    }
    return response;
  }
}

describe.skipIf(skipPostgres)('signing in through an OpenID provider added in the console', () => {
  let student: { sourcedId: string; givenName: string; familyName: string; email: string };

  beforeAll(async () => {
    const { users } = (await rosterApi('/students?limit=50')) as {
      users: { sourcedId: string; givenName: string; familyName: string; email: string }[];
    };
    const found = users.find((user) => typeof user.email === 'string' && user.email.includes('@'));
    if (found === undefined) throw new Error('no demo student with an email');
    student = found;
    const domain = student.email.slice(student.email.lastIndexOf('@') + 1);
    const added = await submit('district admin', 'demo', 'oidc', {
      provider: 'other',
      issuer: issuer(),
      name: 'District Login',
      clientId,
      clientSecret,
      domains: domain,
      claim1: 'email',
      attribute1: 'email',
    });
    expect(added.status).toBe(303);
  });

  /** From the district's sign-in page to the provider and back; the provider signs in `email`. */
  async function signInAs(email: string) {
    provider.user = { sub: `sub-${email}`, email, email_verified: true };
    const browser = new Browser();
    const page = await browser.request(`${server.url}/sso/signin?district=demo&return_to=%2Fsso%2Fportal`);
    const href = /id="upstream-district-login" href="([^"]+)"/
      .exec(await page.text())?.[1]
      ?.replaceAll('&amp;', '&');
    expect(href).toBeDefined();
    const start = await browser.request(new URL(href ?? '', server.url).href);
    expect(start.status).toBe(303);
    const authorize = new URL(start.headers.get('location') ?? '');
    expect(authorize.origin).toBe(issuer());
    const atProvider = await browser.request(authorize.href);
    expect(atProvider.status).toBe(303);
    const callback = await browser.request(atProvider.headers.get('location') ?? '');
    return { browser, authorize, callback };
  }

  it('sends the user to the provider with the redirect URI the console showed, and a roster email gets a session', async () => {
    const { browser, authorize, callback } = await signInAs(student.email);
    const redirectUri = `${server.url}/sso/signin/upstream/demo/district-login/callback`;
    expect(authorize.searchParams.get('redirect_uri')).toBe(redirectUri);
    expect(authorize.searchParams.get('client_id')).toBe(clientId);
    const consolePage = await (await as('district admin', '/console/districts/demo/sign-in')).text();
    expect(consolePage).toContain(`Redirect URI <code>${redirectUri}</code>`);
    expect(callback.status).toBe(303);
    expect(callback.headers.get('location')).toBe('/sso/portal');
    const portal = await browser.request(`${server.url}/sso/portal`);
    expect(portal.status).toBe(200);
    expect(await portal.text()).toContain(
      `Hello, ${escapeHtml(`${student.givenName} ${student.familyName}`)}`,
    );
  });

  it('outside demo mode the same provider on a private address is never called (the outbound guard)', async () => {
    const sealingKey = await loadSealingKey({ environment: {}, dataDir: folder.path });
    const guarded = guardedFetch();
    const ssoWith = (fetch?: typeof globalThis.fetch) =>
      createSsoService({
        database: server.database,
        roster: createRosterService({ database: server.database, sealingKey, recordUsage: false }),
        accounts: createConsoleAccountStore({ db: server.database.db }),
        sealingKey,
        publicUrl: () => server.url,
        logger: createLogger({ level: 'silent' }),
        ...(fetch === undefined ? {} : { fetch }),
      });
    const startUrl = `${server.url}/sso/signin/upstream/demo/district-login?return_to=%2Fsso%2Fportal`;
    // The control: the same SSO without the guard goes to the provider.
    const open = await ssoWith().idp().handle(new Request(startUrl));
    expect(open.status).toBe(303);
    expect(open.headers.get('location')).toContain(issuer());
    const before = provider.authorizeRequests.length;
    const start = await ssoWith((input, init) => guarded(new Request(input, init)))
      .idp()
      .handle(new Request(startUrl));
    expect(start.status).toBeGreaterThanOrEqual(400);
    expect(start.headers.get('location') ?? '').not.toContain(issuer());
    expect(provider.authorizeRequests.length).toBe(before);
  });

  it('refuses someone the roster does not know (SSO_ROSTER_NO_MATCH), with no session', async () => {
    const domain = student.email.slice(student.email.lastIndexOf('@'));
    const { browser, callback } = await signInAs(`nobody-${randomBytes(4).toString('hex')}${domain}`);
    expect(callback.status).toBe(403);
    expect(await callback.text()).toContain('SSO_ROSTER_NO_MATCH');
    const portal = await browser.request(`${server.url}/sso/portal`);
    expect(portal.status).not.toBe(200);
  });
});
