import type { SqlClient } from '@passport/core';
import {
  ConnectorError,
  type ConsentStatus,
  type Course,
  type CourseraClient,
  createCourseraClient,
  createCourseraConnector,
  type GradableItem,
  type LearningPlatformConnector,
  type Program,
} from '@passport/coursera-connector';
import { createAesGcmSealing, createPostgresTokenStore } from '@passport/coursera-connector/postgres';
import { deriveKey } from '../secrets/sealing-key.ts';
import {
  type CourseraConnection,
  type CourseraConnectionInput,
  type CourseraConnectionStore,
  createCourseraConnectionStore,
} from './coursera-connections.ts';

/*
 * Learning platforms per district: each tenant connects its Coursera program access once (organization, OAuth
 * client, one-time admin consent), and everything else (the content picker's catalog, grade sync's results)
 * reads Coursera through that tenant's connector. Tokens are kept sealed in the connector's table, one key per
 * tenant, so any server process can use them.
 */

export interface LearningServiceOptions {
  database: { readonly sql: SqlClient };
  /** The server's sealing key (32 bytes); a key for Coursera secrets is derived from it. */
  sealingKey: Uint8Array;
  /** Outbound HTTP to Coursera; default the connector's (undici). */
  fetch?: typeof fetch;
}

/** What a console shows of a tenant's connection: never the secret. */
export interface CourseraConnectionSummary {
  readonly tenantId: string;
  readonly organizationId: string;
  readonly clientId: string;
  readonly apiUrl: string | undefined;
  readonly consent: ConsentStatus['state'];
  readonly message: string;
}

export interface LearningService {
  readonly connections: CourseraConnectionStore;
  /** Saves (or replaces) a tenant's Coursera connection; consent is given next, through `authorizationUrl`. */
  connect(input: CourseraConnectionInput): Promise<CourseraConnection>;
  /** Where to send the district's Coursera administrator for the one-time consent. */
  authorizationUrl(tenantId: string, state: string): Promise<URL>;
  /** Reads the consent callback (the redirect URI with its `code`) and stores the tokens. */
  completeAuthorization(tenantId: string, callbackUrl: string | URL, state: string): Promise<ConsentStatus>;
  /** Every connection with its consent state, for the console. */
  summaries(): Promise<CourseraConnectionSummary[]>;
  /** The tenant's connector; throws `CONNECTOR_CONSENT_REQUIRED` when the tenant has no Coursera connection. */
  connectorFor(tenantId: string): Promise<LearningPlatformConnector>;
  hasConnection(tenantId: string): Promise<boolean>;
  /** The catalog as the content picker walks it: programs → courses → gradable items. */
  programs(tenantId: string): Promise<Program[]>;
  courses(tenantId: string, programId: string): Promise<Course[]>;
  items(tenantId: string, courseId: string): Promise<GradableItem[]>;
}

const platform = 'coursera';

export function createLearningService(options: LearningServiceOptions): LearningService {
  const { sql } = options.database;
  const sealing = createAesGcmSealing(deriveKey(options.sealingKey, 'passport coursera secrets'));
  const connections = createCourseraConnectionStore(sql, sealing);
  const tokens = createPostgresTokenStore(sql, { sealing });
  const cache = new Map<
    string,
    { updatedAt: number; client: CourseraClient; connector: LearningPlatformConnector }
  >();

  const clientOf = async (tenantId: string) => {
    const connection = await connections.get(tenantId);
    if (connection === undefined) {
      throw new ConnectorError(
        'CONNECTOR_CONSENT_REQUIRED',
        `District ${tenantId} has not connected Coursera yet: a district admin connects it in the console.`,
      );
    }
    const cached = cache.get(tenantId);
    if (cached !== undefined && cached.updatedAt === connection.updatedAt.getTime()) return cached;
    const client = createCourseraClient({
      organizationId: connection.organizationId,
      clientId: connection.clientId,
      clientSecret: connection.clientSecret,
      redirectUri: connection.redirectUri,
      ...(connection.apiUrl === undefined ? {} : { apiUrl: connection.apiUrl }),
      ...(connection.accountsUrl === undefined ? {} : { accountsUrl: connection.accountsUrl }),
      ...(connection.handOff === undefined ? {} : { handOff: connection.handOff }),
      tokens,
      tokenKey: `${platform}:${tenantId}`,
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    });
    const entry = {
      updatedAt: connection.updatedAt.getTime(),
      client,
      connector: createCourseraConnector({ client }),
    };
    cache.set(tenantId, entry);
    return entry;
  };

  return {
    connections,
    async connect(input) {
      const saved = await connections.save(input);
      cache.delete(saved.tenantId);
      return saved;
    },
    async authorizationUrl(tenantId, state) {
      return (await clientOf(tenantId)).client.authorizationUrl(state);
    },
    async completeAuthorization(tenantId, callbackUrl, state) {
      return await (await clientOf(tenantId)).client.completeAuthorization(callbackUrl, state);
    },
    async summaries() {
      const all = await connections.list();
      return await Promise.all(
        all.map(async (connection) => {
          const status = await (await clientOf(connection.tenantId)).client.consentStatus();
          return {
            tenantId: connection.tenantId,
            organizationId: connection.organizationId,
            clientId: connection.clientId,
            apiUrl: connection.apiUrl,
            consent: status.state,
            message: status.message,
          };
        }),
      );
    },
    connectorFor: async (tenantId) => (await clientOf(tenantId)).connector,
    hasConnection: async (tenantId) => (await connections.get(tenantId)) !== undefined,
    programs: async (tenantId) => await (await clientOf(tenantId)).connector.catalog.listPrograms(),
    courses: async (tenantId, programId) =>
      await (await clientOf(tenantId)).connector.catalog.listCourses(programId),
    items: async (tenantId, courseId) =>
      await (await clientOf(tenantId)).connector.catalog.listItems(courseId),
  };
}
