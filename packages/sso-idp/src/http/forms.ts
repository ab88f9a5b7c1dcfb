import { SsoError } from '../errors.ts';

const formLimitBytes = 256 * 1024;

/** Reads an `application/x-www-form-urlencoded` body (at most 256 KiB). */
export async function readForm(request: Request): Promise<URLSearchParams> {
  const type = request.headers.get('content-type') ?? '';
  if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    throw new SsoError('SSO_REQUEST_INVALID', 'Expected a form post (application/x-www-form-urlencoded).');
  }
  const text = await request.text();
  if (text.length > formLimitBytes) throw new SsoError('SSO_REQUEST_INVALID', 'The form is too large.');
  return new URLSearchParams(text);
}

/**
 * The client address as the host reports it. With `trustForwardedFor` (one proxy in front that appends the address
 * it saw), the last `x-forwarded-for` entry: the ones before it are whatever the client sent, so a client could
 * otherwise pick its own address and escape per-address sign-in limits.
 */
export function clientAddress(request: Request, trustForwardedFor: boolean): string | undefined {
  if (trustForwardedFor) {
    const forwarded = request.headers
      .get('x-forwarded-for')
      ?.split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== '');
    const last = forwarded?.at(-1);
    if (last !== undefined) return last;
  }
  return request.headers.get('x-passport-client-address') ?? undefined;
}
