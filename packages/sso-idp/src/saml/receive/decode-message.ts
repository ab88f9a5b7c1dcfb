import { inflateRawSync } from 'node:zlib';
import { SsoError } from '../../errors.ts';

const maximumBytes = 64 * 1024;

/** HTTP-Redirect binding: base64, then raw DEFLATE (at most 64 KiB inflated). */
export function decodeRedirectMessage(value: string): string {
  try {
    const deflated = Buffer.from(value, 'base64');
    return inflateRawSync(deflated, { maxOutputLength: maximumBytes }).toString('utf8');
  } catch (cause) {
    throw new SsoError(
      'SSO_SAML_REQUEST_INVALID',
      'The SAML message could not be decoded (base64 + DEFLATE).',
      {
        cause,
      },
    );
  }
}

/** HTTP-POST binding: base64 (at most 64 KiB). */
export function decodePostMessage(value: string): string {
  if (value.length > (maximumBytes * 4) / 3 + 4) {
    throw new SsoError('SSO_SAML_REQUEST_INVALID', 'The SAML message is too large.');
  }
  const xml = Buffer.from(value, 'base64').toString('utf8');
  if (!xml.trimStart().startsWith('<')) {
    throw new SsoError('SSO_SAML_REQUEST_INVALID', 'The SAML message could not be decoded (base64).');
  }
  return xml;
}
