import assert from 'node:assert/strict';
import type {
  AccountLinkStore,
  AppRegistration,
  AppRegistry,
  AttemptCounter,
  AuditEvent,
  AuditLog,
  BadgeStore,
  District,
  DistrictRegistry,
  KeyStore,
  OidcArtifactStore,
  OneTimeStore,
  PasswordStore,
  SessionRecord,
  SessionStore,
} from '../ports.ts';

/**
 * Contract suites for the storage ports: every adapter (memory, PGlite, PostgreSQL, yours) must pass them. Each
 * suite is a list of named cases that throw on failure, so it runs under any test runner:
 *
 *   for (const testCase of sessionStoreContract(() => new MySessionStore())) it(testCase.name, testCase.run);
 *
 * The factory is called once per case and must return an empty store.
 */
export interface ContractCase {
  readonly name: string;
  run(): Promise<void>;
}

type Factory<T> = () => T | Promise<T>;

const at = (iso: string) => new Date(iso);

const app = (overrides: Partial<AppRegistration> = {}): AppRegistration => ({
  appId: 'app-1',
  partnerId: 'partner-1',
  name: 'Quiz Town',
  oidc: { clientId: 'client-1', redirectUris: ['https://quiz.example/cb'], subjectType: 'pairwise' },
  ...overrides,
});

export function appRegistryContract(create: Factory<AppRegistry>): ContractCase[] {
  return [
    {
      name: 'AppRegistry finds apps by id, client id and SAML entity id, and replaces on save',
      async run() {
        const registry = await create();
        await registry.saveApp(app());
        await registry.saveApp(
          app({
            appId: 'app-2',
            name: 'Atlas',
            oidc: undefined,
            saml: {
              entityId: 'https://sp.example/metadata',
              assertionConsumerServices: [{ url: 'https://sp.example/acs', index: 0 }],
              signingCertificates: [],
              nameIdFormat: 'persistent',
              attributes: [{ name: 'mail', claim: 'email' }],
            },
          }),
        );
        assert.equal((await registry.findAppByClientId('client-1'))?.appId, 'app-1');
        assert.equal((await registry.findAppBySamlEntityId('https://sp.example/metadata'))?.appId, 'app-2');
        assert.equal(await registry.findAppByClientId('nope'), undefined);
        assert.deepEqual(
          (await registry.listApps()).map((entry) => entry.name),
          ['Atlas', 'Quiz Town'],
        );
        await registry.saveApp(
          app({ name: 'Quiz Town 2', oidc: { clientId: 'client-9', redirectUris: ['https://q/cb'] } }),
        );
        assert.equal((await registry.getApp('app-1'))?.name, 'Quiz Town 2');
        assert.equal(await registry.findAppByClientId('client-1'), undefined);
        assert.equal((await registry.findAppByClientId('client-9'))?.appId, 'app-1');
        assert.deepEqual((await registry.getApp('app-2'))?.saml?.attributes, [
          { name: 'mail', claim: 'email' },
        ]);
        assert.equal(await registry.removeApp('app-1'), true);
        assert.equal(await registry.removeApp('app-1'), false);
      },
    },
    {
      name: 'AppRegistry keeps grants per district and app',
      async run() {
        const registry = await create();
        await registry.saveApp(app());
        await registry.saveApp(
          app({ appId: 'app-2', oidc: { clientId: 'c2', redirectUris: ['https://x/cb'] } }),
        );
        await registry.saveGrant({ districtId: 'd1', appId: 'app-1', claims: ['name'], roles: ['student'] });
        await registry.saveGrant({ districtId: 'd1', appId: 'app-2', claims: [] });
        await registry.saveGrant({
          districtId: 'd2',
          appId: 'app-1',
          claims: ['email'],
          requireConsent: true,
        });
        assert.deepEqual(await registry.getGrant('d1', 'app-1'), {
          districtId: 'd1',
          appId: 'app-1',
          claims: ['name'],
          roles: ['student'],
        });
        assert.equal((await registry.listGrants('d1')).length, 2);
        assert.equal((await registry.getGrant('d2', 'app-1'))?.requireConsent, true);
        await registry.saveGrant({ districtId: 'd1', appId: 'app-1', claims: ['name', 'role'] });
        assert.deepEqual((await registry.getGrant('d1', 'app-1'))?.claims, ['name', 'role']);
        assert.equal((await registry.getGrant('d1', 'app-1'))?.roles, undefined);
        assert.equal(await registry.removeGrant('d1', 'app-1'), true);
        assert.equal(await registry.getGrant('d1', 'app-1'), undefined);
        assert.equal(await registry.removeGrant('d1', 'app-1'), false);
      },
    },
  ];
}

export function districtRegistryContract(create: Factory<DistrictRegistry>): ContractCase[] {
  return [
    {
      name: 'DistrictRegistry saves, replaces and lists districts by name',
      async run() {
        const registry = await create();
        await registry.saveDistrict({ districtId: 'd2', name: 'Oak', signInMethods: [] });
        await registry.saveDistrict({
          districtId: 'd1',
          name: 'Maple',
          signInMethods: [
            { kind: 'password', id: 'pw', name: 'Password' },
            {
              kind: 'oidc',
              id: 'google',
              name: 'Google',
              issuer: 'https://accounts.google.com',
              clientId: 'abc',
              match: [{ claim: 'email', attribute: 'email' }],
            },
          ],
        });
        assert.deepEqual(
          (await registry.listDistricts()).map((district) => district.name),
          ['Maple', 'Oak'],
        );
        assert.equal((await registry.getDistrict('d1'))?.signInMethods[1]?.kind, 'oidc');
        await registry.saveDistrict({ districtId: 'd1', name: 'Maple USD', signInMethods: [] });
        assert.equal((await registry.getDistrict('d1'))?.name, 'Maple USD');
        assert.equal(await registry.getDistrict('d9'), undefined);
      },
    },
    {
      name: 'DistrictRegistry refuses a save from a stale read (SSO_DISTRICT_CHANGED) and keeps the other save',
      async run() {
        const registry = await create();
        const password = { kind: 'password', id: 'pw', name: 'Password' } as const;
        const badge = { kind: 'badge', id: 'badge', name: 'Badge', roles: ['student'] } as const;
        await registry.saveDistrict({ districtId: 'd1', name: 'Maple', signInMethods: [password] });
        const first = await registry.getDistrict('d1');
        const second = await registry.getDistrict('d1');
        assert.ok(first !== undefined && second !== undefined);
        assert.equal(first.revision, 1);
        // Two admins change what they read: the first save wins, the second is refused whole.
        await registry.saveDistrict({ ...first, signInMethods: [...first.signInMethods, badge] });
        await assert.rejects(
          registry.saveDistrict({ ...second, signInMethods: [] }),
          (error: unknown) => (error as { code?: string }).code === 'SSO_DISTRICT_CHANGED',
        );
        const stored = await registry.getDistrict('d1');
        assert.deepEqual(
          stored?.signInMethods.map((method) => method.id),
          ['pw', 'badge'],
        );
        assert.equal(stored?.revision, 2);
        // Read again, the change goes through; a save without a revision replaces whatever is there.
        await registry.saveDistrict({ ...(stored as District), signInMethods: [badge] });
        assert.equal((await registry.getDistrict('d1'))?.revision, 3);
        await registry.saveDistrict({ districtId: 'd1', name: 'Maple', signInMethods: [password] });
        const replaced = await registry.getDistrict('d1');
        assert.deepEqual(
          replaced?.signInMethods.map((method) => method.id),
          ['pw'],
        );
        assert.equal(replaced?.revision, 4);
      },
    },
  ];
}

const session = (overrides: Partial<SessionRecord> = {}): SessionRecord => ({
  sessionId: 'session-1',
  tokenHash: 'hash-1',
  userId: 'user-1',
  districtId: 'd1',
  signInMethodId: 'pw',
  amr: ['pwd'],
  authTime: at('2026-01-01T08:00:00.000Z'),
  createdAt: at('2026-01-01T08:00:00.000Z'),
  rotatedAt: at('2026-01-01T08:00:00.000Z'),
  lastSeenAt: at('2026-01-01T08:00:00.000Z'),
  expiresAt: at('2026-01-01T16:00:00.000Z'),
  samlParticipants: [],
  ...overrides,
});

export function sessionStoreContract(create: Factory<SessionStore>): ContractCase[] {
  return [
    {
      name: 'SessionStore finds a session by its current or previous token hash, and round-trips every field',
      async run() {
        const store = await create();
        const record = session({
          previousTokenHash: 'hash-0',
          previousTokenValidUntil: at('2026-01-01T08:01:00.000Z'),
          samlParticipants: [{ appId: 'a', nameId: 'n', nameIdFormat: 'f', sessionIndex: 's' }],
        });
        await store.create(record);
        assert.deepEqual(await store.findByTokenHash('hash-1'), record);
        assert.deepEqual(await store.findByTokenHash('hash-0'), record);
        assert.equal(await store.findByTokenHash('hash-9'), undefined);
        assert.deepEqual(await store.get('session-1'), record);
      },
    },
    {
      name: 'SessionStore updates and deletes; an update of a deleted session reports false',
      async run() {
        const store = await create();
        await store.create(session());
        const rotated = session({
          tokenHash: 'hash-2',
          previousTokenHash: 'hash-1',
          rotatedAt: at('2026-01-01T08:20:00.000Z'),
        });
        assert.equal(await store.update(rotated), true);
        assert.equal(
          (await store.findByTokenHash('hash-2'))?.rotatedAt.toISOString(),
          '2026-01-01T08:20:00.000Z',
        );
        assert.equal(await store.delete('session-1'), true);
        assert.equal(await store.delete('session-1'), false);
        assert.equal(await store.update(rotated), false);
        assert.equal(await store.findByTokenHash('hash-2'), undefined);
      },
    },
    {
      name: 'SessionStore deletes expired sessions only',
      async run() {
        const store = await create();
        await store.create(session());
        await store.create(
          session({ sessionId: 'session-2', tokenHash: 'hash-x', expiresAt: at('2026-01-02T00:00:00.000Z') }),
        );
        assert.equal(await store.deleteExpired(at('2026-01-01T17:00:00.000Z')), 1);
        assert.equal(await store.get('session-1'), undefined);
        assert.notEqual(await store.get('session-2'), undefined);
      },
    },
  ];
}

export function oneTimeStoreContract(create: Factory<OneTimeStore>): ContractCase[] {
  const now = at('2026-01-01T08:00:00.000Z');
  const later = at('2026-01-01T08:10:00.000Z');
  return [
    {
      name: 'OneTimeStore gives a value once, and never after it expired',
      async run() {
        const store = await create();
        await store.put('state-1', 'value-1', later);
        assert.equal(await store.take('state-1', now), 'value-1');
        assert.equal(await store.take('state-1', now), undefined);
        await store.put('state-2', 'value-2', later);
        assert.equal(await store.take('state-2', at('2026-01-01T08:10:00.001Z')), undefined);
      },
    },
    {
      name: 'OneTimeStore claims a key once until it expires (replay detection)',
      async run() {
        const store = await create();
        assert.equal(await store.claim('request-1', later, now), true);
        assert.equal(await store.claim('request-1', later, now), false);
        assert.equal(
          await store.claim('request-1', at('2026-01-01T08:30:00.000Z'), at('2026-01-01T08:20:00.000Z')),
          true,
        );
      },
    },
    {
      name: 'OneTimeStore lets exactly one of many concurrent claims win',
      async run() {
        const store = await create();
        const results = await Promise.all(Array.from({ length: 8 }, () => store.claim('race', later, now)));
        assert.equal(results.filter(Boolean).length, 1);
      },
    },
  ];
}

export function attemptCounterContract(create: Factory<AttemptCounter>): ContractCase[] {
  const now = at('2026-01-01T08:00:00.000Z');
  return [
    {
      name: 'AttemptCounter counts within a window and starts over after it',
      async run() {
        const counter = await create();
        assert.equal((await counter.increment('k', 60, now)).count, 1);
        const second = await counter.increment('k', 60, at('2026-01-01T08:00:30.000Z'));
        assert.equal(second.count, 2);
        assert.equal(second.windowEndsAt.toISOString(), '2026-01-01T08:01:00.000Z');
        assert.equal((await counter.get('k', at('2026-01-01T08:00:59.000Z')))?.count, 2);
        assert.equal(await counter.get('k', at('2026-01-01T08:01:00.000Z')), undefined);
        assert.equal((await counter.increment('k', 60, at('2026-01-01T08:01:00.000Z'))).count, 1);
        await counter.reset('k');
        assert.equal(await counter.get('k', now), undefined);
      },
    },
    {
      name: 'AttemptCounter loses no concurrent increment',
      async run() {
        const counter = await create();
        await Promise.all(Array.from({ length: 10 }, () => counter.increment('burst', 60, now)));
        assert.equal((await counter.get('burst', now))?.count, 10);
      },
    },
  ];
}

const event = (overrides: Partial<AuditEvent>): AuditEvent => ({
  eventId: 'e1',
  at: at('2026-01-01T08:00:00.000Z'),
  type: 'signin.succeeded',
  ...overrides,
});

export function auditLogContract(create: Factory<AuditLog>): ContractCase[] {
  return [
    {
      name: 'AuditLog lists newest first, filtered, limited, with every field',
      async run() {
        const log = await create();
        await log.record(event({ eventId: 'e1', userId: 'u1', districtId: 'd1', via: 'pw', ip: '10.0.0.1' }));
        await log.record(
          event({
            eventId: 'e2',
            at: at('2026-01-01T08:05:00.000Z'),
            type: 'sso.refused',
            userId: 'u1',
            districtId: 'd1',
            appId: 'a1',
            code: 'SSO_GRANT_ROLE_EXCLUDED',
            detail: { protocol: 'oidc' },
          }),
        );
        await log.record(event({ eventId: 'e3', at: at('2026-01-01T08:05:00.000Z'), userId: 'u2' }));
        assert.deepEqual(
          (await log.list()).map((entry) => entry.eventId),
          ['e3', 'e2', 'e1'],
        );
        assert.deepEqual(
          (await log.list({ userId: 'u1' })).map((entry) => entry.eventId),
          ['e2', 'e1'],
        );
        assert.deepEqual((await log.list({ type: 'sso.refused' }))[0], {
          eventId: 'e2',
          at: at('2026-01-01T08:05:00.000Z'),
          type: 'sso.refused',
          userId: 'u1',
          districtId: 'd1',
          appId: 'a1',
          code: 'SSO_GRANT_ROLE_EXCLUDED',
          detail: { protocol: 'oidc' },
        });
        assert.equal((await log.list({ limit: 1 })).length, 1);
        assert.equal((await log.list({ districtId: 'd9' })).length, 0);
      },
    },
  ];
}

export function keyStoreContract(create: Factory<KeyStore>): ContractCase[] {
  return [
    {
      name: 'KeyStore saves, replaces by kid and removes keys',
      async run() {
        const store = await create();
        const key = {
          kid: 'k1',
          alg: 'RS256' as const,
          privateJwk: { kty: 'RSA', n: 'abc', e: 'AQAB', d: 'secret' },
          createdAt: at('2026-01-01T00:00:00.000Z'),
        };
        await store.save(key);
        assert.deepEqual(await store.list(), [key]);
        await store.save({ ...key, retiredAt: at('2026-02-01T00:00:00.000Z') });
        assert.equal((await store.list())[0]?.retiredAt?.toISOString(), '2026-02-01T00:00:00.000Z');
        assert.equal(await store.remove('k1'), true);
        assert.equal(await store.remove('k1'), false);
        assert.deepEqual(await store.list(), []);
      },
    },
  ];
}

export function passwordStoreContract(create: Factory<PasswordStore>): ContractCase[] {
  return [
    {
      name: 'PasswordStore keys credentials by district and lower-cased username',
      async run() {
        const store = await create();
        const credential = {
          districtId: 'd1',
          username: 'Ada',
          userId: 'u1',
          passwordHash: 'scrypt$1$2$3$salt$hash',
          updatedAt: at('2026-01-01T00:00:00.000Z'),
        };
        await store.save(credential);
        assert.deepEqual(await store.find('d1', 'ADA'), { ...credential, username: 'ada' });
        assert.equal(await store.find('d2', 'ada'), undefined);
        assert.equal(await store.remove('d1', 'ada'), true);
        assert.equal(await store.find('d1', 'ada'), undefined);
      },
    },
  ];
}

export function oidcArtifactStoreContract(create: Factory<OidcArtifactStore>): ContractCase[] {
  const now = at('2026-01-01T08:00:00.000Z');
  return [
    {
      name: 'OidcArtifactStore finds by id, uid and user code, never after expiry',
      async run() {
        const store = await create();
        await store.upsert({
          model: 'Session',
          id: 's1',
          uid: 'uid-1',
          payload: { accountId: 'u1', nested: { list: [1, 2] } },
          expiresAt: at('2026-01-01T09:00:00.000Z'),
        });
        await store.upsert({
          model: 'DeviceCode',
          id: 'd1',
          userCode: 'ABCD',
          payload: { kind: 'DeviceCode' },
        });
        assert.deepEqual((await store.find('Session', 's1', now))?.payload, {
          accountId: 'u1',
          nested: { list: [1, 2] },
        });
        assert.equal((await store.findByUid('Session', 'uid-1', now))?.id, 's1');
        assert.equal((await store.findByUserCode('DeviceCode', 'ABCD', now))?.id, 'd1');
        assert.equal(await store.find('Grant', 's1', now), undefined);
        assert.equal(await store.find('Session', 's1', at('2026-01-01T09:00:00.000Z')), undefined);
        assert.notEqual(await store.find('DeviceCode', 'd1', at('2030-01-01T00:00:00.000Z')), undefined);
      },
    },
    {
      name: 'OidcArtifactStore marks consumption, replaces on upsert and revokes a whole grant',
      async run() {
        const store = await create();
        for (const [model, id] of [
          ['AuthorizationCode', 'c1'],
          ['AccessToken', 'a1'],
          ['RefreshToken', 'r1'],
        ] as const) {
          await store.upsert({ model, id, grantId: 'g1', payload: { jti: id } });
        }
        await store.upsert({ model: 'AccessToken', id: 'a2', grantId: 'g2', payload: { jti: 'a2' } });
        await store.consume('AuthorizationCode', 'c1', now);
        assert.equal(
          (await store.find('AuthorizationCode', 'c1', now))?.payload.consumed,
          Math.floor(now.getTime() / 1000),
        );
        await store.upsert({
          model: 'AccessToken',
          id: 'a1',
          grantId: 'g1',
          payload: { jti: 'a1', replaced: true },
        });
        assert.equal((await store.find('AccessToken', 'a1', now))?.payload.replaced, true);
        await store.revokeByGrantId('g1');
        assert.equal(await store.find('AuthorizationCode', 'c1', now), undefined);
        assert.equal(await store.find('RefreshToken', 'r1', now), undefined);
        assert.notEqual(await store.find('AccessToken', 'a2', now), undefined);
        await store.destroy('AccessToken', 'a2');
        assert.equal(await store.find('AccessToken', 'a2', now), undefined);
      },
    },
  ];
}

export function accountLinkStoreContract(create: Factory<AccountLinkStore>): ContractCase[] {
  return [
    {
      name: 'AccountLinkStore finds links both ways and replaces per user and app',
      async run() {
        const store = await create();
        const link = {
          userId: 'u1',
          appId: 'a1',
          externalAccountId: 'ext-9',
          method: 'verified' as const,
          linkedAt: at('2026-01-01T00:00:00.000Z'),
        };
        await store.save(link);
        assert.deepEqual(await store.find('u1', 'a1'), link);
        assert.deepEqual(await store.findByExternalAccount('a1', 'ext-9'), link);
        await store.save({ ...link, externalAccountId: 'ext-10', method: 'created' });
        assert.equal(await store.findByExternalAccount('a1', 'ext-9'), undefined);
        assert.equal((await store.find('u1', 'a1'))?.method, 'created');
        assert.equal(await store.remove('u1', 'a1'), true);
        assert.equal(await store.find('u1', 'a1'), undefined);
      },
    },
  ];
}

export function badgeStoreContract(create: Factory<BadgeStore>): ContractCase[] {
  const badge = (badgeId: string, issuedAt: string, overrides: Record<string, unknown> = {}) => ({
    badgeId,
    districtId: 'd1',
    userId: 'u1',
    secretHash: `hash-${badgeId}`,
    issuedAt: at(issuedAt),
    ...overrides,
  });
  return [
    {
      name: 'BadgeStore finds badges by id and lists a user’s badges newest first, optional fields kept',
      async run() {
        const store = await create();
        const first = badge('b1', '2026-01-01T00:00:00.000Z');
        const second = badge('b2', '2026-02-01T00:00:00.000Z', {
          issuedBy: 'admin-1',
          expiresAt: at('2026-06-30T00:00:00.000Z'),
        });
        await store.save(first);
        await store.save(second);
        await store.save(badge('b3', '2026-03-01T00:00:00.000Z', { districtId: 'd2' }));
        assert.deepEqual(await store.find('b1'), first);
        assert.deepEqual(await store.find('b2'), second);
        assert.equal(await store.find('missing'), undefined);
        assert.deepEqual(
          (await store.listByUser('d1', 'u1')).map((entry) => entry.badgeId),
          ['b2', 'b1'],
        );
        assert.deepEqual(await store.listByUser('d1', 'u2'), []);
      },
    },
    {
      name: 'BadgeStore revokes one badge within its district, once, and every badge of a user',
      async run() {
        const store = await create();
        const when = at('2026-04-01T00:00:00.000Z');
        await store.save(badge('b1', '2026-01-01T00:00:00.000Z'));
        await store.save(badge('b2', '2026-02-01T00:00:00.000Z'));
        await store.save(badge('b3', '2026-02-01T00:00:00.000Z', { userId: 'u2' }));
        assert.equal(await store.revoke('d2', 'b1', when), false);
        assert.equal(await store.revoke('d1', 'b1', when), true);
        assert.equal(await store.revoke('d1', 'b1', when), false);
        assert.deepEqual((await store.find('b1'))?.revokedAt, when);
        const later = at('2026-05-01T00:00:00.000Z');
        assert.equal(await store.revokeForUser('d1', 'u1', later), 1);
        assert.deepEqual((await store.find('b2'))?.revokedAt, later);
        assert.deepEqual((await store.find('b1'))?.revokedAt, when);
        assert.equal((await store.find('b3'))?.revokedAt, undefined);
        assert.equal(await store.revokeForUser('d1', 'u1', later), 0);
      },
    },
  ];
}

/** Every suite above, for a bundle of stores made by one factory. */
export function allContracts(
  create: Factory<{
    apps: AppRegistry;
    districts: DistrictRegistry;
    sessions: SessionStore;
    oneTime: OneTimeStore;
    attempts: AttemptCounter;
    audit: AuditLog;
    keys: KeyStore;
    passwords: PasswordStore;
    oidcArtifacts: OidcArtifactStore;
    links: AccountLinkStore;
    badges: BadgeStore;
  }>,
): ContractCase[] {
  const part =
    <
      K extends
        | 'apps'
        | 'districts'
        | 'sessions'
        | 'oneTime'
        | 'attempts'
        | 'audit'
        | 'keys'
        | 'passwords'
        | 'oidcArtifacts'
        | 'links'
        | 'badges',
    >(
      key: K,
    ) =>
    async () =>
      (await create())[key];
  return [
    ...appRegistryContract(part('apps')),
    ...districtRegistryContract(part('districts')),
    ...sessionStoreContract(part('sessions')),
    ...oneTimeStoreContract(part('oneTime')),
    ...attemptCounterContract(part('attempts')),
    ...auditLogContract(part('audit')),
    ...keyStoreContract(part('keys')),
    ...passwordStoreContract(part('passwords')),
    ...oidcArtifactStoreContract(part('oidcArtifacts')),
    ...accountLinkStoreContract(part('links')),
    ...badgeStoreContract(part('badges')),
  ];
}
