import { describe, expect, it } from 'vitest';
import { SsoError } from '../errors.ts';
import { parseAppRegistration, parseDistrictGrant } from './app-schema.ts';

const message = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (SsoError.isSsoError(error)) return `${error.code}: ${error.message}`;
    throw error;
  }
  return 'no error';
};

describe('app registration validation', () => {
  it('accepts a public OIDC app', () => {
    expect(
      parseAppRegistration({
        appId: 'a',
        partnerId: 'p',
        name: 'App',
        oidc: { clientId: 'c', redirectUris: ['https://app.example/cb'] },
      }).oidc?.clientId,
    ).toBe('c');
  });

  it('names the bad field', () => {
    expect(message(() => parseAppRegistration({ appId: 'a', partnerId: 'p', name: 'App' }))).toMatch(
      /^SSO_OPTIONS_INVALID: .*OpenID Connect or SAML/,
    );
    expect(
      message(() =>
        parseAppRegistration({
          appId: 'a',
          partnerId: 'p',
          name: 'App',
          oidc: { clientId: 'c', clientSecret: 'short', redirectUris: ['https://app.example/cb'] },
        }),
      ),
    ).toMatch(/oidc\.clientSecret: client secrets must be at least 32 characters/);
    expect(message(() => parseDistrictGrant({ districtId: 'd', appId: 'a', claims: ['password'] }))).toMatch(
      /claims\.0/,
    );
    expect(
      message(() => parseDistrictGrant({ districtId: 'd', appId: 'a', claims: [], roles: ['janitor'] })),
    ).toMatch(/roles\.0/);
  });
});
