import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoAccount } from '../src/demo/demo-accounts.ts';
import { createLogger } from '../src/logger.ts';
import { type RunningServer, startServer } from '../src/server.ts';
import { testConfig } from './support/config.ts';
import { seedMigratedDatabase } from './support/pglite-template.ts';
import { signInOverHttp } from './support/sso-session.ts';
import { makeTempDir } from './support/temp-dir.ts';

/* Who may open which console page, and what a form needs: tenancy, roles and CSRF fail closed. */
let server: RunningServer;
let folder: { path: string; remove: () => Promise<void> };
const cookies = new Map<DemoAccount['role'], string>();

beforeAll(async () => {
  folder = await makeTempDir('passport-console-');
  await seedMigratedDatabase(join(folder.path, 'data'));
  server = await startServer({
    config: testConfig({ dataDir: join(folder.path, 'data'), demo: true }),
    logger: createLogger({ level: 'silent' }),
  });
  for (const account of server.demo?.accounts ?? []) {
    const signedIn = await signInOverHttp(server.url, account);
    expect(signedIn.status, account.role).toBe(303);
    expect(signedIn.location, account.role).toBe('/console');
    cookies.set(account.role, signedIn.cookie);
  }
}, 180_000);

afterAll(async () => {
  await server?.close();
  await folder?.remove();
});

const as = (role: DemoAccount['role'], path: string, init: RequestInit = {}) =>
  fetch(`${server.url}${path}`, {
    ...init,
    redirect: 'manual',
    headers: { cookie: cookies.get(role) ?? '', ...(init.headers as Record<string, string> | undefined) },
  });

const csrfOf = async (role: DemoAccount['role'], path: string) =>
  /name="_csrf" value="([^"]+)"/.exec(await (await as(role, path)).text())?.[1] ?? '';

const post = (role: DemoAccount['role'], path: string, fields: Record<string, string>, origin = server.url) =>
  as(role, path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
    body: new URLSearchParams(fields),
  });

describe('console sign-in', () => {
  it('sends someone not signed in to sign-in, back to the page they asked for', async () => {
    const response = await fetch(`${server.url}/console/districts/demo/roster?type=classes`, {
      redirect: 'manual',
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(
      `/console/signin?return_to=${encodeURIComponent('/console/districts/demo/roster?type=classes')}`,
    );
    const signin = await fetch(`${server.url}${response.headers.get('location')}`, { redirect: 'manual' });
    expect(signin.headers.get('location')).toBe(
      `/sso/signin?return_to=${encodeURIComponent('/console/districts/demo/roster?type=classes')}`,
    );
  });

  it('never returns to another site after sign-in', async () => {
    for (const target of ['https://evil.example/console', '//evil.example/console', '/elsewhere']) {
      const response = await fetch(`${server.url}/console/signin?return_to=${encodeURIComponent(target)}`, {
        redirect: 'manual',
      });
      expect(response.headers.get('location'), target).toBe('/sso/signin?return_to=%2Fconsole');
    }
  });

  it('lands each role on its home page', async () => {
    const homes: [DemoAccount['role'], string][] = [
      ['operator', '/console/districts'],
      ['district admin', '/console/districts/demo'],
      ['partner developer', '/console/partners/northwind'],
    ];
    for (const [role, home] of homes) {
      const response = await as(role, '/console');
      expect(response.headers.get('location'), role).toBe(home);
    }
  });

  it('tells a student signed in to Passport that the console is not for them', async () => {
    const response = await as('student', '/console');
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('/sso/portal');
    expect((await as('student', '/console/districts/demo')).status).toBe(403);
  });
});

describe('the demo LMS address printed in the banner', () => {
  it('leads to its sign-in, with or without the trailing slash (it used to redirect to itself)', async () => {
    for (const path of ['/demo-lms', '/demo-lms/']) {
      const response = await fetch(`${server.url}${path}`, { redirect: 'manual' });
      expect(response.status, path).toBe(303);
      expect(response.headers.get('location'), path).toBe('/demo-lms/sign-in');
    }
  });
});

describe('tenancy and roles', () => {
  it.each([
    ['district admin', '/console/districts'],
    ['district admin', '/console/districts/other'],
    ['district admin', '/console/partners/northwind'],
    ['district admin', '/console/operations'],
    ['partner developer', '/console/districts/demo'],
    ['partner developer', '/console/districts/demo/apps'],
    ['partner developer', '/console/partners/someone-else'],
    ['teacher', '/console/districts/demo/roster'],
  ] as const)('%s cannot open %s (SERVER_FORBIDDEN)', async (role, path) => {
    const response = await as(role, path);
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('SERVER_FORBIDDEN');
  });

  it('lets the operator open any district and partner', async () => {
    for (const path of ['/console/districts/demo', '/console/partners/northwind', '/console/operations']) {
      expect((await as('operator', path)).status, path).toBe(200);
    }
  });
});

describe('forms', () => {
  it('refuses a form without its CSRF token, or posted from another site (SERVER_CSRF_INVALID)', async () => {
    const token = await csrfOf('district admin', '/console/districts/demo/apps');
    expect(token).not.toBe('');
    const fields = { action: 'invite', partner: 'northwind', scope: 'roster-core.readonly' };
    const missing = await post('district admin', '/console/districts/demo/apps', fields);
    expect(missing.status).toBe(403);
    expect(await missing.text()).toContain('SERVER_CSRF_INVALID');
    const forged = await post('district admin', '/console/districts/demo/apps', {
      ...fields,
      _csrf: 'x'.repeat(43),
    });
    expect(forged.status).toBe(403);
    const crossSite = await post(
      'district admin',
      '/console/districts/demo/apps',
      { ...fields, _csrf: token },
      'https://evil.example',
    );
    expect(crossSite.status).toBe(403);
    // Another person's token does not work either.
    const operatorToken = await csrfOf('operator', '/console/districts');
    const borrowed = await post('district admin', '/console/districts/demo/apps', {
      ...fields,
      _csrf: operatorToken,
    });
    expect(borrowed.status).toBe(403);

    const accepted = await post('district admin', '/console/districts/demo/apps', {
      ...fields,
      _csrf: token,
    });
    expect(accepted.status).toBe(303);
    const apps = await (await as('district admin', '/console/districts/demo/apps')).text();
    expect(apps).toMatch(/Northwind Reading[\s\S]*?<span class="status invited">invited<\/span>/);
  });

  it('refuses scopes that are not OneRoster scopes, and a grant beyond what was asked (SERVER_ACCESS_INVALID)', async () => {
    const token = await csrfOf('operator', '/console/partners');
    expect(
      (
        await post('operator', '/console/partners', {
          _csrf: token,
          id: 'acme',
          name: 'Acme',
          appName: 'Acme Math',
        })
      ).status,
    ).toBe(303);
    const partnerToken = await csrfOf('operator', '/console/partners/acme');
    const unknown = await post('operator', '/console/partners/acme/access', {
      _csrf: partnerToken,
      action: 'request',
      tenant: 'demo',
      scope: 'everything',
    });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('SERVER_ACCESS_INVALID');
    const requested = await post('operator', '/console/partners/acme/access', {
      _csrf: partnerToken,
      action: 'request',
      tenant: 'demo',
      scope: 'roster-core.readonly',
    });
    expect(requested.status).toBe(303);
    const districtToken = await csrfOf('district admin', '/console/districts/demo/apps');
    const beyond = await as('district admin', '/console/districts/demo/apps', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
      body: new URLSearchParams([
        ['_csrf', districtToken],
        ['action', 'grant'],
        ['partner', 'acme'],
        ['scope', 'roster-core.readonly'],
        ['scope', 'gradebook.delete'],
      ]),
    });
    expect(beyond.status).toBe(409);
    expect(await beyond.text()).toContain('gradebook.delete');
  });

  it('lets the operator register an LMS by hand and add deployment ids, refusing a duplicate, a bad URL, and anyone else', async () => {
    const token = await csrfOf('operator', '/console/lms');
    const lms = {
      _csrf: token,
      action: 'add',
      name: 'Maple Moodle',
      issuer: 'https://moodle.maple.example',
      clientId: 'passport-tool',
      authorizationEndpoint: 'https://moodle.maple.example/mod/lti/auth.php',
      tokenEndpoint: 'https://moodle.maple.example/mod/lti/token.php',
      jwksUri: 'https://moodle.maple.example/mod/lti/certs.php',
      deploymentIds: '3, 4',
    };
    const added = await post('operator', '/console/lms', lms);
    expect(added.status).toBe(303);
    const page = await (await as('operator', '/console/lms')).text();
    expect(page).toMatch(
      /Maple Moodle[\s\S]*?<code>https:\/\/moodle\.maple\.example<\/code>[\s\S]*?3, 4[\s\S]*?>active</,
    );
    expect((await post('operator', '/console/lms', lms)).status).toBe(409);
    const badUrl = await post('operator', '/console/lms', {
      ...lms,
      clientId: 'other',
      tokenEndpoint: 'javascript:alert(1)',
    });
    expect(badUrl.status).toBe(400);
    expect(await badUrl.text()).toContain('tokenEndpoint must be an http(s) URL');
    const adminToken = await csrfOf('district admin', '/console/districts/demo');
    expect(
      (await post('district admin', '/console/lms', { ...lms, _csrf: adminToken, clientId: 'x' })).status,
    ).toBe(403);
    // No launch has come from it yet, so there is no instance to assign.
    const assign = await post('operator', '/console/lms', {
      _csrf: token,
      action: 'assign',
      lms: 'lms-unknown',
      tenant: 'demo',
    });
    expect(assign.status).toBe(400);
    // A deployment id added to the registration (Canvas registers itself without one).
    const deployment = { _csrf: token, action: 'deployment', issuer: lms.issuer, clientId: lms.clientId };
    expect((await post('operator', '/console/lms', { ...deployment, deploymentId: '5' })).status).toBe(303);
    expect(await (await as('operator', '/console/lms')).text()).toMatch(/Maple Moodle[\s\S]*?3, 4, 5/);
    const blank = await post('operator', '/console/lms', { ...deployment, deploymentId: ' ' });
    expect(blank.status).toBe(400);
    expect(await blank.text()).toContain('Give the deployment id the LMS shows');
    const unknown = await post('operator', '/console/lms', {
      ...deployment,
      clientId: 'nobody',
      deploymentId: '6',
    });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('No such LMS registration');
    expect(
      (await post('district admin', '/console/lms', { ...deployment, _csrf: adminToken, deploymentId: '7' }))
        .status,
    ).toBe(403);
    expect(await (await as('operator', '/console/lms')).text()).not.toMatch(/3, 4, 5, [67]/);
  });

  it('lets a district admin connect Coursera and give the one-time consent, bound to the district that started it', async () => {
    const coursera = server.coursera;
    if (coursera === undefined) throw new Error('demo Coursera not started');
    const world = await coursera.admin.world();
    const organization = world.organizations[0];
    const client = world.oauthClients[0];
    if (organization === undefined || client === undefined) throw new Error('empty simulator world');
    expect((await as('partner developer', '/console/coursera/demo')).status).toBe(403);
    const token = await csrfOf('district admin', '/console/coursera/demo');
    const connection = {
      _csrf: token,
      organizationId: organization.id,
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      apiUrl: coursera.url,
      accountsUrl: coursera.url,
      handOffUrl: coursera.url,
      handOffSecret: organization.handOffSecret,
    };
    const invalid = await post('district admin', '/console/coursera/demo', {
      ...connection,
      apiUrl: 'ftp://nowhere',
    });
    expect(invalid.status, await invalid.clone().text()).toBe(400);
    expect(await invalid.text()).toContain('SERVER_BAD_REQUEST');

    const started = await post('district admin', '/console/coursera/demo', connection);
    expect(started.status).toBe(303);
    const consentUrl = started.headers.get('location') ?? '';
    expect(consentUrl.startsWith(coursera.url)).toBe(true);
    const stateCookie = (started.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const callback = new URL(await coursera.admin.approveConsent(consentUrl));
    expect(callback.pathname).toBe('/console/coursera/callback');
    const withState = { cookie: `${cookies.get('district admin')}; ${stateCookie}` };

    const forged = new URL(callback);
    forged.searchParams.set('state', 'not-the-state');
    const refused = await fetch(`${server.url}${forged.pathname}${forged.search}`, {
      headers: withState,
      redirect: 'manual',
    });
    expect(refused.status, await refused.clone().text()).toBe(403);
    expect(await refused.text()).toContain('SERVER_CSRF_INVALID');

    const done = await fetch(`${server.url}${callback.pathname}${callback.search}`, {
      headers: withState,
      redirect: 'manual',
    });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/console/gradesync/demo');
    expect(await (await as('district admin', '/console/gradesync/demo')).text()).toContain(
      `<code>${organization.id}</code>: consent <strong>active</strong>`,
    );
  });

  it('lets the operator add a district admin and a partner developer, who can then sign in to their own pages', async () => {
    const token = await csrfOf('operator', '/console/districts/demo');
    const short = await post('operator', '/console/districts/demo/admins', {
      _csrf: token,
      displayName: 'Sam Short',
      username: 'sam-short',
      password: 'too-short',
    });
    expect(short.status).toBe(400);
    expect(await short.text()).toContain('SERVER_ACCOUNT_INVALID');
    const password = 'a-long-enough-password-1';
    const admin = await post('operator', '/console/districts/demo/admins', {
      _csrf: token,
      displayName: 'Avery Admin',
      username: 'avery-admin',
      password,
    });
    expect(admin.status).toBe(303);
    const developer = await post('operator', '/console/partners/northwind/developers', {
      _csrf: token,
      displayName: 'Devon Dev',
      username: 'devon-dev',
      password,
    });
    expect(developer.status).toBe(303);
    for (const [who, home] of [
      [{ district: 'demo', username: 'avery-admin', password }, '/console/districts/demo'],
      [{ district: 'passport', username: 'devon-dev', password }, '/console/partners/northwind'],
    ] as const) {
      const { cookie } = await signInOverHttp(server.url, who);
      const landing = await fetch(`${server.url}/console`, { headers: { cookie }, redirect: 'manual' });
      expect(landing.headers.get('location'), who.username).toBe(home);
    }
  });

  it('lets the operator add a district, which then appears on the sign-in page', async () => {
    const token = await csrfOf('operator', '/console/districts');
    const created = await post('operator', '/console/districts', {
      _csrf: token,
      id: 'lincoln',
      name: 'Lincoln USD',
    });
    expect(created.status).toBe(303);
    expect(created.headers.get('location')).toBe('/console/districts/lincoln');
    const signInPage = await (await fetch(`${server.url}/sso/signin`)).text();
    expect(signInPage).toContain('Lincoln USD');
    const duplicate = await post('operator', '/console/districts', {
      _csrf: token,
      id: 'lincoln',
      name: 'Again',
    });
    expect(duplicate.status).toBe(409);
    expect(await duplicate.text()).toContain('SERVER_TENANT_EXISTS');
  });

  it('signs out: the session cookie stops opening the console', async () => {
    const signedIn = await signInOverHttp(server.url, server.demo?.accounts?.[1] as DemoAccount);
    const cookie = signedIn.cookie;
    const page = await (await fetch(`${server.url}/console/districts/demo`, { headers: { cookie } })).text();
    const token = /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
    const out = await fetch(`${server.url}/console/signout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, origin: server.url, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: token }),
    });
    expect(out.status).toBe(303);
    expect(out.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    const after = await fetch(`${server.url}/console/districts/demo`, {
      headers: { cookie },
      redirect: 'manual',
    });
    expect(after.status).toBe(303);
  });
});
