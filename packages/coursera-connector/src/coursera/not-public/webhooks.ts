// NOT PUBLIC — MODELLED. Coursera publishes no webhooks; this push of result changes is our model of one, signed
// like common webhook schemes (timestamp + HMAC-SHA256 of `${t}.${body}`). See ./README.md.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { CourseraError } from '../../errors/coursera-error.ts';
import { enrollmentReportSchema } from '../api/schemas.ts';
import { itemGradeSchema } from './item-grades.ts';

export const WEBHOOK_SIGNATURE_HEADER = 'x-coursera-signature';

const envelope = { eventId: z.string().min(1), occurredAt: z.number(), organizationId: z.string() };

export const webhookEventSchema = z.discriminatedUnion('type', [
  z.looseObject({ ...envelope, type: z.literal('itemGrade.updated'), data: itemGradeSchema }),
  z.looseObject({ ...envelope, type: z.literal('enrollment.updated'), data: enrollmentReportSchema }),
]);

export type CourseraWebhookEvent = z.output<typeof webhookEventSchema>;

export interface WebhookSettings {
  secret: string;
  organizationId: string;
  /** How far the signature time may be from now (default 300 s). */
  toleranceSeconds?: number;
}

/** `t=<epoch ms>,v1=<hex HMAC-SHA256 of "t.body">`. */
export function signWebhook(body: string, secret: string, at: number): string {
  return `t=${at},v1=${createHmac('sha256', secret).update(`${at}.${body}`).digest('hex')}`;
}

/** Verifies a pushed event (signature, age, organization) and reads it. */
export async function verifyWebhook(
  request: Request,
  settings: WebhookSettings,
  now: Date,
): Promise<CourseraWebhookEvent> {
  const fail = (why: string) =>
    new CourseraError('COURSERA_WEBHOOK_INVALID', `A pushed Coursera event does not verify: ${why}`, {
      status: 400,
      detail: { why },
    });
  const body = await request.text();
  const header = request.headers.get(WEBHOOK_SIGNATURE_HEADER) ?? '';
  const parts = Object.fromEntries(header.split(',').map((part) => part.split('=', 2) as [string, string]));
  const at = Number(parts.t);
  if (!Number.isFinite(at) || parts.v1 === undefined) throw fail('no signature');
  const expected = Buffer.from(signWebhook(body, settings.secret, at), 'utf8');
  const given = Buffer.from(`t=${parts.t},v1=${parts.v1}`, 'utf8');
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw fail('bad signature');
  if (Math.abs(now.getTime() - at) > (settings.toleranceSeconds ?? 300) * 1000) throw fail('too old');
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw fail('not JSON');
  }
  const parsed = webhookEventSchema.safeParse(json);
  if (!parsed.success) throw fail('unexpected shape');
  if (parsed.data.organizationId !== settings.organizationId) throw fail('another organization');
  return parsed.data;
}
