import { describe, expect, it } from 'vitest';
import { createMemoryCircuitBreakerStore } from '../adapters/memory/memory-circuit-breaker-store.ts';
import { backoffDelay } from './backoff.ts';
import { createCircuitBreaker } from './circuit-breaker.ts';
import { createRateLimiter } from './rate-limiter.ts';

describe('createRateLimiter', () => {
  it('spaces requests evenly at the rate, allowing the burst early, in real time', async () => {
    let now = 0;
    const starts: number[] = [];
    const limiter = createRateLimiter({
      ratePerSecond: 10,
      burst: 2,
      now: () => now,
      sleep: async (ms) => {
        now += ms;
      },
    });
    for (let index = 0; index < 5; index++) {
      await limiter.take();
      starts.push(now);
    }
    // 100 ms apart; the burst of 2 lets the second go at once.
    expect(starts).toEqual([0, 0, 100, 200, 300]);
  });

  it('waiters that take at the same time are spread out, not released together', async () => {
    const now = 0;
    const waits: number[] = [];
    const limiter = createRateLimiter({
      ratePerSecond: 4,
      now: () => now,
      sleep: async (ms) => void waits.push(ms),
    });
    await Promise.all([limiter.take(), limiter.take(), limiter.take()]);
    expect(waits).toEqual([250, 500]);
  });
});

describe('createCircuitBreaker', () => {
  it('opens after the threshold, lets one probe through after the pause, closes on success', async () => {
    let now = 0;
    const breaker = createCircuitBreaker({
      lmsId: 'lms-1',
      store: createMemoryCircuitBreakerStore(),
      failureThreshold: 2,
      openMs: 1000,
      probeLeaseMs: 5000,
      now: () => now,
    });
    await breaker.failure();
    expect(breaker.state).toBe('closed');
    await breaker.failure();
    expect(breaker.state).toBe('open');
    expect(await breaker.allow()).toBe(false);
    expect(breaker.reopensAt).toBe(1000);
    now = 1000;
    expect(breaker.state).toBe('half-open');
    expect(await breaker.allow()).toBe(true);
    expect(await breaker.allow()).toBe(false);
    await breaker.failure();
    expect(breaker.state).toBe('open');
    now = 2000;
    expect(await breaker.allow()).toBe(true);
    await breaker.success();
    expect(breaker.state).toBe('closed');
    expect(breaker.reopensAt).toBeUndefined();
  });

  it('a probe given back (the LMS asked to wait) lets the next delivery probe at once, not after its lease', async () => {
    let now = 0;
    const store = createMemoryCircuitBreakerStore();
    const options = {
      lmsId: 'lms-1',
      store,
      failureThreshold: 1,
      openMs: 1000,
      probeLeaseMs: 60_000,
      now: () => now,
    };
    const breaker = createCircuitBreaker(options);
    await breaker.failure();
    now = 1000;
    expect(await breaker.allow()).toBe(true);
    expect(await breaker.allow()).toBe(false);
    await breaker.abandonProbe();
    expect((await store.read('lms-1'))?.record.probeUntil).toBeUndefined();
    expect(await breaker.allow()).toBe(true);
    // A probe whose lease ran out and that another process took since is not given back by the first.
    now = 62_000;
    const other = createCircuitBreaker(options);
    await other.refresh();
    expect(await other.allow()).toBe(true);
    await breaker.refresh();
    await breaker.abandonProbe();
    expect((await store.read('lms-1'))?.record.probeUntil).toBe(62_000 + 60_000);
    // Without a probe held, giving one back writes nothing.
    const version = (await store.read('lms-1'))?.version;
    await breaker.abandonProbe();
    expect((await store.read('lms-1'))?.version).toBe(version);
  });

  it('tells a delivery refused while another probe is in flight to come back after a short wait, not at once', async () => {
    let now = 0;
    const store = createMemoryCircuitBreakerStore();
    const options = {
      lmsId: 'lms-1',
      store,
      failureThreshold: 1,
      openMs: 1000,
      probeLeaseMs: 60_000,
      now: () => now,
    };
    const prober = createCircuitBreaker(options);
    const other = createCircuitBreaker({ ...options, probeWaitMs: 500 });
    expect(prober.retryAt).toBeUndefined();
    await prober.failure();
    await other.refresh();
    // Open: come back when the pause ends.
    expect(await other.allow()).toBe(false);
    expect(other.retryAt).toBe(1000);
    now = 1000;
    expect(await prober.allow()).toBe(true);
    // Half-open with the probe in flight elsewhere: after the short wait (it used to be "now", a tight loop).
    expect(await other.allow()).toBe(false);
    expect(other.retryAt).toBe(1500);
    // A probe lease about to end comes first.
    now = 60_800;
    expect(await other.allow()).toBe(false);
    expect(other.retryAt).toBe(61_000);
    await prober.success();
    await other.refresh();
    expect(other.retryAt).toBeUndefined();
  });

  it('a healthy LMS costs the store no write; concurrent failures of one process are all counted', async () => {
    const store = createMemoryCircuitBreakerStore();
    let writes = 0;
    const counting = {
      read: store.read,
      write: (...args: Parameters<typeof store.write>) => {
        writes++;
        return store.write(...args);
      },
    };
    const breaker = createCircuitBreaker({
      lmsId: 'lms-1',
      store: counting,
      failureThreshold: 10,
      openMs: 1000,
      probeLeaseMs: 1000,
    });
    for (let index = 0; index < 5; index++) {
      expect(await breaker.allow()).toBe(true);
      await breaker.success();
    }
    expect(writes).toBe(0);
    await Promise.all([breaker.failure(), breaker.failure(), breaker.failure()]);
    expect((await store.read('lms-1'))?.record).toEqual({ state: 'closed', failures: 3 });
    await breaker.success();
    expect((await store.read('lms-1'))?.record).toEqual({ state: 'closed', failures: 0 });
  });
});

describe('backoffDelay', () => {
  it('grows exponentially with equal jitter, capped', () => {
    const options = { baseMs: 1000, maxMs: 10_000 };
    expect([0, 1, 2, 3, 4].map((attempt) => backoffDelay(attempt, options, undefined, () => 0))).toEqual([
      500, 1000, 2000, 4000, 5000,
    ]);
    expect([0, 1, 2, 3, 4].map((attempt) => backoffDelay(attempt, options, undefined, () => 1))).toEqual([
      1000, 2000, 4000, 8000, 10_000,
    ]);
  });

  it('honours Retry-After (at least that long, at most 10 % or 1 s more), capped at the maximum', () => {
    const options = { baseMs: 1000, maxMs: 60_000 };
    expect(backoffDelay(0, options, 5000, () => 0)).toBe(5000);
    expect(backoffDelay(0, options, 5000, () => 1)).toBe(5500);
    expect(backoffDelay(0, options, 30_000, () => 1)).toBe(31_000);
    expect(backoffDelay(0, options, 3_600_000, () => 0)).toBe(60_000);
  });
});
