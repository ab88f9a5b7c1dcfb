import { describe, expect, it } from 'vitest';
import { createCircuitBreaker } from '../delivery/circuit-breaker.ts';
import type { CircuitBreakerStore } from '../ports.ts';

/**
 * The behavior every `CircuitBreakerStore` adapter must have. `create` answers an empty store; `reopen` answers
 * another adapter over the same storage, as a second process on the same database would open it (default: the same
 * store, for adapters that live in one process).
 */
export function describeCircuitBreakerStoreContract(
  name: string,
  create: () => Promise<CircuitBreakerStore>,
  reopen: (store: CircuitBreakerStore) => Promise<CircuitBreakerStore> = async (store) => store,
): void {
  describe(`CircuitBreakerStore contract: ${name}`, () => {
    it('stores a circuit per LMS, with a version that every write bumps', async () => {
      const store = await create();
      expect(await store.read('lms-1')).toBeUndefined();
      expect(await store.write('lms-1', { state: 'closed', failures: 1 }, 0)).toBe(1);
      expect(await store.read('lms-1')).toEqual({ record: { state: 'closed', failures: 1 }, version: 1 });
      const open = { state: 'open', failures: 5, openedAt: 1_740_000_000_000 } as const;
      expect(await store.write('lms-1', open, 1)).toBe(2);
      expect(await store.read('lms-1')).toEqual({ record: open, version: 2 });
      const probing = { ...open, probeUntil: 1_740_000_060_000 };
      expect(await store.write('lms-1', probing, 2)).toBe(3);
      expect(await store.read('lms-1')).toEqual({ record: probing, version: 3 });
      // Fields a write leaves out are gone, not kept from before.
      expect(await store.write('lms-1', { state: 'closed', failures: 0 }, 3)).toBe(4);
      expect(await store.read('lms-1')).toEqual({ record: { state: 'closed', failures: 0 }, version: 4 });
      expect(await store.read('lms-2')).toBeUndefined();
    });

    it('refuses a write whose expected version is not the stored one, and changes nothing', async () => {
      const store = await create();
      expect(await store.write('lms-1', { state: 'closed', failures: 1 }, 0)).toBe(1);
      expect(await store.write('lms-1', { state: 'closed', failures: 9 }, 0)).toBeUndefined();
      expect(await store.write('lms-1', { state: 'closed', failures: 9 }, 2)).toBeUndefined();
      expect(await store.write('lms-2', { state: 'closed', failures: 9 }, 1)).toBeUndefined();
      expect(await store.read('lms-1')).toEqual({ record: { state: 'closed', failures: 1 }, version: 1 });
      expect(await store.read('lms-2')).toBeUndefined();
    });

    it('of concurrent writers expecting the same version, exactly one wins', async () => {
      const store = await create();
      const first = await Promise.all(
        [1, 2, 3, 4, 5].map((failures) => store.write('lms-1', { state: 'closed', failures }, 0)),
      );
      expect(first.filter((version) => version !== undefined)).toEqual([1]);
      const next = await Promise.all(
        [6, 7, 8].map((failures) => store.write('lms-1', { state: 'closed', failures }, 1)),
      );
      expect(next.filter((version) => version !== undefined)).toEqual([2]);
      const winner = [6, 7, 8][next.findIndex((version) => version !== undefined)];
      expect((await store.read('lms-1'))?.record.failures).toBe(winner);
    });

    it('two breakers on the store (two processes) share the circuit: open, one probe between them, closed', async () => {
      let now = 1_000_000;
      const options = {
        lmsId: 'lms-1',
        failureThreshold: 2,
        openMs: 1000,
        probeLeaseMs: 500,
        now: () => now,
      };
      const store = await create();
      const first = createCircuitBreaker({ ...options, store });
      const second = createCircuitBreaker({ ...options, store: await reopen(store) });
      await second.refresh();
      await first.failure();
      await second.failure(); // counted on top of the first process's failure: the circuit opens
      await first.refresh();
      expect([first.state, second.state]).toEqual(['open', 'open']);
      expect(first.reopensAt).toBe(now + 1000);
      expect(await first.allow()).toBe(false);
      now += 1000;
      await Promise.all([first.refresh(), second.refresh()]);
      expect(first.state).toBe('half-open');
      const probes = await Promise.all([first.allow(), second.allow()]);
      expect(probes.filter(Boolean)).toHaveLength(1);
      // The probe's process dies: after the probe lease, the other may probe.
      now += 500;
      const [prober, other] = probes[0] ? [first, second] : [second, first];
      expect(await other.allow()).toBe(true);
      await other.failure(); // the probe failed: open again for the whole pause
      await prober.refresh();
      expect(prober.state).toBe('open');
      expect(prober.reopensAt).toBe(now + 1000);
      now += 1000;
      await prober.refresh();
      expect(await prober.allow()).toBe(true);
      await prober.success();
      await other.refresh();
      expect(other.state).toBe('closed');
      expect(other.failures).toBe(0);
      expect(await other.allow()).toBe(true);
    });
  });
}
