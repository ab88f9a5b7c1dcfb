import { describe, expect, it } from 'vitest';
import { decodeIdToken } from './decode-id-token.ts';

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const header = encode({ alg: 'RS256', kid: 'k1', typ: 'JWT' });
const payload = encode({ iss: 'https://lms.example', sub: 'ü-user', n: 1 });

function malformed(token: string): string {
  try {
    decodeIdToken(token);
    return 'accepted';
  } catch (error) {
    return (error as { code?: string }).code ?? 'no code';
  }
}

describe('decodeIdToken', () => {
  it('decodes header and payload of a compact JWS (UTF-8 included)', () => {
    const decoded = decodeIdToken(`${header}.${payload}.c2ln`);
    expect(decoded.header).toEqual({ alg: 'RS256', kid: 'k1', typ: 'JWT' });
    expect(decoded.payload).toEqual({ iss: 'https://lms.example', sub: 'ü-user', n: 1 });
  });

  it('refuses parts that Node’s lenient decoder would accept, with LTI_ID_TOKEN_MALFORMED', () => {
    const cut = payload.length - 8;
    const withCharacter = (character: string) =>
      `${payload.slice(0, cut)}${character}${payload.slice(cut + 1)}`;
    // Standard base64 characters, padding, characters outside the alphabet, whitespace.
    for (const character of ['+', '/', '=', '$', ' ', 'é']) {
      expect(malformed(`${header}.${withCharacter(character)}.c2ln`), character).toBe(
        'LTI_ID_TOKEN_MALFORMED',
      );
    }
    expect(malformed(`${header}.${payload}==.c2ln`)).toBe('LTI_ID_TOKEN_MALFORMED');
    expect(malformed(`${header}=.${payload}.c2ln`)).toBe('LTI_ID_TOKEN_MALFORMED');
    expect(malformed(`.${payload}.c2ln`)).toBe('LTI_ID_TOKEN_MALFORMED');
  });

  it('refuses a part whose last character carries stray bits (not the canonical encoding)', () => {
    // "e30" is {} ; "e31" decodes to the same bytes but is not their encoding.
    expect(malformed(`${header}.e30.c2ln`)).toBe('accepted');
    expect(malformed(`${header}.e31.c2ln`)).toBe('LTI_ID_TOKEN_MALFORMED');
  });

  it('refuses a part that is not a JSON object, and a token without three parts', () => {
    expect(malformed(`${header}.${encode([1, 2])}.c2ln`)).toBe('LTI_ID_TOKEN_MALFORMED');
    expect(malformed(`${header}.${Buffer.from('not json').toString('base64url')}.c2ln`)).toBe(
      'LTI_ID_TOKEN_MALFORMED',
    );
    expect(malformed(`${header}.${payload}`)).toBe('LTI_ID_TOKEN_MALFORMED');
  });
});
