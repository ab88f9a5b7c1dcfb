import assert from 'node:assert/strict';
import type {
  AccessTokenStore,
  KeyStore,
  LoginState,
  LoginStateStore,
  PendingLaunchStore,
  PlatformRegistration,
  PlatformRegistry,
  ReplayGuard,
  StoredKey,
  ToolRegistration,
  ToolRegistry,
} from '../ports.ts';

/**
 * Contract suites for the storage ports: every adapter (memory, PGlite, PostgreSQL, yours) must pass them. Each
 * suite is a list of named cases that throw on failure, so it runs under any test runner:
 *
 *   for (const testCase of loginStateStoreContract(() => new MyStore())) it(testCase.name, testCase.run);
 *
 * The factory is called once per case and must return an empty store.
 */
export interface ContractCase {
  readonly name: string;
  run(): Promise<void>;
}

type Factory<T> = () => T | Promise<T>;

const registration = (overrides: Partial<PlatformRegistration> = {}): PlatformRegistration => ({
  issuer: 'https://canvas.instructure.com',
  clientId: '10000000000001',
  authorizationEndpoint: 'https://sso.canvaslms.com/api/lti/authorize_redirect',
  tokenEndpoint: 'https://sso.canvaslms.com/login/oauth2/token',
  jwksUri: 'https://sso.canvaslms.com/api/lti/security/jwks',
  status: 'active',
  ...overrides,
});

export function platformRegistryContract(create: Factory<PlatformRegistry>): ContractCase[] {
  return [
    {
      name: 'PlatformRegistry keys registrations by issuer and client id',
      async run() {
        const registry = await create();
        await registry.saveRegistration(registration());
        await registry.saveRegistration(
          registration({
            clientId: '10000000000002',
            name: 'Second tenant',
            tokenAudience: 'aud',
            algorithms: ['RS256', 'ES256'],
          }),
        );
        assert.equal(
          (await registry.getRegistration('https://canvas.instructure.com', '10000000000001'))?.clientId,
          '10000000000001',
        );
        assert.deepEqual(
          await registry.getRegistration('https://canvas.instructure.com', '10000000000002'),
          registration({
            clientId: '10000000000002',
            name: 'Second tenant',
            tokenAudience: 'aud',
            algorithms: ['RS256', 'ES256'],
          }),
        );
        assert.equal(await registry.getRegistration('https://other.example', '10000000000001'), undefined);
        assert.equal(
          (await registry.listRegistrations({ issuer: 'https://canvas.instructure.com' })).length,
          2,
        );
        assert.equal((await registry.listRegistrations({ issuer: 'https://other.example' })).length, 0);
        assert.equal((await registry.listRegistrations()).length, 2);
      },
    },
    {
      name: 'PlatformRegistry replaces a registration on save and keeps its status',
      async run() {
        const registry = await create();
        await registry.saveRegistration(registration({ status: 'pending' }));
        await registry.saveRegistration(
          registration({ status: 'active', jwksUri: 'https://new.example/jwks' }),
        );
        const saved = await registry.getRegistration('https://canvas.instructure.com', '10000000000001');
        assert.equal(saved?.status, 'active');
        assert.equal(saved?.jwksUri, 'https://new.example/jwks');
        assert.equal((await registry.listRegistrations()).length, 1);
      },
    },
    {
      name: 'PlatformRegistry keys deployments by issuer, client id and deployment id, and removes them with the registration',
      async run() {
        const registry = await create();
        await registry.saveRegistration(registration());
        await registry.saveRegistration(registration({ clientId: 'other' }));
        await registry.saveDeployment({
          issuer: 'https://canvas.instructure.com',
          clientId: '10000000000001',
          deploymentId: '1',
        });
        await registry.saveDeployment({
          issuer: 'https://canvas.instructure.com',
          clientId: 'other',
          deploymentId: '1',
        });
        assert.ok(await registry.getDeployment('https://canvas.instructure.com', '10000000000001', '1'));
        assert.equal(
          await registry.getDeployment('https://canvas.instructure.com', '10000000000001', '2'),
          undefined,
        );
        assert.equal((await registry.listDeployments('https://canvas.instructure.com', 'other')).length, 1);
        assert.equal(await registry.removeDeployment('https://canvas.instructure.com', 'other', '1'), true);
        assert.equal(await registry.removeDeployment('https://canvas.instructure.com', 'other', '1'), false);
        assert.equal(
          await registry.removeRegistration('https://canvas.instructure.com', '10000000000001'),
          true,
        );
        assert.equal(
          await registry.getDeployment('https://canvas.instructure.com', '10000000000001', '1'),
          undefined,
        );
        assert.equal(
          await registry.removeRegistration('https://canvas.instructure.com', '10000000000001'),
          false,
        );
      },
    },
  ];
}

const login = (state: string, nonce: string, expiresAt = new Date('2030-01-01T00:10:00Z')): LoginState => ({
  state,
  nonce,
  issuer: 'https://moodle.example',
  clientId: 'abc',
  deploymentId: '2',
  targetLinkUri: 'https://tool.example/app',
  storageTarget: '_parent',
  createdAt: new Date('2030-01-01T00:00:00Z'),
  expiresAt,
});

export function loginStateStoreContract(create: Factory<LoginStateStore>): ContractCase[] {
  return [
    {
      name: 'LoginStateStore finds a login by state and by nonce',
      async run() {
        const store = await create();
        await store.save(login('state-1', 'nonce-1'));
        const { usedAt, ...found } = (await store.get('state-1')) ?? {};
        assert.equal(usedAt, undefined);
        assert.deepEqual(found, login('state-1', 'nonce-1'));
        assert.equal((await store.getByNonce('nonce-1'))?.state, 'state-1');
        assert.equal(await store.get('state-2'), undefined);
        assert.equal(await store.getByNonce('nonce-2'), undefined);
      },
    },
    {
      name: 'LoginStateStore marks a login used exactly once, even under a race',
      async run() {
        const store = await create();
        await store.save(login('state-1', 'nonce-1'));
        const results = await Promise.all(
          [1, 2, 3, 4].map(() => store.markUsed('state-1', new Date('2030-01-01T00:01:00Z'))),
        );
        assert.deepEqual(results.filter(Boolean).length, 1);
        assert.deepEqual((await store.get('state-1'))?.usedAt, new Date('2030-01-01T00:01:00Z'));
        assert.equal(await store.markUsed('missing', new Date()), false);
      },
    },
    {
      name: 'LoginStateStore deletes expired logins only',
      async run() {
        const store = await create();
        await store.save(login('old', 'n-old', new Date('2030-01-01T00:05:00Z')));
        await store.save(login('new', 'n-new', new Date('2030-01-01T00:15:00Z')));
        assert.equal(await store.deleteExpired(new Date('2030-01-01T00:10:00Z')), 1);
        assert.equal(await store.get('old'), undefined);
        assert.ok(await store.get('new'));
      },
    },
  ];
}

const key = (kid: string, createdAt: string, overrides: Partial<StoredKey> = {}): StoredKey => ({
  kid,
  alg: 'RS256',
  publicJwk: { kty: 'RSA', kid, n: 'n', e: 'AQAB' },
  privateJwk: { kty: 'RSA', kid, n: 'n', e: 'AQAB', d: 'd' },
  createdAt: new Date(createdAt),
  ...overrides,
});

export function keyStoreContract(create: Factory<KeyStore>): ContractCase[] {
  return [
    {
      name: 'KeyStore lists keys oldest first, replaces by kid and removes',
      async run() {
        const store = await create();
        await store.save(key('b', '2030-01-02T00:00:00Z'));
        await store.save(key('a', '2030-01-01T00:00:00Z'));
        assert.deepEqual(
          (await store.list()).map((stored) => stored.kid),
          ['a', 'b'],
        );
        await store.save(
          key('a', '2030-01-01T00:00:00Z', {
            retiredAt: new Date('2030-02-01T00:00:00Z'),
            expiresAt: new Date('2030-02-02T00:00:00Z'),
          }),
        );
        const [first] = await store.list();
        assert.deepEqual(
          first,
          key('a', '2030-01-01T00:00:00Z', {
            retiredAt: new Date('2030-02-01T00:00:00Z'),
            expiresAt: new Date('2030-02-02T00:00:00Z'),
          }),
        );
        assert.equal(await store.remove('a'), true);
        assert.equal(await store.remove('a'), false);
        assert.deepEqual(
          (await store.list()).map((stored) => stored.kid),
          ['b'],
        );
      },
    },
  ];
}

export function accessTokenStoreContract(create: Factory<AccessTokenStore>): ContractCase[] {
  return [
    {
      name: 'AccessTokenStore keeps one token per key, replaced on set and deleted',
      async run() {
        const store = await create();
        const token = {
          accessToken: 'token-1',
          scopes: ['a', 'b'],
          expiresAt: new Date('2030-01-01T01:00:00Z'),
        };
        await store.set('k', token);
        assert.deepEqual(await store.get('k'), token);
        await store.set('k', { ...token, accessToken: 'token-2' });
        assert.equal((await store.get('k'))?.accessToken, 'token-2');
        await store.delete('k');
        assert.equal(await store.get('k'), undefined);
      },
    },
  ];
}

/** `now` must be the clock the replay guard was built with; the factory receives a settable clock. */
export function replayGuardContract(
  create: (clock: { now(): Date }) => ReplayGuard | Promise<ReplayGuard>,
): ContractCase[] {
  return [
    {
      name: 'ReplayGuard accepts a key once until it expires, then again',
      async run() {
        let now = new Date('2030-01-01T00:00:00Z');
        const guard = await create({ now: () => now });
        assert.equal(await guard.use('jti-1', new Date('2030-01-01T00:05:00Z')), true);
        assert.equal(await guard.use('jti-1', new Date('2030-01-01T00:05:00Z')), false);
        assert.equal(await guard.use('jti-2', new Date('2030-01-01T00:05:00Z')), true);
        now = new Date('2030-01-01T00:06:00Z');
        assert.equal(await guard.use('jti-1', new Date('2030-01-01T00:10:00Z')), true);
      },
    },
  ];
}

const tool = (clientId: string): ToolRegistration => ({
  clientId,
  loginUrl: 'https://tool.example/lti/login',
  redirectUris: ['https://tool.example/lti/launch'],
  targetLinkUri: 'https://tool.example/app',
  jwksUri: 'https://tool.example/lti/jwks',
  scopes: ['https://purl.imsglobal.org/spec/lti-ags/scope/score'],
  deploymentIds: ['1'],
  status: 'active',
  custom: { a: '1' },
});

export function toolRegistryContract(create: Factory<ToolRegistry>): ContractCase[] {
  return [
    {
      name: 'ToolRegistry saves, replaces, lists and removes tools',
      async run() {
        const registry = await create();
        await registry.saveTool(tool('t1'));
        await registry.saveTool({ ...tool('t2'), status: 'pending' });
        assert.deepEqual(await registry.getTool('t1'), tool('t1'));
        await registry.saveTool({ ...tool('t2'), status: 'active' });
        assert.equal((await registry.getTool('t2'))?.status, 'active');
        assert.deepEqual((await registry.listTools()).map((saved) => saved.clientId).sort(), ['t1', 't2']);
        assert.equal(await registry.removeTool('t1'), true);
        assert.equal(await registry.getTool('t1'), undefined);
      },
    },
  ];
}

export function pendingLaunchStoreContract(create: Factory<PendingLaunchStore>): ContractCase[] {
  return [
    {
      name: 'PendingLaunchStore hands a launch out once',
      async run() {
        const store = await create();
        const launch = {
          id: 'hint-1',
          clientId: 't1',
          deploymentId: '1',
          userId: 'u1',
          targetLinkUri: 'https://tool.example/app',
          claims: { a: { b: [1, 2] } },
          expiresAt: new Date('2030-01-01T00:05:00Z'),
        };
        await store.save(launch);
        assert.deepEqual(await store.take('hint-1'), launch);
        assert.equal(await store.take('hint-1'), undefined);
      },
    },
  ];
}
