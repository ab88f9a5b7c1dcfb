import { randomBytes } from 'node:crypto';
import { createAesGcmSealing } from '@passport/coursera-connector/postgres';
import { type District, MemoryDistrictRegistry, type OidcUpstream } from '@passport/sso-idp';
import { describe, expect, it } from 'vitest';
import { sealDistrictSecrets } from './sealed-districts.ts';

const google: OidcUpstream = {
  kind: 'oidc',
  id: 'google',
  name: 'Google',
  issuer: 'https://accounts.google.com',
  clientId: 'client',
  clientSecret: 'the-client-secret',
  match: [{ claim: 'email', attribute: 'email' }],
};
const district: District = {
  districtId: 'maple',
  name: 'Maple',
  signInMethods: [{ kind: 'password', id: 'password', name: 'Passport password' }, google],
};

function setUp(key = randomBytes(32)) {
  const inner = new MemoryDistrictRegistry();
  const failures: string[] = [];
  const sealed = sealDistrictSecrets(inner, createAesGcmSealing(key), (districtId, methodId) =>
    failures.push(`${districtId}/${methodId}`),
  );
  return { inner, sealed, failures, key };
}

describe('sealDistrictSecrets', () => {
  it('keeps an upstream client secret sealed underneath and gives it back whole', async () => {
    const { inner, sealed } = setUp();
    await sealed.saveDistrict(district);
    const raw = JSON.stringify(await inner.getDistrict('maple'));
    expect(raw).not.toContain('the-client-secret');
    expect(raw).toMatch(/"sealedClientSecret":"v1\./);
    // As saved, at the revision the save counted.
    expect(await sealed.getDistrict('maple')).toEqual({ ...district, revision: 1 });
    expect(await sealed.listDistricts()).toEqual([{ ...district, revision: 1 }]);
  });

  it('reads a secret an earlier version saved in clear text, and seals it at the next save', async () => {
    const { inner, sealed } = setUp();
    await inner.saveDistrict(district);
    expect(await sealed.getDistrict('maple')).toEqual({ ...district, revision: 1 });
    // Saved over the revision read: the wrapper keeps it, so a stale save stays refused underneath.
    await sealed.saveDistrict((await sealed.getDistrict('maple')) as District);
    await expect(sealed.saveDistrict({ ...district, revision: 1 })).rejects.toMatchObject({
      code: 'SSO_DISTRICT_CHANGED',
    });
    expect(JSON.stringify(await inner.getDistrict('maple'))).not.toContain('the-client-secret');
  });

  it('drops a secret sealed with another key from the method and reports it, instead of failing every read', async () => {
    const first = setUp();
    await first.sealed.saveDistrict(district);
    const other = sealDistrictSecrets(
      first.inner,
      createAesGcmSealing(randomBytes(32)),
      (districtId, methodId) => first.failures.push(`${districtId}/${methodId}`),
    );
    const read = await other.getDistrict('maple');
    const method = read?.signInMethods.find((item) => item.id === 'google');
    expect(method).toMatchObject({ kind: 'oidc', clientId: 'client' });
    expect(method).not.toHaveProperty('clientSecret');
    expect(method).not.toHaveProperty('sealedClientSecret');
    expect(first.failures).toEqual(['maple/google']);
  });
});
