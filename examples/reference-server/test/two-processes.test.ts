import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.ts';
import { type RunningServer, startServer } from '../src/server.ts';
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
 * Two reference servers on one PostgreSQL database (one schema), as behind a load balancer: either serves any
 * request. Sessions, CSRF tokens, OneRoster tokens and the SSO's signing keys live in the database or derive from the
 * shared sealing key, so a browser or an API client can move between them. Migrations run once; the second start
 * finds the schema up to date and the demo already loaded.
 */
const schema = uniqueSchema();
let first: RunningServer;
let second: RunningServer;
let folder: { path: string; remove: () => Promise<void> };

describe.skipIf(skipPostgres)('two server processes on one PostgreSQL', () => {
  beforeAll(async () => {
    folder = await makeTempDir('passport-two-');
    const config = testConfig({ dataDir: join(folder.path, 'data'), databaseUrl: postgresUrl, demo: true });
    const logger = createLogger({ level: 'silent' });
    first = await startServer({ config, logger, databaseSchema: schema }).catch(explainUnreachable);
    second = await startServer({ config, logger, databaseSchema: schema });
  }, 180_000);

  afterAll(async () => {
    await second?.close();
    await first?.close();
    await dropSchema(schema).catch(() => {});
    await folder?.remove();
  });

  it('loads the demo once and both report the same schema version', async () => {
    expect(first.demo?.loadedNow).toBe(true);
    expect(second.demo?.loadedNow).toBe(false);
    expect(second.demo?.accounts?.map((account) => account.username)).toEqual(
      first.demo?.accounts?.map((account) => account.username),
    );
    const health = await Promise.all(
      [first, second].map(async (server) => (await fetch(`${server.url}/healthz`)).json()),
    );
    expect(health[0]).toEqual(health[1]);
  });

  it('a console session started on one server works on the other, forms included', async () => {
    const admin = first.demo?.accounts?.find((account) => account.role === 'district admin');
    if (admin === undefined) throw new Error('no demo district admin');
    const { cookie } = await signInOverHttp(first.url, admin);
    const page = await fetch(`${second.url}/console/districts/demo/apps`, {
      headers: { cookie },
      redirect: 'manual',
    });
    expect(page.status).toBe(200);
    const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
    // The token from the second server's page is accepted by the first.
    const invite = await fetch(`${first.url}/console/districts/demo/apps`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, origin: first.url, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        _csrf: token,
        action: 'invite',
        partner: 'northwind',
        scope: 'roster-core.readonly',
      }),
    });
    expect(invite.status).toBe(303);
    const apps = await (
      await fetch(`${second.url}/console/districts/demo/apps`, { headers: { cookie } })
    ).text();
    expect(apps).toContain('<span class="status invited">invited</span>');
  });

  it('a OneRoster token issued by one server reads through the other', async () => {
    const credentials = first.demo?.credentials;
    if (credentials === undefined) throw new Error('no demo credentials');
    const issued = await fetch(`${first.url}/oauth/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    const { access_token: token } = (await issued.json()) as { access_token: string };
    const read = await fetch(`${second.url}/ims/oneroster/v1p1/schools`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(read.status).toBe(200);
    expect(Number(read.headers.get('x-total-count'))).toBeGreaterThan(0);
  });

  it('publishes the same SSO signing keys from both', async () => {
    const kids = async (server: RunningServer) => {
      const discovery = (await (
        await fetch(`${server.url}/sso/oidc/.well-known/openid-configuration`)
      ).json()) as {
        jwks_uri: string;
      };
      const keys = (await (await fetch(discovery.jwks_uri)).json()) as { keys: { kid: string }[] };
      return keys.keys.map((key) => key.kid).sort();
    };
    // Both create their first key on first use; whichever way that race goes, they converge on one published set.
    await Promise.all([kids(first), kids(second)]);
    const fromSecond = await kids(second);
    const fromFirst = await kids(first);
    expect(fromFirst.length).toBeGreaterThan(0);
    expect(fromFirst).toEqual(fromSecond);
  });
});
