import type { StoredTokens, TokenStore } from '../../ports.ts';

/** Tokens in a Map: tests and single-process development. */
export function createMemoryTokenStore(): TokenStore {
  const tokens = new Map<string, StoredTokens>();
  return {
    async load(key) {
      const stored = tokens.get(key);
      return stored === undefined ? undefined : structuredClone(stored);
    },
    async save(key, value) {
      tokens.set(key, structuredClone(value));
    },
    async delete(key) {
      tokens.delete(key);
    },
  };
}
