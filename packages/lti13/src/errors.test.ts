import { PassportError } from '@passport/core';
import { describe, expect, it } from 'vitest';
import { LtiError, ltiErrorCatalog, ltiErrorCodes } from './errors.ts';

describe('LtiError', () => {
  it('takes status, spec error and fix from the catalog', () => {
    const error = new LtiError('LTI_NONCE_REPLAYED');
    expect(error.status).toBe(400);
    expect(error.specError).toBe('invalid_token');
    expect(error.fix).toBe(ltiErrorCatalog.LTI_NONCE_REPLAYED.fix);
    expect(error.description).toBe(ltiErrorCatalog.LTI_NONCE_REPLAYED.title);
    expect(PassportError.is(error)).toBe(true);
    expect(LtiError.isLtiError(error)).toBe(true);
    expect(LtiError.isLtiError(new PassportError('OTHER_CODE', 'x'))).toBe(false);
  });

  it('has a prefixed code, an HTTP error status, a title and a fix for every entry', () => {
    for (const code of ltiErrorCodes) {
      const entry = ltiErrorCatalog[code];
      expect(code).toMatch(/^LTI_[A-Z0-9_]+$/);
      expect(entry.status).toBeGreaterThanOrEqual(400);
      expect(entry.status).toBeLessThan(600);
      expect(entry.title.length).toBeGreaterThan(10);
      expect(entry.fix.length).toBeGreaterThan(10);
    }
  });
});
