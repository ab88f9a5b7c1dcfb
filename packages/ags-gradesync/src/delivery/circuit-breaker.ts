import type { CircuitBreakerStore, CircuitRecord } from '../ports.ts';

export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitBreaker {
  /** The state as last read or written by this breaker (`refresh()` reads what other processes wrote). */
  readonly state: CircuitState;
  /** When an open circuit lets a probe through (ms), or undefined when closed. */
  readonly reopensAt: number | undefined;
  /**
   * When a delivery this breaker just refused should come back (ms): the end of the pause while open; while another
   * delivery's probe is in flight, a short wait (`probeWaitMs`), or the probe's lease end if that comes sooner. So
   * refused deliveries are not claimed again in a tight loop while the probe runs. Undefined when closed.
   */
  readonly retryAt: number | undefined;
  /** Consecutive LMS failures counted so far. */
  readonly failures: number;
  /** Reads the circuit from the store (at the start of a drain and before each claim). */
  refresh(): Promise<void>;
  /** True when a request may go now (in half-open state: one probe at a time, across every process). */
  allow(): Promise<boolean>;
  success(): Promise<void>;
  failure(): Promise<void>;
  /**
   * Gives back the probe this breaker took when the request did not go after all (the LMS asked to wait), so the
   * next delivery may probe at once instead of after the probe's lease. A no-op when it holds no probe.
   */
  abandonProbe(): Promise<void>;
}

export interface CircuitBreakerOptions {
  readonly lmsId: string;
  /** Where the circuit lives: shared by every process (PostgreSQL) or this process only (memory). */
  readonly store: CircuitBreakerStore;
  readonly failureThreshold: number;
  readonly openMs: number;
  /** How long a probe may be in flight before another process may probe (its deliverer may have died). */
  readonly probeLeaseMs: number;
  /** How long a delivery refused while another's probe is in flight waits before it is tried again. Default 1 s. */
  readonly probeWaitMs?: number;
  readonly now?: () => number;
}

const closed: CircuitRecord = { state: 'closed', failures: 0 };

/** The state of a stored circuit at `now`: an open circuit whose pause ran out is half-open. */
export function circuitStateOf(record: CircuitRecord, openMs: number, now: number): CircuitState {
  if (record.state === 'closed') return 'closed';
  return now >= (record.openedAt ?? 0) + openMs ? 'half-open' : 'open';
}

/**
 * A circuit breaker for one LMS: after `failureThreshold` consecutive failures of the LMS itself (network, 5xx) it
 * opens, and deliveries to that LMS pause for `openMs`; then one probe goes (half-open): success closes it, failure
 * opens it again. Refusals of one score (422) and throttling (429, handled by Retry-After) do not count.
 *
 * The circuit is kept in a `CircuitBreakerStore`, so the process that takes an LMS over after another one (a crash,
 * a drain lease that moved) starts from the circuit the other left. Reads are cached between `refresh()` calls and
 * a healthy LMS costs no write; every change is a compare-and-set, retried on a conflict after reading again.
 */
export function createCircuitBreaker(options: CircuitBreakerOptions): CircuitBreaker {
  const now = options.now ?? Date.now;
  const { store, lmsId } = options;
  let current = closed;
  let version = 0;
  /** The lease end of the probe this breaker took, while it has not reported the probe's outcome. */
  let heldProbe: number | undefined;
  // This process's own changes go one at a time (several deliveries share a breaker); other processes are held
  // off by the version.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <Value>(task: () => Promise<Value>): Promise<Value> => {
    const run = queue.then(task, task);
    queue = run.catch(() => {});
    return run;
  };
  const load = async () => {
    const stored = await store.read(lmsId);
    current = stored?.record ?? closed;
    version = stored?.version ?? 0;
  };
  /** Writes what `change` makes of the circuit (nothing when it answers undefined), reading again on a conflict. */
  const update = async (change: (record: CircuitRecord) => CircuitRecord | undefined) => {
    for (;;) {
      const next = change(current);
      if (next === undefined) return;
      const written = await store.write(lmsId, next, version);
      if (written !== undefined) {
        current = next;
        version = written;
        return;
      }
      await load();
    }
  };
  const stateNow = () => circuitStateOf(current, options.openMs, now());
  return {
    get state() {
      return stateNow();
    },
    get reopensAt() {
      return current.state === 'closed' ? undefined : (current.openedAt ?? 0) + options.openMs;
    },
    get retryAt() {
      const at = now();
      const state = stateNow();
      if (state === 'closed') return undefined;
      if (state === 'open') return (current.openedAt ?? 0) + options.openMs;
      const wait = at + (options.probeWaitMs ?? 1000);
      return current.probeUntil !== undefined && current.probeUntil > at
        ? Math.min(current.probeUntil, wait)
        : wait;
    },
    get failures() {
      return current.failures;
    },
    refresh: () => serial(load),
    allow: () =>
      serial(async () => {
        if (stateNow() === 'closed') return true;
        if (stateNow() === 'open') return false;
        let taken = false;
        await update((record) => {
          taken = false;
          const at = now();
          const state = circuitStateOf(record, options.openMs, at);
          if (state !== 'half-open' || (record.probeUntil !== undefined && record.probeUntil > at))
            return undefined;
          taken = true;
          return { ...record, probeUntil: at + options.probeLeaseMs };
        });
        if (taken) heldProbe = current.probeUntil;
        return taken || stateNow() === 'closed';
      }),
    success: () =>
      serial(() => {
        heldProbe = undefined;
        return update((record) => (record.state === 'closed' && record.failures === 0 ? undefined : closed));
      }),
    failure: () =>
      serial(() => {
        heldProbe = undefined;
        return update((record) => {
          const at = now();
          const failures = record.failures + 1;
          if (
            circuitStateOf(record, options.openMs, at) === 'half-open' ||
            failures >= options.failureThreshold
          )
            return { state: 'open', failures, openedAt: at };
          return { state: 'closed', failures };
        });
      }),
    abandonProbe: () =>
      serial(async () => {
        const held = heldProbe;
        heldProbe = undefined;
        if (held === undefined) return;
        // Only the probe this breaker took: if its lease ran out, another process may hold a newer one.
        await update((record) =>
          record.probeUntil === held ? { ...record, probeUntil: undefined } : undefined,
        );
      }),
  };
}
