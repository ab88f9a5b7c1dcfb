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

describe('safeReturnTo with the host pages beside the SSO', () => {
  const bases = ['/sso', '/console'];

  it('keeps paths under any of the base paths', () => {
    expect(safeReturnTo('/console/districts/demo?tab=roster', origin, bases, '/sso/portal')).toBe(
      '/console/districts/demo?tab=roster',
    );
    expect(safeReturnTo('/console', origin, bases, '/sso/portal')).toBe('/console');
    expect(safeReturnTo('/sso/portal', origin, bases, '/sso/portal')).toBe('/sso/portal');
  });

  it.each(['/consoleX', '/console/../admin', '/admin', 'https://evil.example/console'])(
    'still refuses %j',
    (value) => {
      expect(() => safeReturnTo(value, origin, bases, '/sso/portal')).toThrow(
        expect.objectContaining({ code: 'SSO_REDIRECT_UNSAFE' }),
      );
    },
  );
});
