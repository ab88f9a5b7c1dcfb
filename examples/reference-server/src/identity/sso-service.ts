import { createAesGcmSealing } from '@passport/coursera-connector/postgres';
import {
  createSsoIdp,
  type District,
  hashPassword,
  type SignInMethod,
  type SsoIdp,
  type SsoStores,
  updateDistrict,
} from '@passport/sso-idp';
import { createPostgresStores } from '@passport/sso-idp/postgres';
import { type ConsoleAccountStore, staffDistrictId } from '../console/accounts.ts';
import type { DatabaseHandle } from '../db/open-database.ts';
import type { Handler } from '../http/handler.ts';
import type { Logger } from '../logger.ts';
import type { RosterService } from '../roster/roster-service.ts';
import { deriveKey } from '../secrets/sealing-key.ts';
import { createTenantStore } from '../tenants/tenant-store.ts';
import { createServerRosterDirectory } from './roster-directory.ts';
import { sealDistrictSecrets } from './sealed-districts.ts';

/** Where Passport's SSO lives on this server. */
export const ssoBasePath = '/sso';
/** The server's own pages that sign-in may return to. */
export const consoleBasePath = '/console';
/** The student's way from an LMS launch to the learning platform (see learning/student-launch.ts). */
export const learnPath = '/learn';

export interface SsoService {
  readonly stores: SsoStores;
  /** The identity provider; created on first use, when the server's public URL is known. */
  idp(): SsoIdp;
  /** Everything under `/sso`. */
  readonly handle: Handler;
  /**
   * Makes sure every tenant is a district of the SSO (password sign-in), and the staff district exists. It only
   * adds: a district keeps the methods its admins chose, and gets the password back only when it has no other way
   * in for staff (no password, OpenID Connect or SAML method).
   */
  syncDistricts(): Promise<void>;
  /** Sets a password directly in the store (works before the server listens). */
  setPassword(input: {
    districtId: string;
    username: string;
    userId: string;
    password: string;
  }): Promise<void>;
}

const passwordMethod: SignInMethod = { kind: 'password', id: 'password', name: 'Passport password' };

/** The sign-in methods staff (teachers, administrators) can sign in with; badges and LMS launches are for students. */
export const staffSignInKinds: ReadonlySet<SignInMethod['kind']> = new Set(['password', 'oidc', 'saml']);

/**
 * @passport/sso-idp on the server's database: its stores through `handle.sql`, the roster read through the
 * OneRoster store and the console accounts, cookie and pairwise secrets derived from the sealing key (so every
 * process of one deployment agrees on them without another secret to manage).
 */
export function createSsoService(options: {
  database: DatabaseHandle;
  roster: RosterService;
  accounts: ConsoleAccountStore;
  sealingKey: Uint8Array;
  publicUrl: () => string;
  logger: Logger;
  /** Outbound HTTP of upstream sign-in (OpenID discovery, tokens, keys); default the platform's fetch. */
  fetch?: typeof fetch;
}): SsoService {
  const { database, logger } = options;
  const directory = createServerRosterDirectory({ roster: options.roster.store, accounts: options.accounts });
  const postgresStores = createPostgresStores(database.sql, directory);
  // Upstream OIDC client secrets are sealed in `sso_districts` (sso-idp itself would keep them in clear text).
  const stores: SsoStores = {
    ...postgresStores,
    districts: sealDistrictSecrets(
      postgresStores.districts,
      createAesGcmSealing(deriveKey(options.sealingKey, 'passport sso upstream secrets v1')),
      (districtId, methodId, error) =>
        logger.error('an upstream client secret cannot be unsealed', { districtId, methodId, error }),
    ),
  };
  const derive = (info: string) => Buffer.from(deriveKey(options.sealingKey, info)).toString('hex');
  const secrets = {
    cookies: [derive('passport sso cookies v1')],
    pairwise: derive('passport sso pairwise v1'),
  };
  let idp: SsoIdp | undefined;

  const service: SsoService = {
    stores,
    idp() {
      idp ??= createSsoIdp({
        baseUrl: `${options.publicUrl().replace(/\/$/, '')}${ssoBasePath}`,
        stores,
        secrets,
        hostPaths: [consoleBasePath, learnPath],
        reportError: (error, where) => logger.error('sso failed', { error, where }),
        ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
      });
      return idp;
    },
    handle: (request) => service.idp().handle(request),
    async syncDistricts() {
      const tenants = await createTenantStore({ db: database.db }).list();
      const wanted: District[] = [
        { districtId: staffDistrictId, name: 'Passport staff and partners', signInMethods: [passwordMethod] },
        ...tenants.map((tenant) => ({
          districtId: tenant.id,
          name: tenant.name,
          signInMethods: [passwordMethod],
        })),
      ];
      // Several server processes may start at once: each change is redone on what another one saved.
      for (const district of wanted) {
        await updateDistrict(stores.districts, district.districtId, (existing) => {
          if (existing === undefined) return district;
          if (existing.signInMethods.some((method) => staffSignInKinds.has(method.kind))) return undefined;
          return { ...existing, signInMethods: [...existing.signInMethods, passwordMethod] };
        });
      }
    },
    async setPassword(input) {
      await stores.passwords.save({
        districtId: input.districtId,
        username: input.username.toLowerCase(),
        userId: input.userId,
        passwordHash: await hashPassword(input.password),
        updatedAt: new Date(),
      });
    },
  };
  return service;
}
