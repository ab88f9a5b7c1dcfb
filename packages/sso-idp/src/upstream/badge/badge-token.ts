import { randomBytes } from 'node:crypto';
import type { SsoUrls } from '../../context.ts';
import { hashToken } from '../../sessions/tokens.ts';

/**
 * A badge token is `<badgeId>.<secret>`: the badge id (96 random bits) finds the record, the secret (256 random
 * bits) proves the badge. Only the SHA-256 of the secret is stored; with this much entropy a slow hash adds nothing.
 */
export interface BadgeToken {
  readonly badgeId: string;
  readonly secret: string;
}

const part = /^[A-Za-z0-9_-]+$/;

export function newBadgeToken(): BadgeToken & { readonly token: string } {
  const badgeId = randomBytes(12).toString('base64url');
  const secret = randomBytes(32).toString('base64url');
  return { badgeId, secret, token: `${badgeId}.${secret}` };
}

/** The parts of a token as typed or scanned; undefined for anything that is not one. */
export function parseBadgeToken(value: string): BadgeToken | undefined {
  const [badgeId, secret, extra] = value.trim().split('.');
  if (badgeId === undefined || secret === undefined || extra !== undefined) return undefined;
  if (badgeId.length !== 16 || secret.length !== 43 || !part.test(badgeId) || !part.test(secret))
    return undefined;
  return { badgeId, secret };
}

export const hashBadgeSecret = (secret: string): string => hashToken(secret);

/** A hash no secret matches, compared against when the badge id is unknown so timing reveals nothing. */
export const decoyBadgeHash = hashToken('no badge has this secret');

/**
 * The badge URL the QR code holds: the district's badge page, the token in the fragment. A fragment never reaches
 * the server (no access log, no Referer); the page's script reads it and posts it.
 */
export function badgeUrl(urls: SsoUrls, districtId: string, token: string): string {
  return `${urls.origin}${urls.basePath}/signin/badge/${encodeURIComponent(districtId)}#${token}`;
}
