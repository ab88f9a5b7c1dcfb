import type {
  AccessTokenStore,
  CachedAccessToken,
  ContextMember,
  ContextRecord,
  Deployment,
  Gradebook,
  KeyStore,
  LineItemRecord,
  LoginState,
  LoginStateStore,
  MembershipSource,
  PendingLaunch,
  PendingLaunchStore,
  PlatformRegistration,
  PlatformRegistry,
  ReplayGuard,
  ScoreRecord,
  StoredKey,
  ToolRegistration,
  ToolRegistry,
} from '../../ports.ts';

/** In-memory adapters of every port: for tests and single-process use. Data is lost on restart. */

const registrationKey = (issuer: string, clientId: string) => JSON.stringify([issuer, clientId]);
const deploymentKey = (issuer: string, clientId: string, deploymentId: string) =>
  JSON.stringify([issuer, clientId, deploymentId]);

export class MemoryPlatformRegistry implements PlatformRegistry {
  readonly #registrations = new Map<string, PlatformRegistration>();
  readonly #deployments = new Map<string, Deployment>();

  async getRegistration(issuer: string, clientId: string) {
    return this.#registrations.get(registrationKey(issuer, clientId));
  }

  async listRegistrations(filter: { issuer?: string } = {}) {
    return [...this.#registrations.values()].filter(
      (registration) => filter.issuer === undefined || registration.issuer === filter.issuer,
    );
  }

  async saveRegistration(registration: PlatformRegistration) {
    this.#registrations.set(registrationKey(registration.issuer, registration.clientId), { ...registration });
  }

  async removeRegistration(issuer: string, clientId: string) {
    for (const [key, deployment] of this.#deployments) {
      if (deployment.issuer === issuer && deployment.clientId === clientId) this.#deployments.delete(key);
    }
    return this.#registrations.delete(registrationKey(issuer, clientId));
  }

  async getDeployment(issuer: string, clientId: string, deploymentId: string) {
    return this.#deployments.get(deploymentKey(issuer, clientId, deploymentId));
  }

  async listDeployments(issuer: string, clientId: string) {
    return [...this.#deployments.values()].filter(
      (deployment) => deployment.issuer === issuer && deployment.clientId === clientId,
    );
  }

  async saveDeployment(deployment: Deployment) {
    this.#deployments.set(deploymentKey(deployment.issuer, deployment.clientId, deployment.deploymentId), {
      ...deployment,
    });
  }

  async removeDeployment(issuer: string, clientId: string, deploymentId: string) {
    return this.#deployments.delete(deploymentKey(issuer, clientId, deploymentId));
  }
}

export class MemoryLoginStateStore implements LoginStateStore {
  readonly #byState = new Map<string, LoginState>();
  readonly #stateByNonce = new Map<string, string>();

  async save(login: LoginState) {
    this.#byState.set(login.state, { ...login });
    this.#stateByNonce.set(login.nonce, login.state);
  }

  async get(state: string) {
    return this.#byState.get(state);
  }

  async getByNonce(nonce: string) {
    const state = this.#stateByNonce.get(nonce);
    return state === undefined ? undefined : this.#byState.get(state);
  }

  async markUsed(state: string, at: Date) {
    const login = this.#byState.get(state);
    if (login === undefined || login.usedAt !== undefined) return false;
    this.#byState.set(state, { ...login, usedAt: at });
    return true;
  }

  async deleteExpired(before: Date) {
    let count = 0;
    for (const [state, login] of this.#byState) {
      if (login.expiresAt.getTime() < before.getTime()) {
        this.#byState.delete(state);
        this.#stateByNonce.delete(login.nonce);
        count++;
      }
    }
    return count;
  }
}

export class MemoryKeyStore implements KeyStore {
  readonly #keys = new Map<string, StoredKey>();

  async list() {
    return [...this.#keys.values()].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  }

  async save(key: StoredKey) {
    this.#keys.set(key.kid, { ...key });
  }

  async remove(kid: string) {
    return this.#keys.delete(kid);
  }
}

export class MemoryAccessTokenStore implements AccessTokenStore {
  readonly #tokens = new Map<string, CachedAccessToken>();

  async get(key: string) {
    return this.#tokens.get(key);
  }

  async set(key: string, token: CachedAccessToken) {
    this.#tokens.set(key, token);
  }

  async delete(key: string) {
    this.#tokens.delete(key);
  }
}

export class MemoryToolRegistry implements ToolRegistry {
  readonly #tools = new Map<string, ToolRegistration>();

  async getTool(clientId: string) {
    return this.#tools.get(clientId);
  }

  async listTools() {
    return [...this.#tools.values()];
  }

  async saveTool(tool: ToolRegistration) {
    this.#tools.set(tool.clientId, { ...tool });
  }

  async removeTool(clientId: string) {
    return this.#tools.delete(clientId);
  }
}

export class MemoryPendingLaunchStore implements PendingLaunchStore {
  readonly #launches = new Map<string, PendingLaunch>();

  async save(launch: PendingLaunch) {
    this.#launches.set(launch.id, launch);
  }

  async take(id: string) {
    const launch = this.#launches.get(id);
    this.#launches.delete(id);
    return launch;
  }
}

export class MemoryReplayGuard implements ReplayGuard {
  readonly #seen = new Map<string, number>();
  readonly #now: () => Date;

  constructor(now: () => Date = () => new Date()) {
    this.#now = now;
  }

  async use(key: string, expiresAt: Date) {
    const now = this.#now().getTime();
    const previous = this.#seen.get(key);
    if (previous !== undefined && previous > now) return false;
    this.#seen.set(key, expiresAt.getTime());
    if (this.#seen.size > 10_000) {
      for (const [seenKey, expiry] of this.#seen) if (expiry <= now) this.#seen.delete(seenKey);
    }
    return true;
  }
}

export class MemoryGradebook implements Gradebook {
  readonly #lineItems = new Map<string, LineItemRecord>();
  readonly #scores = new Map<string, Map<string, ScoreRecord>>();

  async listLineItems(contextId: string) {
    return [...this.#lineItems.values()].filter((lineItem) => lineItem.contextId === contextId);
  }

  async getLineItem(contextId: string, id: string) {
    const lineItem = this.#lineItems.get(id);
    return lineItem?.contextId === contextId ? lineItem : undefined;
  }

  async saveLineItem(lineItem: LineItemRecord) {
    this.#lineItems.set(lineItem.id, { ...lineItem });
  }

  async removeLineItem(contextId: string, id: string) {
    if (this.#lineItems.get(id)?.contextId !== contextId) return false;
    this.#scores.delete(id);
    return this.#lineItems.delete(id);
  }

  async listScores(lineItemId: string) {
    return [...(this.#scores.get(lineItemId)?.values() ?? [])];
  }

  async getScore(lineItemId: string, userId: string) {
    return this.#scores.get(lineItemId)?.get(userId);
  }

  async saveScore(score: ScoreRecord) {
    let scores = this.#scores.get(score.lineItemId);
    if (scores === undefined) {
      scores = new Map();
      this.#scores.set(score.lineItemId, scores);
    }
    scores.set(score.userId, { ...score });
  }
}

/** A fixed roster: contexts and their members, set by the caller. */
export class MemoryMembershipSource implements MembershipSource {
  readonly #contexts = new Map<string, { context: ContextRecord; members: ContextMember[] }>();

  setContext(context: ContextRecord, members: readonly ContextMember[]) {
    this.#contexts.set(context.id, { context, members: [...members] });
  }

  async getContext(contextId: string) {
    return this.#contexts.get(contextId)?.context;
  }

  async listMembers(contextId: string) {
    return [...(this.#contexts.get(contextId)?.members ?? [])];
  }
}
