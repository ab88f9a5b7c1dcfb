/**
 * Compact sets of sourcedIds for duplicate and reference checks on packages of millions of rows (see
 * docs/decisions/0002-compact-id-sets.md). An id is kept as a 64-bit hash (two 32-bit halves) in an open-addressing
 * table on a typed array: 8 bytes a slot, at most 3/4 full, so 11 to 21 bytes an id, against well over 100 for a
 * `Set<string>`.
 *
 * Membership is by hash: `has` can answer yes for an id never added when two ids share all 64 bits (about 10⁻¹³ a
 * look-up at ten million ids). Callers that must never be wrong about a "yes" (duplicate sourcedIds) confirm it
 * exactly; a reference check accepts the risk.
 */

/** Writes the 64-bit hash of `id` into `out[0]` (high half) and `out[1]` (low half). Never writes two zeros. */
export type IdHasher = (id: string, out: Uint32Array) => void;

/**
 * Two independent 32-bit hashes over the UTF-16 code units (FNV-1a, and a multiply-xorshift lane), each finished with
 * the murmur3 mixer so that the low bits used for the slot index are well spread. No allocation.
 */
export const hashId: IdHasher = (id, out) => {
  const length = id.length;
  let high = 0x811c9dc5 ^ length;
  let low = 0x27d4eb2f;
  for (let index = 0; index < length; index++) {
    const unit = id.charCodeAt(index);
    high = Math.imul(high ^ unit, 0x01000193);
    low = Math.imul(low ^ unit, 0x5bd1e995);
    low ^= low >>> 15;
  }
  high ^= high >>> 16;
  high = Math.imul(high, 0x85ebca6b);
  high ^= high >>> 13;
  high = Math.imul(high, 0xc2b2ae35);
  high ^= high >>> 16;
  low ^= length;
  low ^= low >>> 16;
  low = Math.imul(low, 0x85ebca6b);
  low ^= low >>> 13;
  low = Math.imul(low, 0xc2b2ae35);
  low ^= low >>> 16;
  // (0, 0) marks an empty slot.
  out[0] = high === 0 && low === 0 ? 1 : high;
  out[1] = low;
};

const maxLoad = 0.75;
const minimumCapacity = 16;

function capacityFor(expected: number): number {
  let capacity = minimumCapacity;
  while (capacity * maxLoad < expected) capacity *= 2;
  return capacity;
}

export interface IdSetOptions {
  /** How many ids to make room for up front (the table still grows past it). */
  expected?: number;
  /** Replaces the hash function; tests use a weak one to force collisions. */
  hash?: IdHasher;
}

export class IdSet {
  #slots: Uint32Array;
  #mask: number;
  #size = 0;
  readonly #hash: IdHasher;
  readonly #scratch = new Uint32Array(2);

  constructor(options: IdSetOptions = {}) {
    const capacity = capacityFor(options.expected ?? 0);
    this.#slots = new Uint32Array(capacity * 2);
    this.#mask = capacity - 1;
    this.#hash = options.hash ?? hashId;
  }

  /** How many distinct hashes the set holds. */
  get size(): number {
    return this.#size;
  }

  /** How many slots the table has (a power of two). */
  get capacity(): number {
    return this.#mask + 1;
  }

  /** Bytes held by the table. */
  get byteLength(): number {
    return this.#slots.byteLength;
  }

  /** Adds `id`; false when its hash was already there (the id itself, or a colliding one). */
  add(id: string): boolean {
    this.#hash(id, this.#scratch);
    return this.addHash(this.#scratch[0]!, this.#scratch[1]!);
  }

  has(id: string): boolean {
    this.#hash(id, this.#scratch);
    return this.hasHash(this.#scratch[0]!, this.#scratch[1]!);
  }

  /** The hash of `id` as this set computes it, written into `out`. */
  hashInto(id: string, out: Uint32Array): void {
    this.#hash(id, out);
  }

  addHash(high: number, low: number): boolean {
    // (0, 0) marks an empty slot; a hasher that produces it shares (1, 0).
    if (high === 0 && low === 0) high = 1;
    if (this.#size + 1 > (this.#mask + 1) * maxLoad) this.#resize((this.#mask + 1) * 2);
    const slots = this.#slots;
    const mask = this.#mask;
    let slot = low & mask;
    for (;;) {
      const at = slot * 2;
      const slotHigh = slots[at]!;
      const slotLow = slots[at + 1]!;
      if (slotHigh === 0 && slotLow === 0) {
        slots[at] = high;
        slots[at + 1] = low;
        this.#size++;
        return true;
      }
      if (slotHigh === high && slotLow === low) return false;
      slot = (slot + 1) & mask;
    }
  }

  hasHash(high: number, low: number): boolean {
    if (high === 0 && low === 0) high = 1;
    const slots = this.#slots;
    const mask = this.#mask;
    let slot = low & mask;
    for (;;) {
      const at = slot * 2;
      const slotHigh = slots[at]!;
      const slotLow = slots[at + 1]!;
      if (slotHigh === high && slotLow === low) return true;
      if (slotHigh === 0 && slotLow === 0) return false;
      slot = (slot + 1) & mask;
    }
  }

  /** Makes room for `expected` ids in all, so that filling the set up to that size does not rehash. */
  reserve(expected: number): void {
    const capacity = capacityFor(expected);
    if (capacity > this.#mask + 1) this.#resize(capacity);
  }

  #resize(capacity: number): void {
    const old = this.#slots;
    const slots = new Uint32Array(capacity * 2);
    const mask = capacity - 1;
    for (let at = 0; at < old.length; at += 2) {
      const high = old[at]!;
      const low = old[at + 1]!;
      if (high === 0 && low === 0) continue;
      let slot = low & mask;
      while (slots[slot * 2] !== 0 || slots[slot * 2 + 1] !== 0) slot = (slot + 1) & mask;
      slots[slot * 2] = high;
      slots[slot * 2 + 1] = low;
    }
    this.#slots = slots;
    this.#mask = mask;
  }
}

/**
 * Duplicate detection for a file whose ids nothing looks up (enrollments, results, ...): the 64-bit hashes are
 * appended to a typed array, then sorted once, and equal neighbours are the candidate duplicates. Appending touches
 * memory in order where a hash table touches it at random, which on the largest files (eight million enrollments)
 * is both faster and half the memory: 8 bytes an id.
 */
export class HashLog {
  #hashes: Uint32Array;
  #length = 0;
  readonly #hash: IdHasher;
  readonly #scratch = new Uint32Array(2);

  constructor(options: IdSetOptions = {}) {
    this.#hashes = new Uint32Array(Math.max(64, options.expected ?? 0) * 2);
    this.#hash = options.hash ?? hashId;
  }

  get length(): number {
    return this.#length;
  }

  push(id: string): void {
    if (this.#length * 2 === this.#hashes.length) this.#resize(Math.ceil(this.#length * 1.5));
    this.#hash(id, this.#scratch);
    const at = this.#length++ * 2;
    this.#hashes[at] = this.#scratch[0]!;
    this.#hashes[at + 1] = this.#scratch[1]!;
  }

  /** Makes room for `expected` ids in all. */
  reserve(expected: number): void {
    if (expected * 2 > this.#hashes.length) this.#resize(expected);
  }

  /**
   * The hashes that occur more than once, as a set to test ids against (empty when there are none). Sorts the log in
   * place: call once, after the last `push`.
   */
  repeatedHashes(): IdSet {
    const repeated = new IdSet({ hash: this.#hash });
    const length = this.#length;
    const hashes = this.#hashes;
    new BigUint64Array(hashes.buffer, hashes.byteOffset, length).sort();
    for (let index = 1; index < length; index++) {
      const at = index * 2;
      if (hashes[at] === hashes[at - 2] && hashes[at + 1] === hashes[at - 1]) {
        repeated.addHash(hashes[at]!, hashes[at + 1]!);
      }
    }
    return repeated;
  }

  #resize(entries: number): void {
    const next = new Uint32Array(entries * 2);
    next.set(this.#hashes.subarray(0, this.#length * 2));
    this.#hashes = next;
  }
}

/**
 * A growable list of (id hash, line, tag) entries in typed arrays: references waiting for the end of their own
 * file (an org's parent further down orgs.csv), 16 bytes an entry instead of a string and an object.
 */
export class PendingIds {
  #high = new Uint32Array(64);
  #low = new Uint32Array(64);
  #line = new Uint32Array(64);
  #tag = new Uint16Array(64);
  #length = 0;
  readonly #scratch = new Uint32Array(2);
  readonly #hash: IdHasher;

  constructor(hash: IdHasher = hashId) {
    this.#hash = hash;
  }

  get length(): number {
    return this.#length;
  }

  /** Records `id` found on `line`; `tag` is the caller's (a column index). */
  push(id: string, line: number, tag: number): void {
    if (this.#length === this.#high.length) this.#grow();
    this.#hash(id, this.#scratch);
    const index = this.#length++;
    this.#high[index] = this.#scratch[0]!;
    this.#low[index] = this.#scratch[1]!;
    this.#line[index] = line;
    this.#tag[index] = tag;
  }

  high(index: number): number {
    return this.#high[index]!;
  }
  low(index: number): number {
    return this.#low[index]!;
  }
  line(index: number): number {
    return this.#line[index]!;
  }
  tag(index: number): number {
    return this.#tag[index]!;
  }

  #grow(): void {
    const size = this.#high.length * 2;
    const grow = <T extends Uint32Array | Uint16Array>(array: T, next: T): T => {
      next.set(array);
      return next;
    };
    this.#high = grow(this.#high, new Uint32Array(size));
    this.#low = grow(this.#low, new Uint32Array(size));
    this.#line = grow(this.#line, new Uint32Array(size));
    this.#tag = grow(this.#tag, new Uint16Array(size));
  }
}
