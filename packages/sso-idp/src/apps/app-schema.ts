import { z } from 'zod';
import { SsoError } from '../errors.ts';
import { type AppRegistration, claimNames, type DistrictGrant, rosterRoles } from '../ports.ts';

const webUrl = z.url({ protocol: /^https?$/ });

const oidcSettings = z.object({
  clientId: z.string().min(1).max(200),
  clientSecret: z.string().min(32, 'client secrets must be at least 32 characters').optional(),
  clientSecretHash: z
    .string()
    .regex(/^sha256\$[A-Za-z0-9_-]{43}$/, 'expected sha256$ and a base64url SHA-256')
    .optional(),
  redirectUris: z.array(z.url()).min(1),
  postLogoutRedirectUris: z.array(z.url()).optional(),
  subjectType: z.enum(['pairwise', 'public']).optional(),
  requirePkce: z.boolean().optional(),
  applicationType: z.enum(['web', 'native']).optional(),
  tokenEndpointAuthMethod: z
    .enum(['client_secret_basic', 'client_secret_post', 'private_key_jwt'])
    .optional(),
  jwks: z.object({ keys: z.array(z.record(z.string(), z.unknown())) }).optional(),
});

const pemCertificate = z.string().regex(/-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/, {
  message: 'expected a PEM certificate',
});

const samlSettings = z.object({
  entityId: z.string().min(1),
  assertionConsumerServices: z
    .array(z.object({ url: webUrl, index: z.number().int().min(0).optional() }))
    .min(1),
  singleLogoutService: z.object({ url: webUrl, binding: z.enum(['redirect', 'post']) }).optional(),
  signingCertificates: z.array(pemCertificate),
  requireSignedRequests: z.boolean().optional(),
  nameIdFormat: z.enum(['emailAddress', 'persistent', 'transient', 'unspecified']),
  attributes: z.array(
    z.object({
      name: z.string().min(1),
      claim: z.enum(claimNames as [string, ...string[]]),
      nameFormat: z.enum(['basic', 'uri', 'unspecified']).optional(),
      friendlyName: z.string().optional(),
    }),
  ),
  signResponse: z.boolean().optional(),
  assertionEncryption: z
    .object({
      certificate: pemCertificate,
      algorithm: z.enum(['aes256-gcm', 'aes128-gcm', 'aes256-cbc', 'aes128-cbc']).optional(),
    })
    .optional(),
});

export const appRegistrationSchema = z
  .object({
    appId: z.string().min(1).max(200),
    partnerId: z.string().min(1),
    name: z.string().min(1).max(200),
    description: z.string().max(2000).optional(),
    launchUrl: webUrl.optional(),
    oidc: oidcSettings.optional(),
    saml: samlSettings.optional(),
  })
  .refine((app) => app.oidc?.clientSecret === undefined || app.oidc.clientSecretHash === undefined, {
    message: 'give clientSecret or clientSecretHash, not both',
    path: ['oidc', 'clientSecretHash'],
  })
  .refine((app) => app.oidc !== undefined || app.saml !== undefined, {
    message: 'an app needs OpenID Connect or SAML settings',
  })
  .refine(
    (app) =>
      app.saml === undefined ||
      app.saml.requireSignedRequests === false ||
      app.saml.signingCertificates.length > 0,
    {
      message: 'saml.signingCertificates is required when signed requests are required',
      path: ['saml', 'signingCertificates'],
    },
  );

export const districtGrantSchema = z.object({
  districtId: z.string().min(1),
  appId: z.string().min(1),
  schoolIds: z.array(z.string().min(1)).optional(),
  roles: z.array(z.enum(rosterRoles as [string, ...string[]])).optional(),
  classIds: z.array(z.string().min(1)).optional(),
  claims: z.array(z.enum(claimNames as [string, ...string[]])),
  requireConsent: z.boolean().optional(),
});

function describe(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
}

/** Validates an app registration; throws `SSO_OPTIONS_INVALID` naming the bad field. */
export function parseAppRegistration(input: unknown): AppRegistration {
  const parsed = appRegistrationSchema.safeParse(input);
  if (!parsed.success)
    throw new SsoError('SSO_OPTIONS_INVALID', `Invalid app registration: ${describe(parsed.error)}`);
  return parsed.data as AppRegistration;
}

/** Validates a district grant; throws `SSO_OPTIONS_INVALID` naming the bad field. */
export function parseDistrictGrant(input: unknown): DistrictGrant {
  const parsed = districtGrantSchema.safeParse(input);
  if (!parsed.success)
    throw new SsoError('SSO_OPTIONS_INVALID', `Invalid district grant: ${describe(parsed.error)}`);
  return parsed.data as DistrictGrant;
}
