import { SsoError } from '../../errors.ts';

export interface UpstreamProviderMetadata {
  readonly issuer: string;
  readonly authorization_endpoint: string;
  readonly token_endpoint: string;
  readonly jwks_uri: string;
  readonly userinfo_endpoint?: string;
}

/** The discovery request for an issuer (`<issuer>/.well-known/openid-configuration`). */
export function discoveryRequest(issuer: string): Request {
  const base = issuer.endsWith('/') ? issuer.slice(0, -1) : issuer;
  return new Request(`${base}/.well-known/openid-configuration`, { headers: { accept: 'application/json' } });
}

/** Reads a discovery response; its `issuer` must be exactly the configured one (OIDC Discovery 4.3). */
export async function processDiscoveryResponse(
  response: Response,
  issuer: string,
): Promise<UpstreamProviderMetadata> {
  if (!response.ok) {
    throw new SsoError('SSO_UPSTREAM_UNREACHABLE', `Discovery answered ${response.status}.`, {
      detail: { issuer },
    });
  }
  const metadata = (await response.json()) as Record<string, unknown>;
  for (const member of ['issuer', 'authorization_endpoint', 'token_endpoint', 'jwks_uri']) {
    if (typeof metadata[member] !== 'string') {
      throw new SsoError('SSO_UPSTREAM_UNREACHABLE', `Discovery lacks ${member}.`, { detail: { issuer } });
    }
  }
  if (metadata.issuer !== issuer) {
    throw new SsoError('SSO_UPSTREAM_TOKEN_INVALID', 'The discovery document names another issuer.', {
      detail: { expected: issuer, actual: metadata.issuer },
    });
  }
  return metadata as unknown as UpstreamProviderMetadata;
}
