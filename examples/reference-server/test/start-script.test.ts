import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { latestMigration } from './support/migrations.ts';
import { cleanEnvironment } from './support/run-process.ts';
import { makeTempDir } from './support/temp-dir.ts';

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

describe('npm start (node scripts/start.ts)', () => {
  it('prints the URL, answers /healthz, and stops cleanly on SIGTERM', { timeout: 120_000 }, async () => {
    const dir = await makeTempDir();
    const child = spawn(process.execPath, ['scripts/start.ts', '--port', '0'], {
      cwd: repositoryRoot,
      env: cleanEnvironment({ PASSPORT_DATA_DIR: dir.path }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      child.on('close', (code, signal) => resolve({ code, signal })),
    );
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
          const match = /Passport reference server: (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr);
          if (match) resolve(match[1]!);
        });
        void exited.then(() => reject(new Error(`exited before printing the URL:\n${stderr}\n${stdout}`)));
      });
      expect(stderr).toContain(`database: PGlite (embedded), data folder ${dir.path}`);

      const response = await fetch(`${url}/healthz`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        status: 'ok',
        database: { kind: 'pglite', migration: latestMigration },
      });

      // The banner prints the demo's API credentials, and they work.
      expect(stderr).toContain('demo: Springfield Demo District (tenant demo), loaded now');
      const clientId = /API client id: +(\S+)/.exec(stderr)?.[1];
      const clientSecret = /API client secret: +(\S+)/.exec(stderr)?.[1];
      expect(clientId && clientSecret).toBeTruthy();
      const token = await fetch(`${url}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: clientId!,
          client_secret: clientSecret!,
        }),
      });
      expect(token.status).toBe(200);
      const { access_token: accessToken } = (await token.json()) as { access_token: string };
      const schools = await fetch(`${url}/ims/oneroster/v1p1/schools`, {
        headers: { authorization: `Bearer ${accessToken}` },
      });
      expect(schools.status).toBe(200);
      expect(((await schools.json()) as { orgs: unknown[] }).orgs.length).toBeGreaterThan(0);

      child.kill('SIGTERM');
      expect(await exited).toEqual({ code: 0, signal: null });
      const events = stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { level: string; msg: string; time: string });
      expect(events.map((event) => event.msg)).toEqual(
        expect.arrayContaining(['listening', 'shutdown requested', 'stopped']),
      );
      expect(events).toContainEqual(expect.objectContaining({ level: 'info', msg: 'demo data loaded' }));
    } finally {
      child.kill('SIGKILL');
      await exited;
      await dir.remove();
    }
  });
});
