import { describe, expect, it } from 'vitest';
import { readCookie, serializeCookie } from './cookies.ts';

const withCookie = (cookie?: string) =>
  new Request('https://tool.example/launch', cookie === undefined ? {} : { headers: { cookie } });

describe('readCookie', () => {
  it('finds the named cookie among others, and only that exact name', () => {
    const request = withCookie('lti_state_ab=other; theme=dark;  lti_state_a = mine ; x=1');
    expect(readCookie(request, 'lti_state_a')).toBe('mine');
    expect(readCookie(request, 'lti_state_ab')).toBe('other');
    expect(readCookie(request, 'lti_state')).toBeUndefined();
    expect(readCookie(withCookie(), 'lti_state_a')).toBeUndefined();
  });

  it('takes the first of several cookies of one name, percent-decoded, and keeps a value that does not decode', () => {
    expect(readCookie(withCookie('s=a%20b; s=second'), 's')).toBe('a b');
    expect(readCookie(withCookie('s=100%; t=1'), 's')).toBe('100%');
    expect(readCookie(withCookie('novalue; s='), 's')).toBe('');
  });

  it('reads back what serializeCookie writes', () => {
    const cookie = serializeCookie('lti_state_x', 'a;b c', { maxAgeSeconds: 60 }).split(';')[0] ?? '';
    expect(readCookie(withCookie(`other=1; ${cookie}`), 'lti_state_x')).toBe('a;b c');
  });
});
