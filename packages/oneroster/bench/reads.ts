/**
 * API read benchmark on an already loaded district: the five reads of `store.ts` (issue: p99 under 50 ms at 16
 * connections; a deep page within 2x of page one), without timing an import. The district is imported once into a
 * schema that is kept (`oneroster_reads_<students>`) and reused by later runs; `--drop` removes it at the end.
 *
 * Each read is authenticated as a partner's is: a bearer token from the token endpoint, checked against the
 * PostgreSQL token and credential stores (`--auth none` skips authentication, as `store.ts` does). The load comes
 * from a child process, so the CPU this process uses is the server's alone; it is printed per request next to the
 * CPU of the PostgreSQL backends serving this process's pool, and the database round trips per request. The load
 * generator is wrk when it is installed (Debian's package; far lighter on the CPU the server needs), else
 * autocannon; `--load autocannon` picks autocannon (see load.ts).
 *
 *   node --conditions=@passport/source bench/reads.ts [--students 100000] [--seconds 10] [--connections 16]
 *     [--auth token|none] [--recheck <seconds>] [--only <read name part>] [--drop]
 *     [--load wrk|autocannon]
 *   PASSPORT_TEST_DATABASE_URL picks the server (default postgres://postgres@127.0.0.1:5432/test).
 */
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { migrateOneRosterStore } from '../src/adapters/postgres/migrations.ts';
import {
  createPostgresCredentialStore,
  createPostgresTokenStore,
} from '../src/adapters/postgres/postgres-auth-stores.ts';
import { createPostgresRosterStore } from '../src/adapters/postgres/postgres-roster-store.ts';
import { createOneRosterHandler } from '../src/api/handler.ts';
import { createAuthenticator } from '../src/auth/authenticator.ts';
import { issueCredential } from '../src/auth/issue-credential.ts';
import type { Authenticator } from '../src/auth/principal.ts';
import { oneRosterScopes } from '../src/auth/scopes.ts';
import { createTokenEndpoint } from '../src/auth/token-endpoint.ts';
import { writeGeneratedDistrict } from '../src/generate/district.ts';
import { importPackage } from '../src/store/import-package.ts';
import { calibrationNote } from './calibrate.ts';
import { type Load, load as loadWith, pickLoadGenerator } from './load.ts';
import { serve } from './serve.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const tenant = 'bench';
const p99Target = 50;

function argument(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? (process.argv[index + 1] ?? fallback) : fallback;
}

const students = Number(argument('students', '100000'));
const seconds = Number(argument('seconds', '10'));
const connections = Number(argument('connections', '16'));
const authMode = argument('auth', 'token');
const only = argument('only', '');
const drop = process.argv.includes('--drop');
/** The authenticator's `tokenCache.credentialRecheckSeconds` (default 0: the credential read on every request). */
const recheckSeconds = Number(argument('recheck', '0'));
const generator = pickLoadGenerator(argument('load', ''));
const load = (url: string, headers: Record<string, string>, count: number, duration: number) =>
  loadWith(generator, url, headers, count, duration);
const databaseUrl = process.env.PASSPORT_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const applicationName = `oneroster-reads-${process.pid}`;
const schema = `oneroster_reads_${students}`;

const verdict = (met: boolean) => (met ? 'MET' : 'MISSED');
const loadAverage = () =>
  loadavg()
    .map((value) => value.toFixed(1))
    .join(' ');

async function districtDir(): Promise<string> {
  const dir = join(here, 'out', `district-${students}`);
  if (!existsSync(join(dir, 'manifest.csv'))) {
    console.log(`generating ${students} students into ${dir}`);
    await writeGeneratedDistrict({ students, seed: 'bench' }, dir, { format: 'dir' });
  }
  return dir;
}

/** Counts the queries sent through the pool, so a run can print round trips per request. */
function countingClient(pool: pg.Pool): { client: pg.Pool; queries: () => number } {
  let queries = 0;
  const counted = new Proxy(pool, {
    get(target, property, receiver) {
      if (property === 'query') {
        return (...args: Parameters<pg.Pool['query']>) => {
          queries++;
          return (target.query as (...inner: unknown[]) => unknown).apply(target, args);
        };
      }
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { client: counted, queries: () => queries };
}

/** CPU (user + system, in clock ticks of 10 ms) of the PostgreSQL backends serving this process's connections. */
async function backendTicks(pool: pg.Pool): Promise<Map<number, number>> {
  const { rows } = await pool.query<{ pid: number }>(
    'select pid from pg_stat_activity where application_name = $1',
    [applicationName],
  );
  const ticks = new Map<number, number>();
  for (const { pid } of rows) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      ticks.set(pid, Number(fields[11]) + Number(fields[12]));
    } catch {
      // The backend ended.
    }
  }
  return ticks;
}

function ticksSince(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, ticks] of after) total += ticks - (before.get(pid) ?? 0);
  return total;
}

async function loaded(pool: pg.Pool, dir: string): Promise<void> {
  // A schema kept from an earlier run gets the migrations added since.
  const migrating = performance.now();
  const applied = await migrateOneRosterStore(pool, { schema });
  if (applied.length > 0) {
    console.log(
      `migrated ${schema}: ${applied.join(', ')} in ${((performance.now() - migrating) / 1000).toFixed(1)} s`,
    );
  }
  const { rows } = await pool.query<{ exists: boolean }>(
    'select exists (select 1 from pg_namespace where nspname = $1) as exists',
    [schema],
  );
  if (rows[0]?.exists === true) {
    const users = await pool.query<{ n: number }>(
      `select count(*)::int as n from "${schema}".oneroster_users where tenant_id = $1`,
      [tenant],
    );
    if ((users.rows[0]?.n ?? 0) > 0) return;
  }
  console.log(`importing ${dir} into schema ${schema} (kept for later runs)`);
  const started = performance.now();
  const result = await importPackage(createPostgresRosterStore({ client: pool, schema }), tenant, dir, {
    confirm: true,
  });
  if (result.status !== 'applied') throw new Error(`import ${result.status}`);
  const seconds = (performance.now() - started) / 1000;
  const inserted = Object.values(result.counts).reduce((sum, counts) => sum + (counts?.inserted ?? 0), 0);
  console.log(
    `imported ${inserted} rows in ${seconds.toFixed(1)} s = ${Math.round(inserted / seconds)} rows/s ` +
      `(load average ${loadAverage()})`,
  );
  await pool.query(`analyze`);
}

async function bearerToken(pool: pg.Pool): Promise<string> {
  const credentials = createPostgresCredentialStore({ client: pool, schema });
  const tokens = createPostgresTokenStore({ client: pool, schema });
  const issued = await issueCredential(
    { tenantId: tenant, scopes: ['roster.readonly'], name: 'reads bench' },
    { credentials },
  );
  const endpoint = createTokenEndpoint({ credentials, tokens });
  const response = await endpoint(
    new Request('http://bench.test/oauth/token', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${issued.clientId}:${issued.clientSecret}`).toString('base64')}`,
      },
      body: 'grant_type=client_credentials',
    }),
  );
  if (response.status !== 200) throw new Error(`token endpoint: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

async function main(): Promise<void> {
  const dir = await districtDir();
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 20, application_name: applicationName });
  try {
    await loaded(pool, dir);
    const { client, queries } = countingClient(pool);
    const auth: Authenticator =
      authMode === 'none'
        ? {
            async authenticate() {
              return {
                tenantId: tenant,
                clientId: 'bench',
                scopes: new Set(oneRosterScopes),
                method: 'oauth2',
              };
            },
          }
        : createAuthenticator({
            credentials: createPostgresCredentialStore({ client, schema }),
            tokens: createPostgresTokenStore({ client, schema }),
            tokenCache: { credentialRecheckSeconds: recheckSeconds },
          });
    const headers: Record<string, string> =
      authMode === 'none' ? {} : { authorization: `Bearer ${await bearerToken(pool)}` };
    const handler = createOneRosterHandler({
      store: createPostgresRosterStore({ client, schema }),
      auth,
      baseUrl: 'http://bench.test/ims/oneroster/v1p1',
      maxLimit: 1000,
    });
    const setup = createPostgresRosterStore({ client: pool, schema, listCache: false });
    const users = await setup.list(tenant, { file: 'users', limit: 1, offset: 0, includeDeleted: false });
    const classes = await setup.list(tenant, { file: 'classes', limit: 1, offset: 0, includeDeleted: false });
    const classId = classes.entities[0]?.sourcedId;
    if (classId === undefined) throw new Error('no class loaded');
    const limit = 100;
    const path = '/ims/oneroster/v1p1';
    const reads: [string, string][] = [
      ['/users page one', `${path}/users?limit=${limit}`],
      ['/users deep page', `${path}/users?limit=${limit}&offset=${Math.max(0, users.total - limit)}`],
      [
        '/classes/{id}/students',
        `${path}/classes/${encodeURIComponent(String(classId))}/students?limit=${limit}`,
      ],
      [
        'filter indexed (role)',
        `${path}/users?limit=${limit}&filter=${encodeURIComponent("role='teacher'")}`,
      ],
      [
        'filter unindexed (familyName)',
        `${path}/users?limit=${limit}&filter=${encodeURIComponent("familyName='Smith'")}`,
      ],
    ];
    console.log(
      `district: ${students} students (${users.total} users), auth ${authMode}` +
        `${authMode === 'token' ? ` (credential recheck ${recheckSeconds} s)` : ''}, ${connections} connections ` +
        `(${generator}), ` +
        `load average ${loadAverage()} on ${availableParallelism()} cores`,
    );
    const server = await serve(handler);
    const results = new Map<string, Load>();
    try {
      for (const [name, target] of reads) {
        if (only !== '' && !name.includes(only)) continue;
        const url = `${server.url}${target}`;
        const check = await fetch(url, { headers });
        if (check.status !== 200) throw new Error(`${name}: HTTP ${check.status} ${await check.text()}`);
        await check.arrayBuffer();
        // A short warm-up opens the pool's connections, so the backends measured below are all there.
        await load(url, headers, connections, 1);
        const cpu = process.cpuUsage();
        const ticks = await backendTicks(pool);
        const sent = queries();
        const result = await load(url, headers, connections, seconds);
        const used = process.cpuUsage(cpu);
        const backend = ticksSince(ticks, await backendTicks(pool)) * 10_000;
        const roundTrips = (queries() - sent) / Math.max(result.requests, 1);
        results.set(name, result);
        const alone = await load(url, headers, 1, Math.min(seconds, 3));
        console.log(
          `${name}: p50 ${result.p50} ms, p99 ${result.p99} ms, ${Math.round(result.rps)} req/s` +
            `${result.failed > 0 ? `, ${result.failed} failed` : ''}; p99 < ${p99Target} ms: ` +
            `${verdict(result.p99 < p99Target && result.failed === 0)}; per request: Node CPU ` +
            `${Math.round((used.user + used.system) / Math.max(result.requests, 1))} µs, PostgreSQL CPU ` +
            `${Math.round(backend / Math.max(result.requests, 1))} µs, ${roundTrips.toFixed(2)} queries` +
            ` (1 connection: p50 ${alone.p50} ms, p99 ${alone.p99} ms); load average ${loadAverage()}`,
        );
      }
    } finally {
      await server.close();
    }
    const first = results.get('/users page one');
    const deep = results.get('/users deep page');
    if (first !== undefined && deep !== undefined) {
      const ratio = deep.p99 / Math.max(first.p99, 1);
      console.log(`deep page p99 / page one p99 = ${ratio.toFixed(2)}; within 2x: ${verdict(ratio <= 2)}`);
    }
  } finally {
    if (drop) await pool.query(`drop schema if exists "${schema}" cascade`);
    await pool.end();
  }
}

console.log(calibrationNote('before'));
await main();
console.log(calibrationNote('after'));
