/**
 * Launch validation cost, against a bare `jose.jwtVerify` of the same tokens, in one run on one core; then the
 * round trip of a full login and launch over loopback HTTP (platform and tool on 127.0.0.1).
 *
 *   node packages/lti13/bench/launch.bench.ts [launches]
 *
 * Prints figures; never part of `npm test`.
 */
import { performance } from 'node:perf_hooks';
import { importJWK, type JWK, jwtVerify } from 'jose';
import { fetch as undiciFetch } from 'undici';
import {
  MemoryGradebook,
  MemoryKeyStore,
  MemoryLoginStateStore,
  MemoryMembershipSource,
  MemoryPendingLaunchStore,
  MemoryPlatformRegistry,
  MemoryReplayGuard,
  MemoryToolRegistry,
} from '../src/adapters/memory/memory-stores.ts';
import { claimUris } from '../src/claims/uris.ts';
import { generateSigningKey } from '../src/keys/generate-key.ts';
import { createLtiPlatform } from '../src/platform/platform.ts';
import { createLtiTool } from '../src/tool/tool.ts';
import { Browser } from '../test/support/browser.ts';
import { route, serve } from '../test/support/serve.ts';
import { signWithHeader } from '../test/support/sign.ts';

const count = Number(process.argv[2] ?? 4000);
const issuer = 'https://lms.example';
const clientId = 'bench-client';
const toolOrigin = 'https://tool.example';

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? Number.NaN;
}

async function validationCost() {
  const platformKey = await generateSigningKey({ now: new Date() });
  const registry = new MemoryPlatformRegistry();
  await registry.saveRegistration({
    issuer,
    clientId,
    authorizationEndpoint: `${issuer}/auth`,
    tokenEndpoint: `${issuer}/token`,
    jwksUri: `${issuer}/jwks`,
    status: 'active',
  });
  await registry.saveDeployment({ issuer, clientId, deploymentId: '1' });
  let fetches = 0;
  const tool = createLtiTool({
    launchUrl: `${toolOrigin}/launch`,
    registry,
    loginStates: new MemoryLoginStateStore(),
    keys: new MemoryKeyStore(),
    fetch: async () => {
      fetches++;
      return Response.json({ keys: [platformKey.publicJwk] });
    },
    onLaunch: () => new Response(null, { status: 204 }),
    cookie: { enabled: true },
  });
  // Logins happen before the clock starts: each launch needs its own single-use state and nonce.
  const launches: Array<{ body: string; cookie: string; token: string }> = [];
  for (let index = 0; index < count + 200; index++) {
    const login = await tool.login(
      new Request(
        `${toolOrigin}/login?iss=${encodeURIComponent(issuer)}&login_hint=u&target_link_uri=${encodeURIComponent(`${toolOrigin}/`)}&client_id=${clientId}`,
      ),
    );
    const location = new URL(login.headers.get('location') ?? '');
    const state = location.searchParams.get('state') ?? '';
    const now = Math.floor(Date.now() / 1000);
    const token = signWithHeader(
      { alg: 'RS256', kid: platformKey.kid, typ: 'JWT' },
      {
        iss: issuer,
        aud: clientId,
        sub: `user-${index}`,
        iat: now,
        exp: now + 600,
        nonce: location.searchParams.get('nonce'),
        name: 'Bench User',
        email: 'bench@example.edu',
        [claimUris.messageType]: 'LtiResourceLinkRequest',
        [claimUris.version]: '1.3.0',
        [claimUris.deploymentId]: '1',
        [claimUris.targetLinkUri]: `${toolOrigin}/`,
        [claimUris.roles]: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'],
        [claimUris.resourceLink]: { id: 'r1', title: 'Quiz' },
        [claimUris.context]: {
          id: 'c1',
          title: 'Course',
          label: 'C1',
          type: ['http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering'],
        },
        [claimUris.ags]: {
          scope: ['https://purl.imsglobal.org/spec/lti-ags/scope/score'],
          lineitems: `${issuer}/li`,
        },
        [claimUris.nrps]: { context_memberships_url: `${issuer}/m`, service_versions: ['2.0'] },
        [claimUris.custom]: { a: '1' },
      },
      platformKey.privateJwk,
    );
    launches.push({
      body: new URLSearchParams({ id_token: token, state }).toString(),
      cookie: `lti_state_${state}=${state}`,
      token,
    });
  }
  const publicKey = await importJWK(platformKey.publicJwk as JWK, 'RS256');

  // Warm up both paths (the JWKS cache, JIT), then alternate rounds so neither gets a warmer machine.
  const validate = async (launch: (typeof launches)[number]) => {
    const response = await tool.launch(
      new Request(`${toolOrigin}/launch`, {
        method: 'POST',
        body: launch.body,
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: launch.cookie },
      }),
    );
    if (response.status !== 204) throw new Error(`launch refused: ${await response.text()}`);
  };
  const bare = async (launch: (typeof launches)[number]) => {
    await jwtVerify(launch.token, publicKey, { algorithms: ['RS256'], issuer, audience: clientId });
  };
  for (const launch of launches.slice(count)) {
    await bare(launch);
  }
  const warmup = launches.slice(count, count + 200);
  for (const launch of warmup) await validate(launch);

  // Alternate short rounds of each so both see the same machine; report the median round.
  const rounds = 10;
  const perRound = Math.floor(count / rounds);
  const ratios: number[] = [];
  let toolTime = 0;
  let bareTime = 0;
  for (let round = 0; round < rounds; round++) {
    const slice = launches.slice(round * perRound, (round + 1) * perRound);
    let start = performance.now();
    for (const launch of slice) await bare(launch);
    const bareRound = performance.now() - start;
    start = performance.now();
    for (const launch of slice) await validate(launch);
    const toolRound = performance.now() - start;
    bareTime += bareRound;
    toolTime += toolRound;
    ratios.push(toolRound / bareRound);
  }
  ratios.sort((a, b) => a - b);
  const validated = rounds * perRound;
  return {
    validated,
    toolPerSecond: (validated / toolTime) * 1000,
    barePerSecond: (validated / bareTime) * 1000,
    ratio: percentile(ratios, 0.5),
    spread: [ratios[0] ?? Number.NaN, ratios.at(-1) ?? Number.NaN] as const,
    fetches,
  };
}

async function roundTrips(samples: number) {
  let platformHandler = async (_request: Request) => new Response(null, { status: 503 });
  let toolHandler = async (_request: Request) => new Response(null, { status: 503 });
  const platformServer = await serve((request) => platformHandler(request));
  const toolServer = await serve((request) => toolHandler(request));
  const platform = createLtiPlatform({
    issuer: platformServer.origin,
    tools: new MemoryToolRegistry(),
    keys: new MemoryKeyStore(),
    pendingLaunches: new MemoryPendingLaunchStore(),
    replayGuard: new MemoryReplayGuard(),
    gradebook: new MemoryGradebook(),
    memberships: new MemoryMembershipSource(),
  });
  const registry = new MemoryPlatformRegistry();
  const tool = createLtiTool({
    launchUrl: `${toolServer.origin}/lti/launch`,
    registry,
    loginStates: new MemoryLoginStateStore(),
    keys: new MemoryKeyStore(),
    fetch: async (input, init) => (await undiciFetch(input as never, init as never)) as unknown as Response,
    cookie: { secure: false },
    onLaunch: () => new Response('ok'),
  });
  await platform.registerTool({
    clientId,
    loginUrl: `${toolServer.origin}/lti/login`,
    redirectUris: [`${toolServer.origin}/lti/launch`],
    targetLinkUri: `${toolServer.origin}/app`,
    jwksUri: `${toolServer.origin}/lti/jwks`,
    scopes: [],
    deploymentIds: ['1'],
    status: 'active',
  });
  await registry.saveRegistration({
    issuer: platform.urls.issuer,
    clientId,
    authorizationEndpoint: platform.urls.authorize,
    tokenEndpoint: platform.urls.token,
    jwksUri: platform.urls.jwks,
    status: 'active',
  });
  await registry.saveDeployment({ issuer: platform.urls.issuer, clientId, deploymentId: '1' });
  platformHandler = platform.handle;
  toolHandler = route({ '/lti/login': tool.login, '/lti/launch': tool.launch, '/lti/jwks': tool.jwks });

  const durations: number[] = [];
  for (let index = 0; index < samples + 20; index++) {
    const started = await platform.startLaunch({
      clientId,
      deploymentId: '1',
      userId: `u${index}`,
      roles: ['Learner'],
      context: { id: 'c' },
      resourceLink: { id: 'r' },
    });
    const loginUrl = new URL(started.loginUrl);
    for (const [name, value] of Object.entries(started.parameters)) loginUrl.searchParams.set(name, value);
    const browser = new Browser();
    const begin = performance.now();
    const result = await browser.follow(await browser.request(loginUrl.href), loginUrl.href);
    const elapsed = performance.now() - begin;
    if (result.response.status !== 200) throw new Error(`round trip failed: ${result.body}`);
    if (index >= 20) durations.push(elapsed);
  }
  await Promise.all([platformServer.close(), toolServer.close()]);
  durations.sort((a, b) => a - b);
  return { samples, p50: percentile(durations, 0.5), p99: percentile(durations, 0.99) };
}

const validation = await validationCost();
console.log(`launch validation, warm JWKS cache, ${validation.validated} launches, one core:`);
console.log(`  @passport/lti13 launch handler: ${validation.toolPerSecond.toFixed(0)} launches/s`);
console.log(`  bare jose.jwtVerify:           ${validation.barePerSecond.toFixed(0)} verifications/s`);
console.log(
  `  cost ratio (handler / bare):   median ${validation.ratio.toFixed(2)}x over 10 rounds (min ${validation.spread[0].toFixed(2)}x, max ${validation.spread[1].toFixed(2)}x; target <= 1.5x)`,
);
console.log(`  JWKS fetches during the run:   ${validation.fetches}`);
const trips = await roundTrips(Math.min(500, Math.max(50, Math.floor(count / 10))));
console.log(`login-then-launch round trip over loopback HTTP (${trips.samples} samples):`);
console.log(`  p50 ${trips.p50.toFixed(2)} ms, p99 ${trips.p99.toFixed(2)} ms`);
