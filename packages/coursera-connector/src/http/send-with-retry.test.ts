import { describe, expect, it } from 'vitest';
import { defaultRetryPolicy, type RetryEvent, sendWithRetry } from './send-with-retry.ts';

function scripted(statuses: (number | 'network')[], headers: Record<string, string> = {}) {
  let calls = 0;
  const fetch = (async () => {
    const next = statuses[Math.min(calls++, statuses.length - 1)]!;
    if (next === 'network') throw new TypeError('fetch failed');
    return new Response(`{"n":${calls}}`, { status: next, headers });
  }) as unknown as typeof globalThis.fetch;
  return { fetch, calls: () => calls };
}

const build = () => new Request('http://127.0.0.1/x');

describe('sendWithRetry', () => {
  it('waits exactly what Retry-After says between 429s, then returns the success', async () => {
    const server = scripted([429, 429, 200], { 'retry-after': '2' });
    const waits: number[] = [];
    const events: RetryEvent[] = [];
    const outcome = await sendWithRetry(build, {
      fetch: server.fetch,
      policy: defaultRetryPolicy,
      sleep: async (ms) => void waits.push(ms),
      onRetry: (event) => events.push(event),
    });
    expect(outcome.kind).toBe('response');
    if (outcome.kind === 'response') expect(await outcome.response.json()).toEqual({ n: 3 });
    expect(waits).toEqual([2000, 2000]);
    expect(events.every((event) => event.fromRetryAfter && event.status === 429)).toBe(true);
  });

  it('backs off exponentially with jitter when there is no Retry-After, and stops after the attempts', async () => {
    const server = scripted([503]);
    const waits: number[] = [];
    const outcome = await sendWithRetry(build, {
      fetch: server.fetch,
      policy: { ...defaultRetryPolicy, attempts: 4, baseDelayMs: 100 },
      sleep: async (ms) => void waits.push(ms),
      random: () => 0.5,
    });
    expect(server.calls()).toBe(4);
    expect(waits).toEqual([50, 100, 200]);
    expect(outcome.kind === 'response' && outcome.response.status).toBe(503);
  });

  it('gives up at once when Retry-After is longer than the policy allows', async () => {
    const server = scripted([429], { 'retry-after': '3600' });
    const outcome = await sendWithRetry(build, {
      fetch: server.fetch,
      policy: defaultRetryPolicy,
      sleep: async () => {},
    });
    expect(server.calls()).toBe(1);
    expect(outcome.kind === 'response' && outcome.retryAfterMs).toBe(3_600_000);
  });

  it('does not retry a 4xx other than 429', async () => {
    const server = scripted([400, 200]);
    const outcome = await sendWithRetry(build, {
      fetch: server.fetch,
      policy: defaultRetryPolicy,
      sleep: async () => {},
    });
    expect(server.calls()).toBe(1);
    expect(outcome.kind === 'response' && outcome.response.status).toBe(400);
  });

  it('reports a network failure after the retries', async () => {
    const server = scripted(['network']);
    const outcome = await sendWithRetry(build, {
      fetch: server.fetch,
      policy: { ...defaultRetryPolicy, attempts: 2 },
      sleep: async () => {},
    });
    expect(outcome.kind).toBe('network');
    expect(server.calls()).toBe(2);
  });
});
