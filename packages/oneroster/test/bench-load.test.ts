import { describe, expect, it } from 'vitest';
import { parseWrk, pickLoadGenerator, wrkMilliseconds } from '../bench/load.ts';

// What `wrk -t 1 -c 4 -d 2s --latency` printed against a server answering 404.
const report = `Running 2s test @ http://127.0.0.1:8977/nothing
  1 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     6.61ms    4.32ms  41.34ms   86.74%
    Req/Sec   633.75    136.26   841.00     75.00%
  Latency Distribution
     50%  812.00us
     75%    7.81ms
     90%   11.00ms
     99%    1.02s
  1272 requests in 2.02s, 645.94KB read
  Socket errors: connect 0, read 2, write 0, timeout 3
  Non-2xx or 3xx responses: 1272
Requests/sec:    630.84
Transfer/sec:    320.35KB
`;

describe('the benchmarks’ wrk report reader', () => {
  it('reads the percentiles in milliseconds, the rate and every failed request', () => {
    expect(parseWrk(report)).toEqual({ p50: 0.812, p99: 1020, rps: 630.84, requests: 1272, failed: 1277 });
  });

  it('counts no failure when wrk prints none', () => {
    const clean = report
      .replace(/ {2}Socket errors:.*\n/, '')
      .replace(/ {2}Non-2xx or 3xx responses:.*\n/, '');
    expect(parseWrk(clean).failed).toBe(0);
  });

  it('refuses a report without its latency distribution (wrk run without --latency)', () => {
    expect(() => parseWrk(report.replace(/ {5}99%.*\n/, ''))).toThrow(/no 99th percentile/);
  });

  it('converts each duration unit and refuses an unknown one', () => {
    expect(wrkMilliseconds('250us')).toBe(0.25);
    expect(wrkMilliseconds('2.5ms')).toBe(2.5);
    expect(wrkMilliseconds('2s')).toBe(2000);
    expect(wrkMilliseconds('1.5m')).toBe(90_000);
    expect(() => wrkMilliseconds('3h')).toThrow(/unreadable duration/);
  });

  it('takes the generator asked for and refuses an unknown one', () => {
    expect(pickLoadGenerator('autocannon')).toBe('autocannon');
    expect(pickLoadGenerator('wrk')).toBe('wrk');
    expect(() => pickLoadGenerator('ab')).toThrow(/wrk or autocannon/);
  });
});
