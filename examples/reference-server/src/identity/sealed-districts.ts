import type { Sealing } from '@passport/coursera-connector/postgres';
import type { District, DistrictRegistry, SignInMethod } from '@passport/sso-idp';

/** How an OpenID Connect upstream's client secret is kept in `sso_districts`: sealed, never the secret itself. */
interface SealedSecret {
  readonly sealedClientSecret?: string;
}

/**
 * sso-idp's district store keeps each district's sign-in methods as one JSON document, an upstream's OIDC client
 * secret in clear text. This wrapper seals that secret (AES-256-GCM with a key derived from the server's sealing
 * key) before it is saved and unseals it when read, so the database never holds it. A secret saved in clear by an
 * earlier version still reads (and is sealed at its next save); one that cannot be unsealed (another sealing key)
 * is dropped from the method, which then fails at the provider (`invalid_client`), and reported.
 */
export function sealDistrictSecrets(
  inner: DistrictRegistry,
  sealing: Sealing,
  onUnsealFailed: (districtId: string, methodId: string, error: unknown) => void,
): DistrictRegistry {
  const seal = (method: SignInMethod): SignInMethod => {
    if (method.kind !== 'oidc' || method.clientSecret === undefined) return method;
    const { clientSecret, ...rest } = method;
    return { ...rest, sealedClientSecret: sealing.seal(clientSecret) } as SignInMethod;
  };
  const unseal = (districtId: string, method: SignInMethod): SignInMethod => {
    const sealed = (method as SealedSecret).sealedClientSecret;
    if (method.kind !== 'oidc' || sealed === undefined) return method;
    const { sealedClientSecret: _sealed, ...rest } = method as typeof method & SealedSecret;
    try {
      return { ...rest, clientSecret: sealing.unseal(sealed) };
    } catch (error) {
      onUnsealFailed(districtId, method.id, error);
      return rest;
    }
  };
  const read = (district: District): District => ({
    ...district,
    signInMethods: district.signInMethods.map((method) => unseal(district.districtId, method)),
  });
  return {
    async getDistrict(districtId) {
      const district = await inner.getDistrict(districtId);
      return district === undefined ? undefined : read(district);
    },
    async listDistricts() {
      return (await inner.listDistricts()).map(read);
    },
    saveDistrict(district) {
      return inner.saveDistrict({ ...district, signInMethods: district.signInMethods.map(seal) });
    },
  };
}
