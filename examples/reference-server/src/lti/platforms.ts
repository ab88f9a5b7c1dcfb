import type { PlatformRegistration } from '@passport/lti13';
import { PostgresPlatformRegistry } from '@passport/lti13/postgres';
import type { TransactionalSqlClient } from '../db/sql-client.ts';

/*
 * The LMS platforms the server's LTI tool trusts, as operators manage them (`passport lti platform ...`, later the
 * admin pages). A platform is keyed by issuer **and** client id (hosted Canvas and Blackboard share one issuer);
 * launches must also name one of its deployment ids.
 */

/** A registered platform with its deployments. */
export interface LtiPlatformEntry {
  readonly issuer: string;
  readonly clientId: string;
  readonly name?: string | undefined;
  readonly status: 'active' | 'pending';
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
  readonly jwksUri: string;
  readonly tokenAudience?: string | undefined;
  readonly deploymentIds: readonly string[];
}

/** What an operator gives to register a platform by hand (the values the LMS shows for the tool). */
export interface NewLtiPlatform {
  readonly issuer: string;
  readonly clientId: string;
  readonly name?: string | undefined;
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
  readonly jwksUri: string;
  /** The `aud` of client assertions when it is not the token endpoint (D2L Brightspace). */
  readonly tokenAudience?: string | undefined;
  /** At least one. */
  readonly deploymentIds: readonly string[];
}

export type AddPlatformResult =
  | { readonly outcome: 'added'; readonly platform: LtiPlatformEntry }
  /** Nothing changed: (issuer, client id) is already registered; `platform` is the registration kept. */
  | { readonly outcome: 'exists'; readonly platform: LtiPlatformEntry };

/** Registers a platform and its deployments in one transaction; refuses (issuer, client id) pairs already registered. */
export async function addPlatform(
  sql: TransactionalSqlClient,
  input: NewLtiPlatform,
): Promise<AddPlatformResult> {
  if (input.deploymentIds.length === 0) throw new TypeError('A platform needs at least one deployment id.');
  return await sql.transaction(async (transaction) => {
    const registry = new PostgresPlatformRegistry(transaction);
    const existing = await registry.getRegistration(input.issuer, input.clientId);
    if (existing !== undefined) {
      const deployments = await registry.listDeployments(existing.issuer, existing.clientId);
      return {
        outcome: 'exists',
        platform: toEntry(
          existing,
          deployments.map((deployment) => deployment.deploymentId),
        ),
      };
    }
    const registration: PlatformRegistration = {
      issuer: input.issuer,
      clientId: input.clientId,
      authorizationEndpoint: input.authorizationEndpoint,
      tokenEndpoint: input.tokenEndpoint,
      jwksUri: input.jwksUri,
      status: 'active',
      ...(input.name === undefined ? {} : { name: input.name }),
      ...(input.tokenAudience === undefined ? {} : { tokenAudience: input.tokenAudience }),
    };
    await registry.saveRegistration(registration);
    const deploymentIds = [...new Set(input.deploymentIds)];
    for (const deploymentId of deploymentIds) {
      await registry.saveDeployment({ issuer: input.issuer, clientId: input.clientId, deploymentId });
    }
    return { outcome: 'added', platform: toEntry(registration, deploymentIds) };
  });
}

/** Every registered platform with its deployments, by issuer then client id. */
export async function listPlatforms(sql: TransactionalSqlClient): Promise<LtiPlatformEntry[]> {
  const registry = new PostgresPlatformRegistry(sql);
  const registrations = await registry.listRegistrations();
  const entries = await Promise.all(
    registrations.map(async (registration) => {
      const deployments = await registry.listDeployments(registration.issuer, registration.clientId);
      return toEntry(registration, deployments.map((deployment) => deployment.deploymentId).sort());
    }),
  );
  return entries.sort(
    (left, right) => compare(left.issuer, right.issuer) || compare(left.clientId, right.clientId),
  );
}

type PlatformKey = { readonly issuer: string; readonly clientId: string };

/**
 * Runs `change` on one registered platform in a transaction and resolves the platform as `change` leaves it (with
 * the deployments it had), or undefined when it is not registered.
 */
async function changePlatform(
  sql: TransactionalSqlClient,
  key: PlatformKey,
  change: (
    registry: PostgresPlatformRegistry,
    existing: PlatformRegistration,
  ) => Promise<PlatformRegistration>,
): Promise<LtiPlatformEntry | undefined> {
  return await sql.transaction(async (transaction) => {
    const registry = new PostgresPlatformRegistry(transaction);
    const existing = await registry.getRegistration(key.issuer, key.clientId);
    if (existing === undefined) return undefined;
    const deployments = await registry.listDeployments(key.issuer, key.clientId);
    const changed = await change(registry, existing);
    return toEntry(changed, deployments.map((deployment) => deployment.deploymentId).sort());
  });
}

/** Removes a platform and its deployments; resolves what was removed, or undefined when it was not registered. */
export function removePlatform(
  sql: TransactionalSqlClient,
  key: PlatformKey,
): Promise<LtiPlatformEntry | undefined> {
  return changePlatform(sql, key, async (registry, existing) => {
    await registry.removeRegistration(key.issuer, key.clientId);
    return existing;
  });
}

/**
 * Marks a pending platform (one that registered itself through dynamic registration) active, so its launches are
 * accepted; resolves the platform, or undefined when it is not registered.
 */
export function activatePlatform(
  sql: TransactionalSqlClient,
  key: PlatformKey,
): Promise<LtiPlatformEntry | undefined> {
  return changePlatform(sql, key, async (registry, existing) => {
    const activated: PlatformRegistration = { ...existing, status: 'active' };
    await registry.saveRegistration(activated);
    return activated;
  });
}

/**
 * Adds a deployment id to a registered platform (Canvas's dynamic registration sends none: its first launch names
 * the deployment the LMS admin created). Resolves the platform with its deployments, or undefined when it is not
 * registered. Adding one it already has changes nothing.
 */
export async function addDeployment(
  sql: TransactionalSqlClient,
  key: PlatformKey,
  deploymentId: string,
): Promise<LtiPlatformEntry | undefined> {
  return await sql.transaction(async (transaction) => {
    const registry = new PostgresPlatformRegistry(transaction);
    const existing = await registry.getRegistration(key.issuer, key.clientId);
    if (existing === undefined) return undefined;
    if ((await registry.getDeployment(key.issuer, key.clientId, deploymentId)) === undefined) {
      await registry.saveDeployment({ issuer: key.issuer, clientId: key.clientId, deploymentId });
    }
    const deployments = await registry.listDeployments(key.issuer, key.clientId);
    return toEntry(existing, deployments.map((deployment) => deployment.deploymentId).sort());
  });
}

function toEntry(registration: PlatformRegistration, deploymentIds: readonly string[]): LtiPlatformEntry {
  return {
    issuer: registration.issuer,
    clientId: registration.clientId,
    ...(registration.name === undefined ? {} : { name: registration.name }),
    status: registration.status,
    authorizationEndpoint: registration.authorizationEndpoint,
    tokenEndpoint: registration.tokenEndpoint,
    jwksUri: registration.jwksUri,
    ...(registration.tokenAudience === undefined ? {} : { tokenAudience: registration.tokenAudience }),
    deploymentIds,
  };
}

/** Code point order, the same on every machine (no locale). */
function compare(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}
