import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.ts';
import { type RunningServer, startServer } from '../src/server.ts';
import { testConfig } from './support/config.ts';
import { seedMigratedDatabase } from './support/pglite-template.ts';
import { runNode } from './support/run-process.ts';
import { signInOverHttp } from './support/sso-session.ts';
import { makeTempDir } from './support/temp-dir.ts';

/*
 * Rotating the SSO's OpenID signing key and the LTI tool's key, from the command line (server stopped, PGlite) and
 * from the operator's console page: the new key is published beside the old one, which keeps verifying for a day.
 */
const bin = fileURLToPath(new URL('../bin/passport.js', import.meta.url));
let folder: { path: string; remove: () => Promise<void> };
let dataDir: string;
let server: RunningServer | undefined;

const passport = (args: string[]) =>
  runNode([bin, ...args], { env: { PASSPORT_DATA_DIR: dataDir }, timeoutMs: 120_000 });

beforeAll(async () => {
  folder = await makeTempDir('passport-keys-');
  dataDir = join(folder.path, 'data');
  await seedMigratedDatabase(dataDir);
});

afterAll(async () => {
  await server?.close();
  await folder?.remove();
});

async function publishedKids(origin: string): Promise<{ sso: string[]; lti: string[] }> {
  const discovery = (await (await fetch(`${origin}/sso/oidc/.well-known/openid-configuration`)).json()) as {
    jwks_uri: string;
  };
  const sso = (await (await fetch(discovery.jwks_uri)).json()) as { keys: { kid: string }[] };
  const lti = (await (await fetch(`${origin}/lti/jwks`)).json()) as { keys: { kid: string }[] };
  return { sso: sso.keys.map((key) => key.kid), lti: lti.keys.map((key) => key.kid) };
}

type Rotation = { sso?: { retired: string[]; created: string }; lti?: { created: string } };

describe('passport keys rotate', () => {
  const rotations: Rotation[] = [];

  it('rotates both keys, twice, and says which key retired', async () => {
    for (let round = 0; round < 2; round++) {
      const result = await passport(['keys', 'rotate', '--json']);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      rotations.push(JSON.parse(result.stdout) as Rotation);
    }
    const [first, second] = rotations;
    expect(first?.sso?.created).toBeTruthy();
    expect(second?.sso?.created).not.toBe(first?.sso?.created);
    expect(second?.sso?.retired).toContain(first?.sso?.created);
    expect(second?.lti?.created).not.toBe(first?.lti?.created);
  }, 240_000);

  it('--only lti leaves the SSO key alone', async () => {
    const result = await passport(['keys', 'rotate', '--only', 'lti', '--json']);
    expect(result.code).toBe(0);
    const rotation = JSON.parse(result.stdout) as Rotation;
    expect(rotation.sso).toBeUndefined();
    expect(rotation.lti?.created).toBeTruthy();
    rotations.push(rotation);
  }, 120_000);

  it('a server started afterwards signs with the newest keys and still publishes the retired ones', async () => {
    server = await startServer({
      config: testConfig({ dataDir, demo: true }),
      logger: createLogger({ level: 'silent' }),
    });
    const kids = await publishedKids(server.url);
    for (const rotation of rotations) {
      if (rotation.sso !== undefined) expect(kids.sso).toContain(rotation.sso.created);
      if (rotation.lti !== undefined) expect(kids.lti).toContain(rotation.lti.created);
    }
  }, 180_000);

  it('refuses to open the embedded database while the server runs, and changes nothing', async () => {
    const before = await publishedKids(server?.url ?? '');
    const result = await passport(['keys', 'rotate', '--json']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('is in use by process');
    expect(result.stderr).toContain('(SERVER_DATA_DIR_LOCKED)');
    expect(await publishedKids(server?.url ?? '')).toEqual(before);
  }, 120_000);
});

describe('the operations page', () => {
  it('lets an operator rotate both keys; the new ones are published beside the old', async () => {
    const origin = server?.url ?? '';
    const accounts = server?.demo?.accounts ?? [];
    const operator = accounts.find((account) => account.role === 'operator');
    const admin = accounts.find((account) => account.role === 'district admin');
    if (operator === undefined || admin === undefined) throw new Error('demo accounts missing');
    const before = await publishedKids(origin);
    const adminCookie = (await signInOverHttp(origin, admin)).cookie;
    expect((await fetch(`${origin}/console/operations`, { headers: { cookie: adminCookie } })).status).toBe(
      403,
    );

    const cookie = (await signInOverHttp(origin, operator)).cookie;
    const page = await (await fetch(`${origin}/console/operations`, { headers: { cookie } })).text();
    expect(page).toContain('Rotate signing keys');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
    const post = (fields: Record<string, string>) =>
      fetch(`${origin}/console/operations/rotate-keys`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', origin },
        body: new URLSearchParams(fields),
      });
    const forged = await post({});
    expect(forged.status).toBe(403);
    expect(await forged.text()).toContain('SERVER_CSRF_INVALID');
    expect(await publishedKids(origin)).toEqual(before);

    const rotated = await post({ _csrf: csrf });
    expect(rotated.status).toBe(200);
    const shown = await rotated.text();
    // The page says when the new keys sign: after every process publishes them, not at once.
    expect(shown).toContain('They sign from 30 seconds from now; the old ones sign until then.');
    const created = [...shown.matchAll(/New key <code>([^<]+)<\/code>/g)].map((match) => match[1] ?? '');
    expect(created).toHaveLength(2);
    const [ssoKid, ltiKid] = created;
    // Other key caches follow within 30 s; this process's published sets show both the old and the new.
    const deadline = Date.now() + 45_000;
    let kids = await publishedKids(origin);
    while (!(kids.sso.includes(ssoKid ?? '') && kids.lti.includes(ltiKid ?? '')) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      kids = await publishedKids(origin);
    }
    expect(kids.sso).toContain(ssoKid);
    expect(kids.lti).toContain(ltiKid);
    for (const kid of before.sso) expect(kids.sso).toContain(kid);
    for (const kid of before.lti) expect(kids.lti).toContain(kid);
    const operations = await (await fetch(`${origin}/console/operations`, { headers: { cookie } })).text();
    expect(operations).toContain('keys.rotated');
  }, 120_000);
});
