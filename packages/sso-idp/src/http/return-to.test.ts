import { describe, expect, it } from 'vitest';
import { SsoError } from '../errors.ts';
import { safeReturnTo } from './return-to.ts';

const origin = 'https://sso.example.org';

describe('safeReturnTo', () => {
  it('keeps paths under the base path and gives the fallback for none', () => {
    expect(safeReturnTo('/sso/interaction/abc?x=1', origin, '/sso', '/sso/portal')).toBe(
      '/sso/interaction/abc?x=1',
    );
    expect(safeReturnTo(null, origin, '/sso', '/sso/portal')).toBe('/sso/portal');
    expect(safeReturnTo('/anything', origin, '', '/portal')).toBe('/anything');
  });

  it.each([
    'https://evil.example/',
    '//evil.example',
    '/\\evil.example',
    '\\\\evil.example',
    'evil.example',
    '/sso/../admin',
    '/ssox/portal',
    '/sso/\tportal',
    'data:text/html,x',
  ])('refuses %j with SSO_REDIRECT_UNSAFE', (value) => {
    try {
      safeReturnTo(value, origin, '/sso', '/sso/portal');
      expect.unreachable();
    } catch (error) {
      expect(SsoError.isSsoError(error) && error.code).toBe('SSO_REDIRECT_UNSAFE');
    }
  });
});
