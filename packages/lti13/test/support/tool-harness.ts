import type { JWK } from 'jose';
import {
  MemoryKeyStore,
  MemoryLoginStateStore,
  MemoryPlatformRegistry,
} from '../../src/adapters/memory/memory-stores.ts';
import { claimUris } from '../../src/claims/uris.ts';
import { generateSigningKey } from '../../src/keys/generate-key.ts';
import type { PlatformRegistration } from '../../src/ports.ts';
import type { LtiLaunch } from '../../src/tool/launch/launch.ts';
import { createLtiTool, type LtiToolOptions } from '../../src/tool/tool.ts';
import { signWithHeader } from './sign.ts';

export const certificationPlatform = {
  issuer: 'https://ltiadvantagevalidator.imsglobal.org',
  clientId: 'imstester_3dfad6d',
  deploymentId: 'testdeploy',
  authorizationEndpoint: 'https://ltiadvantagevalidator.imsglobal.org/ltitool/oidcauthurl.html',
  tokenEndpoint: 'https://ltiadvantagevalidator.imsglobal.org/ltitool/authcodejwt.html',
  jwksUri: 'https://ltiadvantagevalidator.imsglobal.org/ltitool/jwks.html',
} as const;

export const toolOrigin = 'http://localhost:8080';

export class TestClock {
  current: Date;
  constructor(start = new Date('2025-03-01T12:00:00Z')) {
    this.current = start;
  }
  now() {
    return this.current;
  }
  advance(seconds: number) {
    this.current = new Date(this.current.getTime() + seconds * 1000);
  }
  get seconds() {
    return Math.floor(this.current.getTime() / 1000);
  }
}

export interface Harness {
  /** Launches the tool accepted, in order. */
  readonly launches: LtiLaunch[];
  readonly clock: TestClock;
  readonly tool: ReturnType<typeof createLtiTool>;
  readonly registry: MemoryPlatformRegistry;
  readonly loginStates: MemoryLoginStateStore;
  readonly platformKey: { kid: string; privateJwk: JWK; publicJwk: JWK };
  readonly jwks: { keys: JWK[] };
  fetchCount(): number;
  login(parameters?: Record<string, string>, method?: 'GET' | 'POST'): Promise<LoginResult>;
  sign(payload: Record<string, unknown>, header?: Record<string, unknown>): string;
  /** A complete, valid resource link payload for the login. */
  payload(login: LoginResult, overrides?: Record<string, unknown>): Record<string, unknown>;
  launch(input: {
    idToken?: string;
    state?: string;
    cookie?: string;
    fields?: Record<string, string>;
    json?: boolean;
  }): Promise<Response>;
}

export interface LoginResult {
  readonly response: Response;
  readonly state: string;
  readonly nonce: string;
  readonly cookie: string;
  readonly location: URL;
}

export async function createHarness(options: Partial<LtiToolOptions> = {}): Promise<Harness> {
  const clock = new TestClock();
  const registry = new MemoryPlatformRegistry();
  const loginStates = new MemoryLoginStateStore();
  const key = await generateSigningKey({ now: clock.now() });
  const jwks = { keys: [key.publicJwk] };
  let fetches = 0;
  const fetch = async (input: string | URL | Request) => {
    fetches++;
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (url !== certificationPlatform.jwksUri) return new Response('not found', { status: 404 });
    return Response.json(jwks);
  };
  const registration: PlatformRegistration = {
    issuer: certificationPlatform.issuer,
    clientId: certificationPlatform.clientId,
    authorizationEndpoint: certificationPlatform.authorizationEndpoint,
    tokenEndpoint: certificationPlatform.tokenEndpoint,
    jwksUri: certificationPlatform.jwksUri,
    status: 'active',
  };
  await registry.saveRegistration(registration);
  await registry.saveDeployment({
    issuer: registration.issuer,
    clientId: registration.clientId,
    deploymentId: certificationPlatform.deploymentId,
  });
  let counter = 0;
  const launches: LtiLaunch[] = [];
  const tool = createLtiTool({
    onLaunch: (launch) => {
      launches.push(launch);
      return Response.json({ launched: launch.messageType });
    },
    launchUrl: `${toolOrigin}/launch`,
    registry,
    loginStates,
    keys: new MemoryKeyStore(),
    clock,
    generateId: () => `id-${++counter}-${Math.random().toString(36).slice(2)}`,
    fetch,
    ...options,
  });

  const sign = (payload: Record<string, unknown>, header?: Record<string, unknown>) =>
    signWithHeader(header ?? { alg: 'RS256', kid: key.kid, typ: 'JWT' }, payload, key.privateJwk);

  const login: Harness['login'] = async (parameters = {}, method = 'POST') => {
    const fields = {
      iss: certificationPlatform.issuer,
      login_hint: 'user-1',
      target_link_uri: `${toolOrigin}/`,
      client_id: certificationPlatform.clientId,
      lti_deployment_id: certificationPlatform.deploymentId,
      ...parameters,
    };
    const body = new URLSearchParams(fields);
    const request =
      method === 'POST'
        ? new Request(`${toolOrigin}/login`, {
            method,
            body,
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
          })
        : new Request(`${toolOrigin}/login?${body}`);
    const response = await tool.login(request);
    const locationHeader = response.headers.get('location');
    const location = new URL(locationHeader ?? 'http://invalid/');
    const state = location.searchParams.get('state') ?? '';
    const nonce = location.searchParams.get('nonce') ?? '';
    const setCookie = response.headers.getSetCookie()[0] ?? '';
    return { response, state, nonce, cookie: setCookie.split(';')[0] ?? '', location };
  };

  const payload: Harness['payload'] = (loginResult, overrides = {}) => ({
    iss: certificationPlatform.issuer,
    aud: certificationPlatform.clientId,
    sub: 'user-1',
    iat: clock.seconds - 5,
    exp: clock.seconds + 60,
    nonce: loginResult.nonce,
    [claimUris.messageType]: 'LtiResourceLinkRequest',
    [claimUris.version]: '1.3.0',
    [claimUris.deploymentId]: certificationPlatform.deploymentId,
    [claimUris.targetLinkUri]: `${toolOrigin}/`,
    [claimUris.roles]: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'],
    [claimUris.resourceLink]: { id: 'link-1', title: 'Week 1' },
    [claimUris.context]: { id: 'course-1', title: 'Biology' },
    ...overrides,
  });

  const launch: Harness['launch'] = async ({ idToken, state, cookie, fields = {}, json = true }) => {
    const body = new URLSearchParams({
      ...(idToken === undefined ? {} : { id_token: idToken }),
      ...(state === undefined ? {} : { state }),
      ...fields,
    });
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
    if (cookie) headers.cookie = cookie;
    if (json) headers.accept = 'application/json';
    return tool.launch(new Request(`${toolOrigin}/launch`, { method: 'POST', body, headers }));
  };

  return {
    launches,
    clock,
    tool,
    registry,
    loginStates,
    platformKey: key,
    jwks,
    fetchCount: () => fetches,
    login,
    sign,
    payload,
    launch,
  };
}

/** The error code of a refused launch answered as JSON. */
export async function codeOf(response: Response): Promise<string> {
  const body = (await response.json()) as { code?: string };
  return body.code ?? `(status ${response.status}, no code)`;
}
