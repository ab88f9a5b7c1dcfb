import { PassportError } from '@passport/core';
import { describe, expect, it } from 'vitest';
import { OneRosterApiError } from './api/api-error.ts';
import { AuthError } from './auth/auth-error.ts';
import { OneRosterClientError } from './client/client-error.ts';
import {
  apiErrorCodes,
  authErrorCodes,
  clientErrorCodes,
  filterErrorCodes,
  OneRosterError,
  oneRosterErrorCodes,
  oneRosterErrorWire,
} from './errors.ts';
import { FilterError } from './filter/filter-error.ts';

describe('OneRosterError', () => {
  it('is the one class every error is: the deprecated classes are subclasses with the same wire', () => {
    const cases = [
      [new AuthError('ONEROSTER_AUTH_TOKEN_INVALID', 'no'), AuthError, 401, 'unauthorisedrequest'],
      [new AuthError('ONEROSTER_AUTH_CLIENT_INVALID', 'no'), AuthError, 401, 'invalid_client'],
      [new FilterError('ONEROSTER_FILTER_SYNTAX', 'no'), FilterError, 400, 'invalid_filter_field'],
      [new FilterError('ONEROSTER_QUERY_INVALID_PAGING', 'no'), FilterError, 400, 'invaliddata'],
      [new OneRosterApiError('ONEROSTER_API_UNKNOWN_OBJECT', 'no'), OneRosterApiError, 404, 'unknownobject'],
      [new OneRosterClientError('ONEROSTER_CLIENT_NETWORK', 'no'), OneRosterClientError, 500, undefined],
    ] as const;
    for (const [error, subclass, status, specError] of cases) {
      expect(error, error.code).toBeInstanceOf(OneRosterError);
      expect(error).toBeInstanceOf(subclass);
      expect(PassportError.is(error)).toBe(true);
      expect([error.status, error.specError], error.code).toEqual([status, specError]);
      // The same code through the one class answers the same.
      const direct = new OneRosterError(error.code, 'no');
      expect([direct.status, direct.specError], error.code).toEqual([status, specError]);
      expect(direct).not.toBeInstanceOf(subclass);
    }
    expect(new OneRosterError('ONEROSTER_PACKAGE_NOT_FOUND', 'gone').status).toBe(404);
  });

  it("carries the client's context: status info, URL, resume offset, and a status the thrower gives", () => {
    const error = new OneRosterError('ONEROSTER_CLIENT_HTTP', 'HTTP 404', {
      status: 404,
      statusInfo: [{ codeMajor: 'failure', severity: 'error', codeMinor: ['unknownobject'] }],
      url: 'http://sis.test/ims/oneroster/v1p1/users/x',
      resumeOffset: 200,
      cause: new Error('below'),
    });
    expect(error.status).toBe(404);
    expect(error.codeMinors).toEqual(['unknownobject']);
    expect(error.url).toBe('http://sis.test/ims/oneroster/v1p1/users/x');
    expect(error.resumeOffset).toBe(200);
    expect((error.cause as Error).message).toBe('below');
    expect(new OneRosterError('ONEROSTER_INVALID_OPTIONS', 'bad').statusInfo).toEqual([]);
  });

  it('has one code table: every family in it, each code with a wire entry and the package prefix', () => {
    const families = [apiErrorCodes, authErrorCodes, filterErrorCodes, clientErrorCodes];
    const all = Object.keys(oneRosterErrorCodes);
    for (const family of families) {
      for (const code of Object.keys(family)) expect(all).toContain(code);
    }
    expect(all).toContain('ONEROSTER_PACKAGE_NOT_FOUND');
    expect(Object.keys(oneRosterErrorWire).sort()).toEqual([...all].sort());
    for (const code of all) expect(code).toMatch(/^ONEROSTER_[A-Z0-9_]+$/);
  });
});
