/** A small seeded generator (mulberry32): the same seed gives the same world on every machine. */
export interface Random {
  /** 0 ≤ n < 1. */
  next(): number;
  integer(min: number, max: number): number;
  pick<T>(values: readonly T[]): T;
  /** A Coursera-looking id: 22 characters of base64url. */
  id(): string;
}

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const integer = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    integer,
    pick: (values) => values[integer(0, values.length - 1)]!,
    id: () => Array.from({ length: 22 }, () => alphabet[integer(0, alphabet.length - 1)]).join(''),
  };
}

export function slugify(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
