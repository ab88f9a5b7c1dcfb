/**
 * Roster store benchmark: a generated district (default 1M students, about 8M enrollments) imported with
 * `importPackage` (validation included) into the real PostgreSQL (a schema of its own, dropped after) and into
 * PGlite (a temp directory), then the API handler served over HTTP from the PostgreSQL copy and loaded with
 * wrk or autocannon (16 connections, from a child process; see load.ts) on five reads.
 * Targets (issue: roster store and the OneRoster REST API): import at least 100k rows/s on PostgreSQL; p99 under
 * 50 ms on every read; a deep page within 2x of page one (p99).
 *
 *   node --conditions=@passport/source bench/store.ts [--students 1000000] [--seconds 10] [--skip-pglite]
 *     [--import-only] [--load wrk|autocannon]
 *   `--import-only` times validation and the imports (with this process's CPU time per row and the load average)
 *   and skips the reads.
 *   PASSPORT_TEST_DATABASE_URL picks the server (default postgres://postgres@127.0.0.1:5432/test).
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { migrateOneRosterStore } from '../src/adapters/postgres/migrations.ts';
import { createPostgresRosterStore } from '../src/adapters/postgres/postgres-roster-store.ts';
import { createOneRosterHandler } from '../src/api/handler.ts';
import { oneRosterScopes } from '../src/auth/scopes.ts';
import { streamPackage } from '../src/csv/read.ts';
import { writeGeneratedDistrict } from '../src/generate/district.ts';
import { importPackage } from '../src/store/import-package.ts';
import type { RosterStore } from '../src/store/roster-store.ts';
import { calibrationNote } from './calibrate.ts';
import { type Load, load as loadWith, pickLoadGenerator } from './load.ts';
import { serve } from './serve.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const tenant = 'bench';
const baseUrl = 'http://bench.test/ims/oneroster/v1p1';
const importTarget = 100_000;
const p99Target = 50;

function argument(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? (process.argv[index + 1] ?? fallback) : fallback;
}

const students = Number(argument('students', '1000000'));
const seconds = Number(argument('seconds', '10'));
const skipPglite = process.argv.includes('--skip-pglite');
const importOnly = process.argv.includes('--import-only');
const databaseUrl = process.env.PASSPORT_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const verdict = (met: boolean) => (met ? 'MET' : 'MISSED');

const loadAverage = () =>
  loadavg()
    .map((value) => value.toFixed(1))
    .join(' ');

/** This process's CPU time (user + system, every thread) since `start`, in µs per row, and the load average. */
function cpuNote(start: NodeJS.CpuUsage, rows: number): string {
  const used = process.cpuUsage(start);
  return `; Node CPU ${((used.user + used.system) / rows).toFixed(1)} µs/row, load average ${loadAverage()}`;
}

async function districtDir(): Promise<string> {
  const dir = join(here, 'out', `district-${students}`);
  if (!existsSync(join(dir, 'manifest.csv'))) {
    console.log(`generating ${students} students into ${dir}`);
    await writeGeneratedDistrict({ students, seed: 'bench' }, dir, { format: 'dir' });
  }
  return dir;
}

/** Validation alone (the package streamed, nothing stored): the floor an import cannot go below. */
async function timedValidation(dir: string): Promise<void> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const stream = streamPackage(dir);
  for await (const _row of stream) {
    // Rows are read and dropped.
  }
  const report = await stream.report;
  const elapsed = (performance.now() - started) / 1000;
  const rows = Object.values(report.counts).reduce((sum, count) => sum + (count ?? 0), 0);
  console.log(
    `validation alone (the floor): ${rows} rows in ${elapsed.toFixed(1)} s = ${Math.round(rows / elapsed)} rows/s` +
      cpuNote(cpu, rows),
  );
}

/** The bench pool's connections are named so that their server processes can be found. */
const applicationName = `oneroster_bench_${process.pid}`;

/**
 * CPU time (user + system, seconds) of each server process serving the bench pool, read from /proc: only when the
 * server runs on this machine (an empty map otherwise). Work PostgreSQL does in other processes (WAL writer,
 * checkpointer, autovacuum) is not in it.
 */
async function serverCpu(pool: pg.Pool): Promise<Map<number, number>> {
  const times = new Map<number, number>();
  const { rows } = await pool.query<{ pid: number }>(
    'select pid from pg_stat_activity where application_name = $1',
    [applicationName],
  );
  for (const { pid } of rows) {
    try {
      const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]?.split(' ') ?? [];
      times.set(pid, (Number(fields[11]) + Number(fields[12])) / 100);
    } catch {
      // Not on this machine.
    }
  }
  return times;
}

async function timedImport(name: string, store: RosterStore, dir: string, pool?: pg.Pool): Promise<number> {
  const serverBefore = pool === undefined ? undefined : await serverCpu(pool);
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = await importPackage(store, tenant, dir, { confirm: true });
  const elapsed = (performance.now() - started) / 1000;
  if (result.status !== 'applied') throw new Error(`${name}: import ${result.status}`);
  const rows = Object.values(result.report.counts).reduce((sum, count) => sum + (count ?? 0), 0);
  const rate = rows / elapsed;
  const verdictText =
    name === 'PostgreSQL' ? ` target >= ${importTarget} rows/s: ${verdict(rate >= importTarget)}` : '';
  let serverNote = '';
  if (pool !== undefined && serverBefore !== undefined) {
    const serverAfter = await serverCpu(pool);
    let seconds = 0;
    for (const [pid, time] of serverAfter) seconds += time - (serverBefore.get(pid) ?? 0);
    if (serverAfter.size > 0)
      serverNote = `; PostgreSQL backend CPU ${((seconds * 1e6) / rows).toFixed(1)} µs/row`;
  }
  console.log(
    `import ${name}: ${rows} rows in ${elapsed.toFixed(1)} s = ${Math.round(rate)} rows/s${verdictText}` +
      cpuNote(cpu, rows) +
      serverNote,
  );
  return rate;
}

/** The load from a child process (wrk when installed, else autocannon; `--load` picks): see load.ts. */
const generator = pickLoadGenerator(argument('load', ''));
const load = (url: string, connections = 16, duration = seconds): Promise<Load> =>
  loadWith(generator, url, {}, connections, duration);

async function benchReads(store: RosterStore, setup: RosterStore): Promise<void> {
  const handler = createOneRosterHandler({
    store,
    auth: {
      async authenticate() {
        return { tenantId: tenant, clientId: 'bench', scopes: new Set(oneRosterScopes), method: 'oauth2' };
      },
    },
    baseUrl,
    maxLimit: 1000,
  });
  // Through a store that remembers nothing, so each read's first request below is a cold one.
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
    ['filter indexed (role)', `${path}/users?limit=${limit}&filter=${encodeURIComponent("role='teacher'")}`],
    [
      'filter unindexed (familyName)',
      `${path}/users?limit=${limit}&filter=${encodeURIComponent("familyName='Smith'")}`,
    ],
  ];
  const server = await serve(handler);
  const results = new Map<string, Load>();
  try {
    for (const [name, target] of reads) {
      // The first request counts the total (and, in sourcedId order, takes bookmarks); later ones reuse them
      // until an import or write changes the files read.
      const coldStarted = performance.now();
      const check = await fetch(`${server.url}${target}`);
      if (check.status !== 200) throw new Error(`${name}: HTTP ${check.status} ${await check.text()}`);
      await check.arrayBuffer();
      const cold = Math.round(performance.now() - coldStarted);
      const latency = await load(`${server.url}${target}`);
      results.set(name, latency);
      // One connection: what a request costs on its own, without 16 queueing for two cores.
      const alone = await load(`${server.url}${target}`, 1, Math.min(seconds, 3));
      console.log(
        `${name}: p50 ${latency.p50} ms, p99 ${latency.p99} ms, ${Math.round(latency.rps)} req/s` +
          `${latency.failed > 0 ? `, ${latency.failed} failed` : ''}; p99 < ${p99Target} ms: ${verdict(latency.p99 < p99Target && latency.failed === 0)}` +
          ` (1 connection: p50 ${alone.p50} ms, p99 ${alone.p99} ms; first request ${cold} ms)`,
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
}

async function main(): Promise<void> {
  const dir = await districtDir();
  console.log(
    `district: ${students} students, ${new Date().toISOString().slice(0, 10)}, load average ${loadAverage()} on ${availableParallelism()} cores`,
  );
  await timedValidation(dir);

  // Connections stay open (no idle timeout), so the import's server processes can be measured after it.
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: 20,
    idleTimeoutMillis: 0,
    application_name: applicationName,
  });
  const schema = `oneroster_bench_${randomBytes(4).toString('hex')}`;
  try {
    await migrateOneRosterStore(pool, { schema });
    const store = createPostgresRosterStore({ client: pool, schema });
    await timedImport('PostgreSQL', store, dir, pool);
    if (!importOnly)
      await benchReads(store, createPostgresRosterStore({ client: pool, schema, listCache: false }));
  } finally {
    await pool.query(`drop schema if exists "${schema}" cascade`);
    await pool.end();
  }

  if (!skipPglite) {
    const dataDir = await mkdtemp(join(tmpdir(), 'oneroster-bench-'));
    const client = new PGlite(dataDir);
    try {
      await migrateOneRosterStore(client, { schema: 'roster' });
      await timedImport('PGlite', createPostgresRosterStore({ client, schema: 'roster' }), dir);
    } finally {
      await client.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  }
}

console.log(calibrationNote('before'));
await main();
console.log(calibrationNote('after'));
