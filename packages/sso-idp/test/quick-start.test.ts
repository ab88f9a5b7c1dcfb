import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';

/** The README's quick start is test/quick-start/server.ts, verbatim; here it runs. */
process.env.PORT = '0';
const { server } = await import('./quick-start/server.ts');
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('README quick start', () => {
  it('is the code of test/quick-start/server.ts: at most 20 lines after the imports', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const block = /```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const source = readFileSync(new URL('./quick-start/server.ts', import.meta.url), 'utf8');
    expect(block).toBe(source);
    const code = source
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.startsWith('import ') && !line.startsWith('//'));
    expect(code.length).toBeLessThanOrEqual(20);
  });

  it('serves discovery, the sign-in page and an authorization request for the registered app', async () => {
    await new Promise<void>((resolve) =>
      server.listening ? resolve() : server.once('listening', () => resolve()),
    );
    const { port } = server.address() as AddressInfo;
    // The server listens on another port than its base URL names; the Node host addresses requests to baseUrl.
    const base = `http://127.0.0.1:${port}`;
    const discovery = await fetch(`${base}/sso/oidc/.well-known/openid-configuration`);
    expect(((await discovery.json()) as { issuer: string }).issuer).toBe('http://127.0.0.1:4000/sso/oidc');
    const signIn = await fetch(`${base}/sso/signin?district=maple`);
    expect(await signIn.text()).toContain('password-form');
    const authorize = await fetch(
      `${base}/sso/oidc/auth?client_id=quiz&response_type=code&scope=openid&redirect_uri=${encodeURIComponent('http://localhost:3000/callback')}&code_challenge=${'a'.repeat(43)}&code_challenge_method=S256`,
      { redirect: 'manual' },
    );
    expect(authorize.status).toBe(303);
    expect(authorize.headers.get('location')).toMatch(/^\/sso\/interaction\//);
  });
});
