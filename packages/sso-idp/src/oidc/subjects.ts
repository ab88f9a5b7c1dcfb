import { createHmac } from 'node:crypto';

/**
 * A pairwise subject: the same person gets a different, stable `sub` in every app (HMAC-SHA256 of the app id and
 * the Passport user id under a server secret), so two apps cannot correlate a student by comparing subjects.
 */
export function pairwiseSubject(secret: string, appId: string, userId: string): string {
  return createHmac('sha256', secret).update(`${appId}\u0000${userId}`).digest('base64url');
}
