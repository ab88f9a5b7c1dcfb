import { PassportError } from '@passport/core';
import { describe, expect, it } from 'vitest';
import { SsoError, ssoErrorCatalog, ssoErrorCodes } from './errors.ts';

describe('SsoError', () => {
  it('takes status, spec error and texts from the catalog', () => {
    const error = new SsoError('SSO_GRANT_SCHOOL_EXCLUDED');
    expect(error.status).toBe(403);
    expect(error.specError).toBe('access_denied');
    expect(error.description).toBe(ssoErrorCatalog.SSO_GRANT_SCHOOL_EXCLUDED.title);
    expect(PassportError.is(error)).toBe(true);
    expect(SsoError.isSsoError(error)).toBe(true);
    expect(SsoError.isSsoError(new PassportError('LTI_X', 'x'))).toBe(false);
  });

  it('every code has the SSO_ prefix, a status and an administrator fix', () => {
    for (const code of ssoErrorCodes) {
      expect(code).toMatch(/^SSO_[A-Z_]+$/);
      const entry = ssoErrorCatalog[code];
      expect(entry.status).toBeGreaterThanOrEqual(400);
      expect(entry.fix.length).toBeGreaterThan(10);
    }
  });
});
