import { fetch as undiciFetch } from 'undici';
import {
  MemoryAccessTokenStore,
  MemoryGradebook,
  MemoryKeyStore,
  MemoryLoginStateStore,
  MemoryMembershipSource,
  MemoryPendingLaunchStore,
  MemoryPlatformRegistry,
  MemoryReplayGuard,
  MemoryToolRegistry,
} from '../../src/adapters/memory/memory-stores.ts';
import { allScopes } from '../../src/claims/uris.ts';
import type { FetchLike } from '../../src/http/fetch.ts';
import { createLtiPlatform, type LtiPlatform, type LtiPlatformOptions } from '../../src/platform/platform.ts';
import {
  createDynamicRegistration,
  type DynamicRegistrationOptions,
} from '../../src/registration/tool-registration.ts';
import { createLtiServices, type LtiServices } from '../../src/services/services.ts';
import type { LtiLaunch } from '../../src/tool/launch/launch.ts';
import { createLtiTool, type LtiTool, type LtiToolOptions } from '../../src/tool/tool.ts';
import { Browser } from './browser.ts';
import { type Handler, route, type Served, serve } from './serve.ts';
import { TestClock } from './tool-harness.ts';

export interface Loopback {
  readonly clock: TestClock;
  readonly platform: LtiPlatform;
  readonly tool: LtiTool;
  readonly services: LtiServices;
  readonly memberships: MemoryMembershipSource;
  readonly gradebook: MemoryGradebook;
  readonly toolOrigin: string;
  readonly platformOrigin: string;
  readonly clientId: string;
  readonly deploymentId: string;
  readonly launches: LtiLaunch[];
  /** Requests the tool made, by URL path. */
  readonly outbound: string[];
  browser(): Browser;
  /** Sets what the tool answers to the next launches (default: a JSON summary). */
  onLaunch(handler: (launch: LtiLaunch, request: Request) => Response | Promise<Response>): void;
  close(): Promise<void>;
}

/** A platform and a tool, each on its own 127.0.0.1:0 server, registered with each other. */
export async function createLoopback(
  options: {
    platform?: Partial<LtiPlatformOptions>;
    tool?: Partial<LtiToolOptions>;
    toolScopes?: readonly string[];
    tokenAudience?: string;
    registration?: Partial<DynamicRegistrationOptions>;
  } = {},
): Promise<Loopback> {
  const clock = new TestClock(new Date());
  let platformHandler: Handler = async () => new Response('starting', { status: 503 });
  let toolHandler: Handler = async () => new Response('starting', { status: 503 });
  const platformServer: Served = await serve((request) => platformHandler(request));
  const toolServer: Served = await serve((request) => toolHandler(request));
  const outbound: string[] = [];
  const countingFetch: FetchLike = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    outbound.push(new URL(url).pathname);
    return (await undiciFetch(input as never, init as never)) as unknown as Response;
  };
  let counter = 0;
  const generateId = () => `id${++counter}x${Math.random().toString(36).slice(2, 10)}`;

  const memberships = new MemoryMembershipSource();
  const gradebook = new MemoryGradebook();
  const platform = createLtiPlatform({
    issuer: platformServer.origin,
    tools: new MemoryToolRegistry(),
    keys: new MemoryKeyStore(),
    pendingLaunches: new MemoryPendingLaunchStore(),
    replayGuard: new MemoryReplayGuard(() => clock.now()),
    gradebook,
    memberships,
    clock,
    generateId,
    ...options.platform,
  });
  const registry = new MemoryPlatformRegistry();
  const launches: LtiLaunch[] = [];
  let launchHandler: (launch: LtiLaunch, request: Request) => Response | Promise<Response> = (launch) =>
    Response.json({ messageType: launch.messageType, user: launch.user.id });
  const tool = createLtiTool({
    launchUrl: `${toolServer.origin}/lti/launch`,
    registry,
    loginStates: new MemoryLoginStateStore(),
    keys: new MemoryKeyStore(),
    clock,
    generateId,
    fetch: countingFetch,
    // Plain http on loopback: browsers keep Secure cookies for localhost only.
    cookie: { secure: false },
    onLaunch: (launch, request) => {
      launches.push(launch);
      return launchHandler(launch, request);
    },
    ...options.tool,
  });
  const services = createLtiServices({
    keyRing: tool.keyRing,
    accessTokens: new MemoryAccessTokenStore(),
    clock,
    generateId,
    fetch: countingFetch,
  });
  platformHandler = platform.handle;
  const dynamicRegistration = createDynamicRegistration({
    registry,
    fetch: countingFetch,
    clientName: 'Loopback tool',
    loginUrl: `${toolServer.origin}/lti/login`,
    launchUrl: `${toolServer.origin}/lti/launch`,
    jwksUrl: `${toolServer.origin}/lti/jwks`,
    targetLinkUri: `${toolServer.origin}/app`,
    scopes: [...allScopes],
    messages: [
      {
        type: 'LtiDeepLinkingRequest',
        target_link_uri: `${toolServer.origin}/lti/launch`,
        label: 'Add content',
      },
    ],
    ...options.registration,
  });
  toolHandler = route({
    '/lti/login': tool.login,
    '/lti/launch': tool.launch,
    '/lti/jwks': tool.jwks,
    '/lti/register': dynamicRegistration.handler,
  });

  const clientId = 'tool-client-1';
  const deploymentId = '1';
  await platform.registerTool({
    clientId,
    name: 'Loopback tool',
    loginUrl: `${toolServer.origin}/lti/login`,
    redirectUris: [`${toolServer.origin}/lti/launch`],
    targetLinkUri: `${toolServer.origin}/app`,
    jwksUri: `${toolServer.origin}/lti/jwks`,
    scopes: [...(options.toolScopes ?? allScopes)],
    deploymentIds: [deploymentId],
    status: 'active',
  });
  await registry.saveRegistration({
    issuer: platform.urls.issuer,
    clientId,
    authorizationEndpoint: platform.urls.authorize,
    tokenEndpoint: platform.urls.token,
    jwksUri: platform.urls.jwks,
    ...(options.tokenAudience === undefined ? {} : { tokenAudience: options.tokenAudience }),
    status: 'active',
  });
  await registry.saveDeployment({ issuer: platform.urls.issuer, clientId, deploymentId });

  return {
    clock,
    platform,
    tool,
    services,
    memberships,
    gradebook,
    toolOrigin: toolServer.origin,
    platformOrigin: platformServer.origin,
    clientId,
    deploymentId,
    launches,
    outbound,
    browser: () => new Browser(),
    onLaunch(handler) {
      launchHandler = handler;
    },
    async close() {
      await Promise.all([platformServer.close(), toolServer.close()]);
    },
  };
}
