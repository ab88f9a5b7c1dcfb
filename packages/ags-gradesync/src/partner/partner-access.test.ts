import { describe, expect, it } from 'vitest';
import { GradeSyncError } from '../errors.ts';
import { checkPartnerDistrict, checkPartnerScope, partnerChallenge, scopeFor } from './partner-access.ts';

const principal = (scopes: string[], districtIds = ['district-1']) => ({
  partnerId: 'app-1',
  districtIds,
  scopes,
});
const codeOf = (run: () => void) => {
  try {
    run();
    return undefined;
  } catch (error) {
    return (error as GradeSyncError).code;
  }
};

describe('partner access checks', () => {
  it('reads need gradebook.readonly, writes gradebook.createput, in short or OneRoster URI spelling only', () => {
    expect(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'].map(scopeFor)).toEqual([
      'gradebook.readonly',
      'gradebook.readonly',
      'gradebook.createput',
      'gradebook.createput',
      'gradebook.createput',
      'gradebook.createput',
    ]);
    expect(codeOf(() => checkPartnerScope(principal(['gradebook.readonly']), 'GET'))).toBeUndefined();
    expect(
      codeOf(() =>
        checkPartnerScope(
          principal(['https://purl.imsglobal.org/spec/or/v1p2/scope/gradebook.createput']),
          'PUT',
        ),
      ),
    ).toBeUndefined();
    for (const lookalike of [
      'https://evil.example/spec/or/v1p2/scope/gradebook.createput',
      'https://purl.imsglobal.org/spec/or/v1p3/scope/gradebook.createput',
      'gradebook.createput.extra',
      'gradebook.readonly',
    ])
      expect(codeOf(() => checkPartnerScope(principal([lookalike]), 'POST'))).toBe(
        'GRADESYNC_PARTNER_SCOPE_MISSING',
      );
  });

  it('a class is reachable only from the districts the credentials name', () => {
    expect(codeOf(() => checkPartnerDistrict(principal([]), 'class-1', 'district-1'))).toBeUndefined();
    expect(codeOf(() => checkPartnerDistrict(principal([]), 'class-1', 'district-10'))).toBe(
      'GRADESYNC_PARTNER_DISTRICT_FORBIDDEN',
    );
    expect(codeOf(() => checkPartnerDistrict(principal([], []), 'class-1', 'district-1'))).toBe(
      'GRADESYNC_PARTNER_DISTRICT_FORBIDDEN',
    );
  });

  it('challenges are RFC 6750 headers, with quotes and non-ASCII taken out of the values', () => {
    const anonymous = new Request('http://127.0.0.1/gradebook/v1/classes');
    const withToken = new Request('http://127.0.0.1/gradebook/v1/classes', {
      method: 'PUT',
      headers: { authorization: 'Bearer abc' },
    });
    const unauthorized = new GradeSyncError(
      'GRADESYNC_PARTNER_UNAUTHORIZED',
      'Token "x" expired — ask again',
    );
    expect(partnerChallenge(unauthorized, anonymous, 'gradebook')).toBe('Bearer realm="gradebook"');
    expect(partnerChallenge(unauthorized, withToken, 'gradebook')).toBe(
      'Bearer realm="gradebook", error="invalid_token", error_description="Token x expired  ask again"',
    );
    expect(
      partnerChallenge(new GradeSyncError('GRADESYNC_PARTNER_SCOPE_MISSING'), withToken, 'gradebook'),
    ).toMatch(
      /^Bearer realm="gradebook", error="insufficient_scope", error_description="[^"]*", scope="gradebook.createput"$/,
    );
    expect(
      partnerChallenge(new GradeSyncError('GRADESYNC_PARTNER_DISTRICT_FORBIDDEN'), withToken, 'gradebook'),
    ).toBeUndefined();
    expect(unauthorized.specError).toBe('invalid_token');
  });
});
