import { describe, expect, it } from 'vitest';
import { createSimulatorAdmin } from '../src/simulator/admin-client.ts';
import { runCourseraSimulatorCli } from '../src/simulator/cli.ts';
import { startCourseraSimulator } from '../src/simulator/start.ts';
import { createTestClock } from './support/clock.ts';

describe('the simulator as a service (over loopback HTTP)', () => {
  it('is deterministic: the same seed gives the same world, another seed another', async () => {
    const worlds = [];
    for (const seed of [42, 42, 43]) {
      const simulator = await startCourseraSimulator({ seed, clock: createTestClock() });
      const world = await simulator.admin.world();
      worlds.push(JSON.stringify({ ...world, now: 0 }));
      await simulator.stop();
    }
    expect(worlds[0]).toBe(worlds[1]);
    expect(worlds[0]).not.toBe(worlds[2]);
  });

  it('guards the admin endpoints with a token when given one', async () => {
    const simulator = await startCourseraSimulator({ adminToken: 'admin-secret' });
    try {
      expect((await fetch(`${simulator.url}/__admin/world`)).status).toBe(401);
      await expect(createSimulatorAdmin(simulator.url).world()).rejects.toThrow(/401/);
      expect((await simulator.admin.world()).organizations).toHaveLength(1);
    } finally {
      await simulator.stop();
    }
  });

  it('answers unknown API routes with Coursera’s error body, and a wrong method with 405', async () => {
    const simulator = await startCourseraSimulator();
    try {
      const missing = await fetch(`${simulator.url}/api/businesses.v1/x/nothing`);
      expect(missing.status).toBe(404);
      expect(await missing.json()).toMatchObject({ errorCode: 'NOT_FOUND' });
      const wrong = await fetch(`${simulator.url}/oauth2/v1/token`, { method: 'GET' });
      expect(wrong.status).toBe(405);
      expect(wrong.headers.get('allow')).toBe('POST');
    } finally {
      await simulator.stop();
    }
  });

  it('refuses an API call without a valid bearer token (401 with a challenge) or for another organization (403)', async () => {
    const simulator = await startCourseraSimulator();
    try {
      const world = await simulator.admin.world();
      const anonymous = await fetch(
        `${simulator.url}/api/businesses.v1/${world.organizations[0]!.id}/programs`,
      );
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toMatch(/invalid_token/);
      const state = simulator.simulator.context.state;
      state.accessTokens.set('t', {
        clientId: 'c',
        organizationId: 'another-org',
        scope: 'access_business_api',
        revoked: false,
        expiresAt: state.now() + 60_000,
      });
      const other = await fetch(`${simulator.url}/api/businesses.v1/${world.organizations[0]!.id}/programs`, {
        headers: { authorization: 'Bearer t' },
      });
      expect(other.status).toBe(403);
      const tooMany = await fetch(`${simulator.url}/api/businesses.v1/another-org/programs?limit=1001`, {
        headers: { authorization: 'Bearer t' },
      });
      expect(await tooMany.json()).toMatchObject({ errorCode: 'INVALID_PAGING' });
    } finally {
      await simulator.stop();
    }
  });

  it('`passport sim coursera` prints what to configure, serves until stopped', async () => {
    const output: string[] = [];
    const stop = new AbortController();
    const running = runCourseraSimulatorCli(['--port', '0', '--seed', '5'], {
      stdout: { write: (text: string) => output.push(text) },
      signal: stop.signal,
    });
    await expect
      .poll(() => output.join(''), { timeout: 5_000 })
      .toMatch(/Coursera simulator \(seed 5\) at http/);
    const url = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(output.join(''))![1]!;
    expect((await fetch(`${url}/__admin/world`)).status).toBe(200);
    expect(output.join('')).toMatch(/OAuth client\s+passport-simulator \/ passport-simulator-secret-5/);
    stop.abort();
    await running;
    await expect(fetch(`${url}/__admin/world`)).rejects.toThrow();
  });

  it('rejects a bad --port', async () => {
    await expect(
      runCourseraSimulatorCli(['--port', 'x'], { stdout: { write: () => {} }, signal: AbortSignal.abort() }),
    ).rejects.toThrow(/--port must be/);
  });
});
