import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fetch } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';

/** The README's quick start is this folder's server.ts, verbatim; here it runs. */
process.env.PORT = '0';
const { server } = await import('./quick-start/server.ts');
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('README quick start', () => {
  it('is the code of test/quick-start/server.ts: 20 lines after the imports', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const block = /```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const source = readFileSync(new URL('./quick-start/server.ts', import.meta.url), 'utf8');
    expect(block).toBe(source);
    const code = source.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('import '));
    expect(code.length).toBeLessThanOrEqual(20);
  });

  it('serves the login, the launch and the key set', async () => {
    await new Promise<void>((resolve) =>
      server.listening ? resolve() : server.once('listening', () => resolve()),
    );
    const { port } = server.address() as AddressInfo;
    const base = `http://127.0.0.1:${port}`;
    const login = await fetch(
      `${base}/lti/login?iss=${encodeURIComponent('https://canvas.instructure.com')}&login_hint=42&client_id=10000000000001&target_link_uri=${encodeURIComponent('https://tool.example.com/')}`,
      { redirect: 'manual' },
    );
    expect(login.status).toBe(302);
    const location = new URL(login.headers.get('location') ?? '');
    expect(location.origin + location.pathname).toBe('https://sso.canvaslms.com/api/lti/authorize_redirect');
    expect(location.searchParams.get('redirect_uri')).toBe('https://tool.example.com/lti/launch');
    expect(login.headers.get('set-cookie')).toContain('SameSite=None; Partitioned');
    const jwks = (await (await fetch(`${base}/lti/jwks`)).json()) as { keys: Array<{ kty: string }> };
    expect(jwks.keys[0]?.kty).toBe('RSA');
    const launch = await fetch(`${base}/lti/launch`, {
      method: 'POST',
      body: new URLSearchParams({ id_token: 'x', state: 'y' }),
      headers: { accept: 'application/json' },
    });
    expect(launch.status).toBe(400);
    expect(((await launch.json()) as { code: string }).code).toBe('LTI_ID_TOKEN_MALFORMED');
  });
});
