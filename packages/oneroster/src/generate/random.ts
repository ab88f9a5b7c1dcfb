/**
 * A small seeded pseudo-random generator (sfc32 seeded through a 128-bit string hash), so generated districts are
 * the same on every run, machine and Node version for a given seed. `derive` gives an independent stream per
 * entity (`derive('student', 42)`), so any row can be computed on its own, in any order, without keeping state.
 */

const warmupRounds = 12;

/** cyrb128: a fast 128-bit string hash, enough to spread a seed over four 32-bit words. */
function hashWords(text: string, words: readonly number[]): [number, number, number, number] {
  let h1 = words[0] ?? 1779033703;
  let h2 = words[1] ?? 3144134277;
  let h3 = words[2] ?? 1013904242;
  let h4 = words[3] ?? 2773480762;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    h1 = h2 ^ Math.imul(h1 ^ code, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ code, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ code, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ code, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

export class Random {
  readonly #seedWords: readonly number[];
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  private constructor(words: readonly [number, number, number, number]) {
    this.#seedWords = words;
    [this.#a, this.#b, this.#c, this.#d] = words;
    for (let round = 0; round < warmupRounds; round++) this.next();
  }

  static fromSeed(seed: string | number): Random {
    return new Random(hashWords(`${typeof seed}:${seed}`, []));
  }

  /** An independent generator for one entity; the same path always gives the same stream. */
  derive(...path: ReadonlyArray<string | number>): Random {
    return new Random(hashWords(path.join('\u0000'), this.#seedWords));
  }

  /** A uniform 32-bit unsigned integer. */
  next(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return t >>> 0;
  }

  /** A uniform float in [0, 1). */
  float(): number {
    return this.next() / 4294967296;
  }

  /** A uniform integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.float() < probability;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.float() * items.length)];
    if (item === undefined) throw new RangeError('pick from an empty list');
    return item;
  }

  /** Picks by weight: `[[item, weight], ...]`. */
  weighted<T>(choices: ReadonlyArray<readonly [T, number]>): T {
    const total = choices.reduce((sum, [, weight]) => sum + weight, 0);
    let target = this.float() * total;
    for (const [item, weight] of choices) {
      target -= weight;
      if (target < 0) return item;
    }
    const last = choices.at(-1);
    if (last === undefined) throw new RangeError('weighted pick from an empty list');
    return last[0];
  }

  /** A shuffled copy (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const copy = [...items];
    for (let index = copy.length - 1; index > 0; index--) {
      const other = Math.floor(this.float() * (index + 1));
      [copy[index], copy[other]] = [copy[other] as T, copy[index] as T];
    }
    return copy;
  }
}
