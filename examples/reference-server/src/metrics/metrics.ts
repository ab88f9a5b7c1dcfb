/**
 * Prometheus text exposition (version 0.0.4) of the server's own figures: HTTP requests by route family, method and
 * status class, their durations as a histogram, in-flight requests, and process figures. Route families keep the
 * label set small whatever the URLs (`/ims/oneroster/v1p1/users/123` counts under `oneroster`).
 */
const durationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const families: ReadonlyArray<[prefix: string, family: string]> = [
  ['/ims/oneroster/', 'oneroster'],
  ['/oauth/', 'oauth'],
  ['/lti/', 'lti'],
  ['/admin/', 'admin'],
  ['/healthz', 'health'],
  ['/readyz', 'health'],
  ['/metrics', 'metrics'],
];

export function routeFamily(path: string): string {
  for (const [prefix, family] of families) if (path === prefix || path.startsWith(prefix)) return family;
  return 'other';
}

export interface Metrics {
  /** Records one finished request. */
  observe(request: { method: string; path: string; status: number; seconds: number }): void;
  started(): void;
  finished(): void;
  /** The exposition text for `GET /metrics`. */
  render(extra?: { databaseKind?: string }): string;
}

export function createMetrics(options: { now?: () => number } = {}): Metrics {
  const now = options.now ?? (() => Date.now() / 1000);
  const startedAt = now();
  const counts = new Map<string, number>();
  const histograms = new Map<string, { buckets: number[]; sum: number; count: number }>();
  let inFlight = 0;

  return {
    observe({ method, path, status, seconds }) {
      const family = routeFamily(path);
      const countKey = `route="${family}",method="${method.toUpperCase()}",status="${Math.floor(status / 100)}xx"`;
      counts.set(countKey, (counts.get(countKey) ?? 0) + 1);
      const histogramKey = `route="${family}"`;
      let histogram = histograms.get(histogramKey);
      if (histogram === undefined) {
        histogram = { buckets: durationBuckets.map(() => 0), sum: 0, count: 0 };
        histograms.set(histogramKey, histogram);
      }
      durationBuckets.forEach((bound, index) => {
        if (seconds <= bound) histogram.buckets[index] = (histogram.buckets[index] ?? 0) + 1;
      });
      histogram.sum += seconds;
      histogram.count += 1;
    },
    started() {
      inFlight += 1;
    },
    finished() {
      inFlight -= 1;
    },
    render(extra = {}) {
      const lines: string[] = [];
      lines.push(
        '# HELP passport_http_requests_total HTTP requests answered, by route family, method and status class.',
      );
      lines.push('# TYPE passport_http_requests_total counter');
      for (const [labels, value] of [...counts].sort())
        lines.push(`passport_http_requests_total{${labels}} ${value}`);
      lines.push(
        '# HELP passport_http_request_duration_seconds Time to answer HTTP requests, by route family.',
      );
      lines.push('# TYPE passport_http_request_duration_seconds histogram');
      for (const [labels, histogram] of [...histograms].sort()) {
        durationBuckets.forEach((bound, index) => {
          lines.push(
            `passport_http_request_duration_seconds_bucket{${labels},le="${bound}"} ${histogram.buckets[index]}`,
          );
        });
        lines.push(`passport_http_request_duration_seconds_bucket{${labels},le="+Inf"} ${histogram.count}`);
        lines.push(`passport_http_request_duration_seconds_sum{${labels}} ${histogram.sum}`);
        lines.push(`passport_http_request_duration_seconds_count{${labels}} ${histogram.count}`);
      }
      lines.push('# HELP passport_http_requests_in_flight HTTP requests being answered now.');
      lines.push('# TYPE passport_http_requests_in_flight gauge');
      lines.push(`passport_http_requests_in_flight ${inFlight}`);
      lines.push('# HELP passport_process_uptime_seconds Seconds since the server started.');
      lines.push('# TYPE passport_process_uptime_seconds gauge');
      lines.push(`passport_process_uptime_seconds ${Math.max(0, now() - startedAt)}`);
      const memory = process.memoryUsage();
      lines.push('# HELP passport_process_resident_memory_bytes Resident memory of the server process.');
      lines.push('# TYPE passport_process_resident_memory_bytes gauge');
      lines.push(`passport_process_resident_memory_bytes ${memory.rss}`);
      if (extra.databaseKind !== undefined) {
        lines.push('# HELP passport_database_info The database the server runs on.');
        lines.push('# TYPE passport_database_info gauge');
        lines.push(`passport_database_info{kind="${extra.databaseKind}"} 1`);
      }
      return `${lines.join('\n')}\n`;
    },
  };
}
