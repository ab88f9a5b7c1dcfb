import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cleanEnvironment, runNode } from './support/run-process.ts';

const bin = fileURLToPath(new URL('../bin/passport.js', import.meta.url));

describe('passport sim coursera', () => {
  it('starts the simulator on a free port, serves its API and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [bin, 'sim', 'coursera', '--port', '0', '--seed', '7'], {
      env: cleanEnvironment(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL printed: ${output}`)), 20_000);
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
      child.on('exit', () => reject(new Error(`exited early: ${output}`)));
    });
    expect(output).toContain('seed 7');
    const world = await fetch(`${url}/__admin/world`);
    expect(world.status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('refuses a bad --port with a usage error (exit 2)', async () => {
    const result = await runNode([bin, 'sim', 'coursera', '--port', 'x']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--port');
  });
});
