import { describe, expect, it } from 'vitest';
import type { StoredTokens, TokenStore } from '../ports.ts';

const tokens = (suffix: string, at = Date.UTC(2025, 2, 3, 9)): StoredTokens => ({
  accessToken: `access-${suffix}`,
  accessTokenExpiresAt: new Date(at + 1_800_000),
  refreshToken: `refresh-${suffix}`,
  refreshTokenExpiresAt: new Date(at + 14 * 86_400_000),
  scope: 'access_business_api',
  consentedAt: new Date(at),
});

/** The behavior every TokenStore adapter must have. `create` gives a fresh, empty store. */
export function describeTokenStoreContract(name: string, create: () => Promise<TokenStore>): void {
  describe(`TokenStore contract: ${name}`, () => {
    it('loads nothing for an unknown key', async () => {
      expect(await (await create()).load('coursera:none')).toBeUndefined();
    });

    it('saves and loads tokens with their dates', async () => {
      const store = await create();
      await store.save('coursera:org-1', tokens('a'));
      expect(await store.load('coursera:org-1')).toEqual(tokens('a'));
    });

    it('replaces on save and keeps keys apart', async () => {
      const store = await create();
      await store.save('coursera:org-1', tokens('a'));
      await store.save('coursera:org-2', tokens('b'));
      await store.save('coursera:org-1', tokens('c', Date.UTC(2025, 2, 4)));
      expect(await store.load('coursera:org-1')).toEqual(tokens('c', Date.UTC(2025, 2, 4)));
      expect(await store.load('coursera:org-2')).toEqual(tokens('b'));
    });

    it('deletes, and deleting twice is fine', async () => {
      const store = await create();
      await store.save('coursera:org-1', tokens('a'));
      await store.delete('coursera:org-1');
      await store.delete('coursera:org-1');
      expect(await store.load('coursera:org-1')).toBeUndefined();
    });
  });
}
