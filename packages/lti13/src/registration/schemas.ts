import { z } from 'zod';

/** The claim names LTI Dynamic Registration 1.0 adds to OIDC Discovery and Dynamic Client Registration. */
export const platformConfigurationKey = 'https://purl.imsglobal.org/spec/lti-platform-configuration';
export const toolConfigurationKey = 'https://purl.imsglobal.org/spec/lti-tool-configuration';

/** The platform's OpenID configuration (Dynamic Registration §3.4). */
export const openidConfigurationSchema = z.looseObject({
  issuer: z.url(),
  authorization_endpoint: z.url(),
  token_endpoint: z.url(),
  jwks_uri: z.url(),
  registration_endpoint: z.url(),
  token_endpoint_auth_methods_supported: z
    .array(z.string())
    .refine((methods) => methods.includes('private_key_jwt'), 'must include private_key_jwt'),
  token_endpoint_auth_signing_alg_values_supported: z.array(z.string()).optional(),
  id_token_signing_alg_values_supported: z
    .array(z.string())
    .refine((algs) => algs.includes('RS256'), 'must include RS256'),
  scopes_supported: z.array(z.string()).default([]),
  response_types_supported: z.array(z.string()).optional(),
  subject_types_supported: z.array(z.string()).optional(),
  claims_supported: z.array(z.string()).optional(),
  authorization_server: z.string().optional(),
  [platformConfigurationKey]: z.looseObject({
    product_family_code: z.string(),
    version: z.string().optional(),
    messages_supported: z
      .array(z.looseObject({ type: z.string(), placements: z.array(z.string()).optional() }))
      .default([]),
    variables: z.array(z.string()).optional(),
  }),
});

export type OpenidConfiguration = z.infer<typeof openidConfigurationSchema>;

export const toolMessageSchema = z.looseObject({
  type: z.string(),
  target_link_uri: z.url().optional(),
  label: z.string().optional(),
  icon_uri: z.url().optional(),
  custom_parameters: z.record(z.string(), z.string()).optional(),
  placements: z.array(z.string()).optional(),
  roles: z.array(z.string()).optional(),
});

/** The tool's client registration request (Dynamic Registration §3.5.2). */
export const clientRegistrationSchema = z.looseObject({
  application_type: z.literal('web'),
  response_types: z.array(z.string()).refine((types) => types.includes('id_token'), 'must include id_token'),
  grant_types: z
    .array(z.string())
    .refine(
      (grants) => grants.includes('implicit') && grants.includes('client_credentials'),
      'must include implicit and client_credentials',
    ),
  initiate_login_uri: z.url(),
  redirect_uris: z.array(z.url()).min(1),
  client_name: z.string().min(1),
  jwks_uri: z.url(),
  logo_uri: z.url().optional(),
  token_endpoint_auth_method: z.literal('private_key_jwt'),
  scope: z.string().default(''),
  contacts: z.array(z.string()).optional(),
  client_id: z.string().optional(),
  [toolConfigurationKey]: z.looseObject({
    domain: z.string().min(1),
    secondary_domains: z.array(z.string()).optional(),
    target_link_uri: z.url(),
    custom_parameters: z.record(z.string(), z.string()).optional(),
    description: z.string().optional(),
    claims: z.array(z.string()).default([]),
    messages: z.array(toolMessageSchema).default([]),
    deployment_id: z.string().optional(),
  }),
});

export type ClientRegistration = z.input<typeof clientRegistrationSchema>;
export type ToolMessage = z.infer<typeof toolMessageSchema>;
