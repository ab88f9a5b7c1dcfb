import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
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
        database: { kind: 'pglite', migration: '0001_foundation' },
      });

      child.kill('SIGTERM');
      expect(await exited).toEqual({ code: 0, signal: null });
      const events = stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { level: string; msg: string; time: string });
      expect(events.map((event) => event.msg)).toEqual(
        expect.arrayContaining(['listening', 'shutdown requested', 'stopped']),
      );
      expect(events).toContainEqual(
        expect.objectContaining({
          level: 'warn',
          msg: expect.stringContaining('demo mode is not built yet'),
        }),
      );
    } finally {
      child.kill('SIGKILL');
      await exited;
      await dir.remove();
    }
  });
});
