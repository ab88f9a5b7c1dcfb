import { describe, expect, it } from 'vitest';
import { SsoError } from '../../errors.ts';
import { checkSigningSchedule, publishedCertificatesAt, signingCredentialAt } from './signing-schedule.ts';

const at = (day: number) => new Date(Date.UTC(2026, 0, day));
const current = { privateKey: 'k-current', certificate: 'c-current', retireAt: at(20) };
const next = { privateKey: 'k-next', certificate: 'c-next', signFrom: at(10) };

describe('SAML signing schedule', () => {
  it('publishes the next certificate before it signs, switches at signFrom, retires at retireAt', () => {
    expect(signingCredentialAt([current, next], at(5))).toBe(current);
    expect(publishedCertificatesAt([current, next], at(5))).toEqual(['c-current', 'c-next']);
    expect(signingCredentialAt([current, next], at(10))).toBe(next);
    expect(publishedCertificatesAt([current, next], at(15))).toEqual(['c-next', 'c-current']);
    expect(publishedCertificatesAt([current, next], at(20))).toEqual(['c-next']);
  });

  it('without dates the first credential signs and all are published', () => {
    const other = { privateKey: 'k2', certificate: 'c2' };
    const first = { privateKey: 'k1', certificate: 'c1' };
    expect(signingCredentialAt([first, other], at(1))).toBe(first);
    expect(publishedCertificatesAt([first, other], at(1))).toEqual(['c1', 'c2']);
  });

  it('fails with SSO_SIGNING_KEY_MISSING when nothing is active, and refuses retireAt before signFrom', () => {
    const code = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        return SsoError.isSsoError(error) ? error.code : 'other';
      }
      return 'none';
    };
    expect(code(() => signingCredentialAt([current], at(21)))).toBe('SSO_SIGNING_KEY_MISSING');
    expect(code(() => signingCredentialAt([next], at(9)))).toBe('SSO_SIGNING_KEY_MISSING');
    expect(code(() => checkSigningSchedule([]))).toBe('SSO_SIGNING_KEY_MISSING');
    expect(code(() => checkSigningSchedule([{ ...next, retireAt: at(10) }]))).toBe('SSO_OPTIONS_INVALID');
    expect(code(() => checkSigningSchedule([current, next]))).toBe('none');
  });
});
