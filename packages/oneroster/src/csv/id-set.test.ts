import { describe, expect, it } from 'vitest';
import { HashLog, hashId, type IdHasher, IdSet, PendingIds } from './id-set.ts';

/** Every id hashes to one of `buckets` values, all in slot 0 of any table: collisions on purpose. */
const weakHasher =
  (buckets: number): IdHasher =>
  (id, out) => {
    out[0] = (id.length % buckets) + 1;
    out[1] = 0;
  };

describe('IdSet', () => {
  it('answers membership for the ids added and only those', () => {
    const set = new IdSet();
    expect(set.add('u1')).toBe(true);
    expect(set.add('u2')).toBe(true);
    expect(set.add('u1')).toBe(false);
    expect(set.has('u1')).toBe(true);
    expect(set.has('u2')).toBe(true);
    expect(set.has('u3')).toBe(false);
    expect(set.has('')).toBe(false);
    expect(set.size).toBe(2);
  });

  it('grows past its initial capacity, doubling, and keeps every id', () => {
    const set = new IdSet();
    expect(set.capacity).toBe(16);
    const ids = Array.from({ length: 10_000 }, (_, index) => `student-${index}`);
    for (const id of ids) expect(set.add(id)).toBe(true);
    expect(set.size).toBe(10_000);
    expect(set.capacity).toBe(16_384);
    expect(set.size / set.capacity).toBeLessThanOrEqual(0.75);
    expect(ids.every((id) => set.has(id))).toBe(true);
    expect(ids.some((id) => set.has(`${id}x`))).toBe(false);
  });

  it('reserves room up front so that filling to that size does not rehash', () => {
    const set = new IdSet({ expected: 1000 });
    const capacity = set.capacity;
    expect(capacity * 0.75).toBeGreaterThanOrEqual(1000);
    for (let index = 0; index < 1000; index++) set.add(`id-${index}`);
    expect(set.capacity).toBe(capacity);
    set.reserve(10);
    expect(set.capacity).toBe(capacity);
    set.reserve(100_000);
    expect(set.capacity).toBeGreaterThan(capacity);
    for (let index = 0; index < 1000; index++) expect(set.has(`id-${index}`)).toBe(true);
  });

  it('probes past colliding slots: different hashes in one slot are all kept', () => {
    // All land in slot 0 (low half 0), with distinct high halves: linear probing must keep each.
    const set = new IdSet({ hash: weakHasher(50) });
    for (let length = 1; length <= 40; length++) expect(set.add('x'.repeat(length))).toBe(true);
    for (let length = 1; length <= 40; length++) expect(set.has('x'.repeat(length))).toBe(true);
    expect(set.has('x'.repeat(45))).toBe(false);
    expect(set.size).toBe(40);
  });

  it('reports a full 64-bit collision as already present (callers confirm duplicates exactly)', () => {
    const set = new IdSet({ hash: weakHasher(1) });
    expect(set.add('alpha')).toBe(true);
    expect(set.add('omega')).toBe(false);
    expect(set.has('never-added')).toBe(true);
  });

  it('accepts the hash (0, 0) without confusing it with an empty slot', () => {
    const zero: IdHasher = (_id, out) => {
      out[0] = 0;
      out[1] = 0;
    };
    const set = new IdSet({ hash: zero });
    expect(set.has('a')).toBe(false);
    expect(set.add('a')).toBe(true);
    expect(set.has('a')).toBe(true);
    expect(set.size).toBe(1);
  });

  it('hashes ids without a 64-bit collision over a million generated ids', () => {
    const set = new IdSet({ expected: 1_000_000 });
    let collisions = 0;
    for (let index = 0; index < 500_000; index++) {
      if (!set.add(`student-${index}`)) collisions++;
      if (!set.add(`e${index.toString(36)}-${(index * 7919) % 1000}`)) collisions++;
    }
    expect(collisions).toBe(0);
    expect(set.size).toBe(1_000_000);
  });

  it('costs 8 bytes a slot', () => {
    const set = new IdSet({ expected: 3000 });
    expect(set.byteLength).toBe(set.capacity * 8);
  });
});

describe('hashId', () => {
  it('is deterministic, and distinguishes ids differing in one character or in length', () => {
    const first = new Uint32Array(2);
    const second = new Uint32Array(2);
    hashId('user-123', first);
    hashId('user-123', second);
    expect([...first]).toEqual([...second]);
    hashId('user-124', second);
    expect([...first]).not.toEqual([...second]);
    hashId('user-1230', second);
    expect([...first]).not.toEqual([...second]);
  });
});

describe('PendingIds', () => {
  it('keeps hash, line and tag per entry as it grows past its first block', () => {
    const pending = new PendingIds();
    const hash = new Uint32Array(2);
    for (let index = 0; index < 1000; index++) pending.push(`parent-${index}`, index + 2, index % 7);
    expect(pending.length).toBe(1000);
    for (const index of [0, 63, 64, 999]) {
      hashId(`parent-${index}`, hash);
      expect(pending.high(index)).toBe(hash[0]);
      expect(pending.low(index)).toBe(hash[1]);
      expect(pending.line(index)).toBe(index + 2);
      expect(pending.tag(index)).toBe(index % 7);
    }
  });

  it('shares the id set hash, so a pending reference resolves against the set', () => {
    const set = new IdSet();
    set.add('d1');
    const pending = new PendingIds();
    pending.push('d1', 2, 0);
    pending.push('d2', 3, 0);
    expect(set.hasHash(pending.high(0), pending.low(0))).toBe(true);
    expect(set.hasHash(pending.high(1), pending.low(1))).toBe(false);
  });
});

describe('HashLog', () => {
  it('finds the hashes that occur more than once, after growing past its first block', () => {
    const log = new HashLog();
    for (let index = 0; index < 5000; index++) log.push(`enrollment-${index}`);
    log.push('enrollment-17');
    log.push('enrollment-4242');
    log.push('enrollment-17');
    expect(log.length).toBe(5003);
    const repeated = log.repeatedHashes();
    expect(repeated.size).toBe(2);
    expect(repeated.has('enrollment-17')).toBe(true);
    expect(repeated.has('enrollment-4242')).toBe(true);
    expect(repeated.has('enrollment-18')).toBe(false);
  });

  it('finds none in distinct ids, reserved up front', () => {
    const log = new HashLog({ expected: 100 });
    log.reserve(10_000);
    for (let index = 0; index < 10_000; index++) log.push(`e${index}`);
    expect(log.repeatedHashes().size).toBe(0);
  });

  it('reports colliding ids as candidates only (the validator confirms them by their text)', () => {
    const log = new HashLog({ hash: weakHasher(1) });
    log.push('alpha');
    log.push('omega');
    const repeated = log.repeatedHashes();
    expect(repeated.has('alpha')).toBe(true);
    expect(repeated.has('anything')).toBe(true);
  });
});
