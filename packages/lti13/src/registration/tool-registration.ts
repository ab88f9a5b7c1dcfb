import { z } from 'zod';
import { LtiError } from '../errors.ts';
import { defaultFetch, type FetchLike, send } from '../http/fetch.ts';
import { htmlHeaders, htmlPage } from '../http/html.ts';
import { parameter, readParameters } from '../http/parameters.ts';
import { type LtiErrorHook, type LtiToolEndpoint, refuse } from '../http/report-error.ts';
import { errorResponse } from '../http/respond.ts';
import { parseOptions, port } from '../options.ts';
import type { PlatformRegistration, PlatformRegistry } from '../ports.ts';
import {
  type ClientRegistration,
  type OpenidConfiguration,
  openidConfigurationSchema,
  platformConfigurationKey,
  toolConfigurationKey,
} from './schemas.ts';

/** Canvas's issuer is not on the domain of its openid-configuration (sso.canvaslms.com). */
const canvasIssuers = [
  'https://canvas.instructure.com',
  'https://canvas.beta.instructure.com',
  'https://canvas.test.instructure.com',
];

export function buildOpenidConfigurationRequest(url: string): Request {
  return new Request(url, { headers: { accept: 'application/json' } });
}

/**
 * Reads and checks the platform's OpenID configuration. Its issuer must be on the host of the configuration URL
 * (Dynamic Registration §3.5.1), except the hosted Canvas issuers and the hosts the tool trusts explicitly.
 */
export async function processOpenidConfigurationResponse(
  response: Response,
  configurationUrl: string,
  trustedIssuers: readonly string[] = [],
): Promise<OpenidConfiguration> {
  if (!response.ok) {
    throw new LtiError(
      'LTI_OPENID_CONFIGURATION_INVALID',
      `The platform openid-configuration answered HTTP ${response.status}.`,
    );
  }
  const body = await response.json().catch(() => undefined);
  const parsed = openidConfigurationSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new LtiError(
      'LTI_OPENID_CONFIGURATION_INVALID',
      `The platform openid-configuration is invalid at ${issue?.path.map(String).join('.') || '(root)'}: ${issue?.message ?? 'invalid'}.`,
    );
  }
  const issuer = new URL(parsed.data.issuer);
  const trusted = [...canvasIssuers, ...trustedIssuers].includes(parsed.data.issuer.replace(/\/$/, ''));
  if (!trusted && issuer.host !== new URL(configurationUrl).host) {
    throw new LtiError(
      'LTI_OPENID_CONFIGURATION_INVALID',
      `The issuer ${parsed.data.issuer} is not on the host of the configuration URL.`,
    );
  }
  return parsed.data;
}

export function buildRegistrationRequest(input: {
  configuration: OpenidConfiguration;
  registrationToken: string | undefined;
  client: ClientRegistration;
}): Request {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (input.registrationToken !== undefined) headers.authorization = `Bearer ${input.registrationToken}`;
  return new Request(input.configuration.registration_endpoint, {
    method: 'POST',
    headers,
    body: JSON.stringify(input.client),
  });
}

const registrationResponseSchema = z.looseObject({
  client_id: z.string().min(1),
  [toolConfigurationKey]: z.looseObject({ deployment_id: z.string().optional() }).optional(),
});

/** Reads the platform's answer: the client id, and the deployment id when the platform creates one now (Canvas does not). */
export async function processRegistrationResponse(
  response: Response,
): Promise<{ clientId: string; deploymentId: string | undefined }> {
  const body = await response.json().catch(() => undefined);
  if (!response.ok) {
    const reason =
      typeof (body as { error_description?: unknown })?.error_description === 'string'
        ? (body as { error_description: string }).error_description
        : `HTTP ${response.status}`;
    throw new LtiError('LTI_REGISTRATION_REFUSED', `The platform refused the registration (${reason}).`);
  }
  const parsed = registrationResponseSchema.safeParse(body);
  if (!parsed.success)
    throw new LtiError(
      'LTI_REGISTRATION_REFUSED',
      'The platform answered the registration without a client_id.',
    );
  return { clientId: parsed.data.client_id, deploymentId: parsed.data[toolConfigurationKey]?.deployment_id };
}

const dynamicRegistrationOptionsSchema = z.object({
  registry: port<PlatformRegistry>(),
  fetch: port<FetchLike>('function').optional(),
  clientName: z.string().min(1),
  loginUrl: z.url(),
  launchUrl: z.url(),
  jwksUrl: z.url(),
  targetLinkUri: z.url(),
  logoUri: z.url().optional(),
  description: z.string().optional(),
  /** The scopes the tool asks for; the platform may grant fewer. */
  scopes: z.array(z.string()).default([]),
  /** The OIDC claims the tool wants (`sub`, `name`, `email`, ...). */
  claims: z.array(z.string()).default(['iss', 'sub', 'name', 'given_name', 'family_name', 'email']),
  /** Messages besides the resource link launch, e.g. `{ type: 'LtiDeepLinkingRequest', target_link_uri }`. */
  messages: z
    .array(
      z.looseObject({
        type: z.string(),
        target_link_uri: z.url().optional(),
        label: z.string().optional(),
        placements: z.array(z.string()).optional(),
      }),
    )
    .default([]),
  customParameters: z.record(z.string(), z.string()).optional(),
  /** The status of platforms registered this way: `pending` until an operator activates them. Default `active`. */
  status: z.enum(['active', 'pending']).default('active'),
  /** Issuers trusted even though they are not on the configuration URL's host. */
  trustedIssuers: z.array(z.string()).default([]),
  /** Extra members of the tool configuration (Canvas: `https://canvas.instructure.com/lti/privacy_level`). */
  toolConfigurationExtensions: z.record(z.string(), z.unknown()).default({}),
  /** Called with the typed `LtiError` and the request of every refused registration, before it is answered. */
  onError: port<LtiErrorHook<LtiToolEndpoint>>('function').optional(),
});

export type DynamicRegistrationOptions = z.input<typeof dynamicRegistrationOptionsSchema>;

export interface DynamicRegistrationResult {
  readonly registration: PlatformRegistration;
  readonly deploymentId: string | undefined;
  readonly platform: { readonly productFamilyCode: string; readonly version: string | undefined };
}

/** The page that ends a registration: tells the platform to close the registration window (`org.imsglobal.lti.close`). */
export function registrationCompletePage(): Response {
  return new Response(
    htmlPage(
      'Registered',
      `<p>The tool is registered. This window closes itself.</p>
<script>(window.opener || window.parent).postMessage({ subject: 'org.imsglobal.lti.close' }, '*');</script>`,
    ),
    { headers: htmlHeaders },
  );
}

/**
 * The tool side of LTI Dynamic Registration: the handler the platform opens with `openid_configuration` and
 * `registration_token`. It reads the platform's configuration, registers the tool (login and launch URLs, JWKS,
 * scopes, claims, messages), stores the platform (and its deployment, when the platform names one), and closes the
 * window with the postMessage the spec names.
 */
export function createDynamicRegistration(options: DynamicRegistrationOptions) {
  const config = parseOptions(dynamicRegistrationOptionsSchema, options, 'dynamic registration');
  const fetch = config.fetch ?? defaultFetch;

  async function register(
    configurationUrl: string,
    registrationToken: string | undefined,
  ): Promise<DynamicRegistrationResult> {
    let configurationResponse: Response;
    try {
      configurationResponse = await send(fetch, buildOpenidConfigurationRequest(configurationUrl));
    } catch (error) {
      throw new LtiError(
        'LTI_OPENID_CONFIGURATION_INVALID',
        `The platform openid-configuration at ${configurationUrl} could not be fetched.`,
        { cause: error },
      );
    }
    const configuration = await processOpenidConfigurationResponse(
      configurationResponse,
      configurationUrl,
      config.trustedIssuers,
    );
    const granted = config.scopes.filter(
      (scope) =>
        configuration.scopes_supported.length === 0 || configuration.scopes_supported.includes(scope),
    );
    const client: ClientRegistration = {
      application_type: 'web',
      response_types: ['id_token'],
      grant_types: ['implicit', 'client_credentials'],
      initiate_login_uri: config.loginUrl,
      redirect_uris: [
        config.launchUrl,
        ...config.messages.flatMap((message) =>
          message.target_link_uri === undefined ? [] : [message.target_link_uri],
        ),
      ].filter((uri, index, all) => all.indexOf(uri) === index),
      client_name: config.clientName,
      jwks_uri: config.jwksUrl,
      ...(config.logoUri === undefined ? {} : { logo_uri: config.logoUri }),
      token_endpoint_auth_method: 'private_key_jwt',
      scope: granted.join(' '),
      [toolConfigurationKey]: {
        domain: new URL(config.launchUrl).host,
        target_link_uri: config.targetLinkUri,
        ...(config.customParameters === undefined ? {} : { custom_parameters: config.customParameters }),
        ...(config.description === undefined ? {} : { description: config.description }),
        claims: config.claims,
        messages: config.messages,
        ...config.toolConfigurationExtensions,
      },
    };
    let registrationResponse: Response;
    try {
      registrationResponse = await send(
        fetch,
        buildRegistrationRequest({ configuration, registrationToken, client }),
      );
    } catch (error) {
      throw new LtiError(
        'LTI_REGISTRATION_REFUSED',
        `The platform registration endpoint ${configuration.registration_endpoint} could not be reached.`,
        { cause: error },
      );
    }
    const { clientId, deploymentId } = await processRegistrationResponse(registrationResponse);
    const registration: PlatformRegistration = {
      issuer: configuration.issuer.replace(/\/$/, ''),
      clientId,
      authorizationEndpoint: configuration.authorization_endpoint,
      tokenEndpoint: configuration.token_endpoint,
      jwksUri: configuration.jwks_uri,
      ...(configuration.authorization_server === undefined
        ? {}
        : { tokenAudience: configuration.authorization_server }),
      status: config.status,
      name: configuration[platformConfigurationKey].product_family_code,
    };
    await config.registry.saveRegistration(registration);
    if (deploymentId !== undefined)
      await config.registry.saveDeployment({ issuer: registration.issuer, clientId, deploymentId });
    return {
      registration,
      deploymentId,
      platform: {
        productFamilyCode: configuration[platformConfigurationKey].product_family_code,
        version: configuration[platformConfigurationKey].version,
      },
    };
  }

  /** Mount at `/lti/register`. */
  const handler = async (request: Request): Promise<Response> => {
    try {
      const parameters = await readParameters(request);
      const configurationUrl = parameter(parameters, 'openid_configuration');
      if (configurationUrl === undefined || !URL.canParse(configurationUrl)) {
        throw new LtiError(
          'LTI_REGISTRATION_REQUEST_INVALID',
          'The registration request has no openid_configuration URL.',
        );
      }
      await register(configurationUrl, parameter(parameters, 'registration_token'));
      return registrationCompletePage();
    } catch (error) {
      return refuse(error, request, errorResponse, config.onError, 'register');
    }
  };

  return { handler, register };
}
