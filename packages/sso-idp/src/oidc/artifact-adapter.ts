import type { Clock } from '@passport/core';
import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { AppRegistration, AppRegistry, OidcArtifactStore } from '../ports.ts';

/**
 * oidc-provider's storage adapter, backed by Passport's ports: its models (sessions, interactions, grants, codes,
 * tokens) go to the `OidcArtifactStore`; `Client` lookups read the app registry, so a registered app can sign in
 * at once and nothing is registered dynamically.
 */
export function createAdapterFactory(options: {
  store: OidcArtifactStore;
  apps: AppRegistry;
  clock: Clock;
  clientMetadata: (app: AppRegistration) => AdapterPayload;
}): (model: string) => Adapter {
  return (model) => (model === 'Client' ? clientAdapter(options) : new ArtifactAdapter(model, options));
}

function clientAdapter(options: {
  apps: AppRegistry;
  clientMetadata: (app: AppRegistration) => AdapterPayload;
}): Adapter {
  const none = async () => undefined;
  return {
    async find(clientId) {
      const app = await options.apps.findAppByClientId(clientId);
      return app?.oidc === undefined ? undefined : options.clientMetadata(app);
    },
    findByUid: none,
    findByUserCode: none,
    upsert: async () => {},
    consume: async () => {},
    destroy: async () => {},
    revokeByGrantId: async () => {},
  };
}

class ArtifactAdapter implements Adapter {
  readonly #model: string;
  readonly #store: OidcArtifactStore;
  readonly #clock: Clock;

  constructor(model: string, options: { store: OidcArtifactStore; clock: Clock }) {
    this.#model = model;
    this.#store = options.store;
    this.#clock = options.clock;
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn: number | undefined) {
    const now = this.#clock.now().getTime();
    await this.#store.upsert({
      model: this.#model,
      id,
      payload,
      ...(typeof expiresIn === 'number' ? { expiresAt: new Date(now + expiresIn * 1000) } : {}),
      ...(typeof payload.grantId === 'string' ? { grantId: payload.grantId } : {}),
      ...(typeof payload.uid === 'string' ? { uid: payload.uid } : {}),
      ...(typeof payload.userCode === 'string' ? { userCode: payload.userCode } : {}),
    });
  }

  async find(id: string) {
    return (await this.#store.find(this.#model, id, this.#clock.now()))?.payload as
      | AdapterPayload
      | undefined;
  }

  async findByUid(uid: string) {
    return (await this.#store.findByUid(this.#model, uid, this.#clock.now()))?.payload as
      | AdapterPayload
      | undefined;
  }

  async findByUserCode(userCode: string) {
    return (await this.#store.findByUserCode(this.#model, userCode, this.#clock.now()))?.payload as
      | AdapterPayload
      | undefined;
  }

  async consume(id: string) {
    await this.#store.consume(this.#model, id, this.#clock.now());
  }

  async destroy(id: string) {
    await this.#store.destroy(this.#model, id);
  }

  async revokeByGrantId(grantId: string) {
    await this.#store.revokeByGrantId(grantId);
  }
}
