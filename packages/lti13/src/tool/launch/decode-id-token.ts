import { LtiError } from '../../errors.ts';

export interface DecodedIdToken {
  readonly token: string;
  readonly header: Readonly<Record<string, unknown>>;
  readonly payload: Readonly<Record<string, unknown>>;
}

/**
 * Node's base64url decoder is lenient (it skips unknown characters and accepts `+`, `/` and `=`), so a part is
 * accepted only when it is the canonical encoding of what it decodes to: the round trip rejects every character
 * outside the base64url alphabet, padding, and stray bits, and costs less than a regular expression over the part.
 */
function decodeBase64url(part: string, name: string): Buffer {
  const bytes = Buffer.from(part, 'base64url');
  if (part === '' || bytes.toString('base64url') !== part)
    throw new LtiError('LTI_ID_TOKEN_MALFORMED', `The id_token ${name} is not base64url.`);
  return bytes;
}

function decodePart(part: string, name: string): Record<string, unknown> {
  const bytes = decodeBase64url(part, name);
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new LtiError('LTI_ID_TOKEN_MALFORMED', `The id_token ${name} is not JSON.`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new LtiError('LTI_ID_TOKEN_MALFORMED', `The id_token ${name} is not a JSON object.`);
  }
  return value as Record<string, unknown>;
}

/** Step 2. Splits the compact JWS and decodes header and payload, without trusting either yet. */
export function decodeIdToken(token: string): DecodedIdToken {
  const parts = token.split('.');
  if (parts.length !== 3) {
    throw new LtiError(
      'LTI_ID_TOKEN_MALFORMED',
      `The id_token has ${parts.length} parts; a signed JWT has three.`,
    );
  }
  const [header = '', payload = ''] = parts;
  return { token, header: decodePart(header, 'header'), payload: decodePart(payload, 'payload') };
}
