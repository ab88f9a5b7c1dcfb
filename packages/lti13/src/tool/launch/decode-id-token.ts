import { LtiError } from '../../errors.ts';

export interface DecodedIdToken {
  readonly token: string;
  readonly header: Readonly<Record<string, unknown>>;
  readonly payload: Readonly<Record<string, unknown>>;
}

const base64url = /^[A-Za-z0-9_-]+$/;

function decodePart(part: string, name: string): Record<string, unknown> {
  if (!base64url.test(part))
    throw new LtiError('LTI_ID_TOKEN_MALFORMED', `The id_token ${name} is not base64url.`);
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
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
