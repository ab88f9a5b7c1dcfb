/**
 * The benchmarks' HTTP load: `connections` keep-alive clients over loopback for `seconds`, from a child process so
 * the benchmark's own CPU figures are the server's alone. Two generators, as the issue allows:
 * - `wrk` (Debian's package, written in C): the default when it is on the PATH. It costs the machine far less CPU per
 *   request than autocannon, which on a 2-core machine otherwise takes CPU from the server it measures;
 * - `autocannon` (an npm dev dependency, always there): `--load autocannon`, or when wrk is missing.
 */
import { execFile, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';

export interface Load {
  p50: number;
  p99: number;
  rps: number;
  requests: number;
  failed: number;
}

export type LoadGenerator = 'wrk' | 'autocannon';

const run = promisify(execFile);
const autocannonBin = createRequire(import.meta.url).resolve('autocannon/autocannon.js');

/** The generator asked for (`--load wrk|autocannon`), else wrk when it runs here, else autocannon. */
export function pickLoadGenerator(asked: string | undefined): LoadGenerator {
  if (asked === 'wrk' || asked === 'autocannon') return asked;
  if (asked !== undefined && asked !== '') throw new Error(`--load must be wrk or autocannon, not ${asked}`);
  return spawnSync('wrk', ['--version']).error === undefined ? 'wrk' : 'autocannon';
}

/** A wrk duration figure (`812.00us`, `1.25ms`, `2.01s`) in milliseconds. */
export function wrkMilliseconds(text: string): number {
  const match = /^([\d.]+)(us|ms|s|m)$/.exec(text.trim());
  if (match === null) throw new Error(`wrk printed an unreadable duration: ${text}`);
  const value = Number(match[1]);
  const unit = match[2];
  return unit === 'us' ? value / 1000 : unit === 'ms' ? value : unit === 's' ? value * 1000 : value * 60_000;
}

/** Reads the figures of `wrk --latency` from its report. */
export function parseWrk(report: string): Load {
  const percentile = (name: string) => {
    const match = new RegExp(`^\\s*${name}%\\s+(\\S+)`, 'm').exec(report);
    if (match === null) throw new Error(`wrk printed no ${name}th percentile:\n${report}`);
    return wrkMilliseconds(match[1] as string);
  };
  const requests = /(\d+) requests in/.exec(report);
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(report);
  if (requests === null || rps === null) throw new Error(`wrk printed no request count:\n${report}`);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(report)?.[1] ?? 0);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(report);
  const socketErrors = socket === null ? 0 : socket.slice(1).reduce((sum, count) => sum + Number(count), 0);
  return {
    p50: percentile('50'),
    p99: percentile('99'),
    rps: Number(rps[1]),
    requests: Number(requests[1]),
    failed: non2xx + socketErrors,
  };
}

/** Runs the load and answers its latency percentiles (ms), requests per second and failed requests. */
export async function load(
  generator: LoadGenerator,
  url: string,
  headers: Record<string, string>,
  connections: number,
  seconds: number,
): Promise<Load> {
  if (generator === 'wrk') {
    const headerArgs = Object.entries(headers).flatMap(([name, value]) => ['-H', `${name}: ${value}`]);
    const { stdout } = await run(
      'wrk',
      ['-t', '1', '-c', String(connections), '-d', `${seconds}s`, '--latency', ...headerArgs, url],
      { maxBuffer: 16 * 1024 * 1024 },
    );
    return parseWrk(stdout);
  }
  const headerArgs = Object.entries(headers).flatMap(([name, value]) => ['-H', `${name}=${value}`]);
  const { stdout } = await run(
    process.execPath,
    [autocannonBin, '-c', String(connections), '-d', String(seconds), '-j', ...headerArgs, url],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  const result = JSON.parse(stdout) as {
    latency: { p50: number; p99: number };
    requests: { average: number; total: number };
    non2xx: number;
    errors: number;
  };
  return {
    p50: result.latency.p50,
    p99: result.latency.p99,
    rps: result.requests.average,
    requests: result.requests.total,
    failed: result.non2xx + result.errors,
  };
}
