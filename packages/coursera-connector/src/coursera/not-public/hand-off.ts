// NOT PUBLIC — MODELLED. How a signed-on learner is handed to Coursera and comes back is not public; this signed
// URL is our model of it. See ./README.md. Replace this file when the real mechanism is known.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { CourseraError } from '../../errors/coursera-error.ts';

export interface HandOffSettings {
  /** The learner-facing site (`https://www.coursera.org` in production, the simulator's URL in development). */
  siteUrl: string;
  organizationId: string;
  /** The secret shared with the platform for this organization. */
  secret: string;
  /** How old a signed return may be (default 300 s). */
  maxAgeSeconds?: number;
}

export interface HandOffParameters {
  programId: string;
  contentId?: string;
  itemId?: string;
  externalId: string;
  email: string;
  fullName: string;
  returnUrl: string;
  state: string;
}

export type CourseraHandOffOutcome = 'joined' | 'already-member' | 'program-full';
export type CourseraAccountLink = 'existing' | 'created' | 'previously-linked';

export interface VerifiedHandOffReturn {
  state: string;
  programId: string;
  externalId: string;
  outcome: CourseraHandOffOutcome;
  accountLink: CourseraAccountLink;
  issuedAt: Date;
}

/** The signature covers every parameter except itself, sorted by name: `name=value` lines, URL-decoded. */
export function signParameters(parameters: URLSearchParams, secret: string): string {
  const lines = [...parameters.entries()]
    .filter(([name]) => name !== 'signature')
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`);
  return createHmac('sha256', secret).update(lines.join('\n')).digest('base64url');
}

export function verifySignature(parameters: URLSearchParams, secret: string): boolean {
  const given = Buffer.from(parameters.get('signature') ?? '', 'utf8');
  const expected = Buffer.from(signParameters(parameters, secret), 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** `{siteUrl}/sso/hand-off?...&signature=...`. */
export function buildHandOffUrl(settings: HandOffSettings, parameters: HandOffParameters, now: Date): URL {
  const url = new URL('/sso/hand-off', settings.siteUrl);
  const query = url.searchParams;
  query.set('organizationId', settings.organizationId);
  query.set('programId', parameters.programId);
  if (parameters.contentId !== undefined) query.set('contentId', parameters.contentId);
  if (parameters.itemId !== undefined) query.set('itemId', parameters.itemId);
  query.set('externalId', parameters.externalId);
  query.set('email', parameters.email);
  query.set('fullName', parameters.fullName);
  query.set('returnUrl', parameters.returnUrl);
  query.set('state', parameters.state);
  query.set('issuedAt', String(now.getTime()));
  query.set('signature', signParameters(query, settings.secret));
  return url;
}

const outcomes: readonly string[] = ['joined', 'already-member', 'program-full'];
const accountLinks: readonly string[] = ['existing', 'created', 'previously-linked'];

/** Verifies the return's signature, age and state, and reads the outcome. */
export function verifyHandOffReturn(
  settings: HandOffSettings,
  url: URL | string,
  expected: { state: string },
  now: Date,
): VerifiedHandOffReturn {
  const query = new URL(url).searchParams;
  const fail = (why: string) =>
    new CourseraError('COURSERA_HAND_OFF_INVALID', `The return from Coursera does not verify: ${why}`, {
      description: 'The sign-on could not be confirmed. Please open the course again from your class.',
      detail: { why },
    });
  if (!verifySignature(query, settings.secret)) throw fail('bad signature');
  if (query.get('organizationId') !== settings.organizationId) throw fail('another organization');
  if (query.get('state') !== expected.state) throw fail('state does not match');
  const issuedAt = Number(query.get('issuedAt'));
  const maxAgeMs = (settings.maxAgeSeconds ?? 300) * 1000;
  if (!Number.isFinite(issuedAt) || Math.abs(now.getTime() - issuedAt) > maxAgeMs) throw fail('too old');
  const outcome = query.get('outcome') ?? '';
  const accountLink = query.get('accountLink') ?? '';
  const programId = query.get('programId');
  const externalId = query.get('externalId');
  if (!outcomes.includes(outcome) || !accountLinks.includes(accountLink) || !programId || !externalId) {
    throw fail('missing or unknown outcome');
  }
  return {
    state: expected.state,
    programId,
    externalId,
    outcome: outcome as CourseraHandOffOutcome,
    accountLink: accountLink as CourseraAccountLink,
    issuedAt: new Date(issuedAt),
  };
}
