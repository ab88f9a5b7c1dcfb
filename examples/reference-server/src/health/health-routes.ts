import type { DatabaseHandle } from '../db/open-database.ts';
import { jsonResponse } from '../http/json.ts';
import type { Router } from '../http/router.ts';
import type { Logger } from '../logger.ts';

export interface HealthOptions {
  database: Pick<DatabaseHandle, 'kind' | 'migrationVersion' | 'ping'>;
  logger: Logger;
  /** True once shutdown has begun: readiness then fails so load balancers stop sending traffic. */
  isDraining: () => boolean;
  /** How long a database check may take before it counts as failed; default 5 s. */
  checkTimeoutMs?: number;
}

export interface HealthBody {
  status: 'ok' | 'error';
  database: { kind: string; migration: string | null } | { kind: string; error: string };
}

export interface ReadinessBody {
  status: 'ready' | 'draining' | 'unavailable';
}

const noStore = { 'cache-control': 'no-store' };

/**
 * `GET /healthz`: 200 `{ status: 'ok', database: { kind, migration } }`, or 503 when the database does not answer.
 * `GET /readyz`: 200 `{ status: 'ready' }`; 503 `draining` during shutdown or `unavailable` without a database.
 */
export function registerHealthRoutes(router: Router, options: HealthOptions): void {
  const { database, logger } = options;
  const timeoutMs = options.checkTimeoutMs ?? 5_000;

  router.get('/healthz', async () => {
    try {
      const migration = await withTimeout(database.migrationVersion(), timeoutMs);
      const body: HealthBody = { status: 'ok', database: { kind: database.kind, migration } };
      return jsonResponse(body, { headers: noStore });
    } catch (error) {
      logger.warn('health check failed', { error });
      const body: HealthBody = {
        status: 'error',
        database: { kind: database.kind, error: 'database unavailable' },
      };
      return jsonResponse(body, { status: 503, headers: noStore });
    }
  });

  router.get('/readyz', async () => {
    if (options.isDraining()) return readiness('draining', 503);
    try {
      await withTimeout(database.ping(), timeoutMs);
      return readiness('ready', 200);
    } catch (error) {
      logger.warn('readiness check failed', { error });
      return readiness('unavailable', 503);
    }
  });
}

function readiness(status: ReadinessBody['status'], code: number): Response {
  const body: ReadinessBody = { status };
  return jsonResponse(body, { status: code, headers: noStore });
}

async function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
