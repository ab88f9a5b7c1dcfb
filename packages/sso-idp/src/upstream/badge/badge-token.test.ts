import { describe, expect, it } from 'vitest';
import { ssoUrls } from '../../context.ts';
import { badgeUrl, hashBadgeSecret, newBadgeToken, parseBadgeToken } from './badge-token.ts';

describe('badge tokens', () => {
  it('are random, parse back to their parts and hash to something other than the secret', () => {
    const first = newBadgeToken();
    const second = newBadgeToken();
    expect(first.token).not.toBe(second.token);
    expect(first.token).toBe(`${first.badgeId}.${first.secret}`);
    expect(parseBadgeToken(` ${first.token}\n`)).toEqual({ badgeId: first.badgeId, secret: first.secret });
    expect(hashBadgeSecret(first.secret)).not.toContain(first.secret);
    expect(hashBadgeSecret(first.secret)).toBe(hashBadgeSecret(first.secret));
    expect(hashBadgeSecret(first.secret)).not.toBe(hashBadgeSecret(second.secret));
  });

  it.each([
    '',
    'no-dot',
    'a.b',
    `${'A'.repeat(16)}.${'B'.repeat(42)}`,
    `${'A'.repeat(16)}.${'B'.repeat(43)}.extra`,
    `${'A'.repeat(15)}=.${'B'.repeat(43)}`,
  ])('refuses %j', (value) => {
    expect(parseBadgeToken(value)).toBeUndefined();
  });

  it('puts the token in the fragment of the district’s badge page', () => {
    const url = badgeUrl(ssoUrls('https://sso.example.org/sso/'), 'district maple', 'ID.SECRET');
    expect(url).toBe('https://sso.example.org/sso/signin/badge/district%20maple#ID.SECRET');
  });
});
