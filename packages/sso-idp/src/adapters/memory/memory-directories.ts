import { districtChanged } from '../../errors.ts';
import type {
  AppRegistration,
  AppRegistry,
  District,
  DistrictGrant,
  DistrictRegistry,
  RosterDirectory,
  RosterMatchAttribute,
  RosterUser,
} from '../../ports.ts';

/** Apps and district grants in memory. */
export class MemoryAppRegistry implements AppRegistry {
  readonly #apps = new Map<string, AppRegistration>();
  readonly #grants = new Map<string, DistrictGrant>();

  async getApp(appId: string) {
    return this.#apps.get(appId);
  }

  async findAppByClientId(clientId: string) {
    for (const app of this.#apps.values()) if (app.oidc?.clientId === clientId) return app;
    return undefined;
  }

  async findAppBySamlEntityId(entityId: string) {
    for (const app of this.#apps.values()) if (app.saml?.entityId === entityId) return app;
    return undefined;
  }

  async listApps() {
    return [...this.#apps.values()].sort((left, right) => left.name.localeCompare(right.name));
  }

  async saveApp(app: AppRegistration) {
    this.#apps.set(app.appId, structuredClone(app));
  }

  async removeApp(appId: string) {
    return this.#apps.delete(appId);
  }

  async getGrant(districtId: string, appId: string) {
    return this.#grants.get(`${districtId}\u0000${appId}`);
  }

  async listGrants(districtId: string) {
    return [...this.#grants.values()].filter((grant) => grant.districtId === districtId);
  }

  async saveGrant(grant: DistrictGrant) {
    this.#grants.set(`${grant.districtId}\u0000${grant.appId}`, structuredClone(grant));
  }

  async removeGrant(districtId: string, appId: string) {
    return this.#grants.delete(`${districtId}\u0000${appId}`);
  }
}

export class MemoryDistrictRegistry implements DistrictRegistry {
  readonly #districts = new Map<string, District>();

  async getDistrict(districtId: string) {
    return this.#districts.get(districtId);
  }

  async listDistricts() {
    return [...this.#districts.values()].sort((left, right) => left.name.localeCompare(right.name));
  }

  async saveDistrict(district: District) {
    const stored = this.#districts.get(district.districtId)?.revision;
    if (district.revision !== undefined && stored !== undefined && district.revision !== stored) {
      throw districtChanged(district.districtId);
    }
    this.#districts.set(district.districtId, { ...structuredClone(district), revision: (stored ?? 0) + 1 });
  }
}

/**
 * A roster in memory: the users sign-on needs, as a test or a single-process deployment loads them. A deployment
 * backed by `@passport/oneroster` implements `RosterDirectory` over its roster store instead.
 */
export class MemoryRosterDirectory implements RosterDirectory {
  readonly #users = new Map<string, RosterUser>();

  constructor(users: readonly RosterUser[] = []) {
    for (const user of users) this.save(user);
  }

  save(user: RosterUser): void {
    this.#users.set(user.userId, structuredClone(user));
  }

  remove(userId: string): boolean {
    return this.#users.delete(userId);
  }

  async findUser(userId: string) {
    return this.#users.get(userId);
  }

  async findUsersBy(districtId: string, attribute: RosterMatchAttribute, value: string) {
    const wanted = attribute === 'email' ? value.toLowerCase() : value;
    return [...this.#users.values()].filter((user) => {
      if (user.districtId !== districtId) return false;
      const actual = user[attribute];
      if (actual === undefined) return false;
      return (attribute === 'email' ? actual.toLowerCase() : actual) === wanted;
    });
  }
}
