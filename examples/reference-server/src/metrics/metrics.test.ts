import { describe, expect, it } from 'vitest';
import { createMetrics, routeFamily } from './metrics.ts';

describe('metrics', () => {
  it('groups paths into a few route families, whatever the ids in them', () => {
    expect(routeFamily('/ims/oneroster/v1p1/users/abc')).toBe('oneroster');
    expect(routeFamily('/oauth/token')).toBe('oauth');
    expect(routeFamily('/lti/launch')).toBe('lti');
    expect(routeFamily('/healthz')).toBe('health');
    expect(routeFamily('/some/thing/else')).toBe('other');
  });

  it('counts requests by family, method and status class, with a cumulative duration histogram', () => {
    let clock = 100;
    const metrics = createMetrics({ now: () => clock });
    metrics.observe({ method: 'get', path: '/ims/oneroster/v1p1/users', status: 200, seconds: 0.02 });
    metrics.observe({ method: 'GET', path: '/ims/oneroster/v1p1/users/1', status: 404, seconds: 0.3 });
    metrics.observe({ method: 'POST', path: '/oauth/token', status: 401, seconds: 0.004 });
    clock = 142;
    const text = metrics.render({ databaseKind: 'pglite' });
    expect(text).toContain('passport_http_requests_total{route="oneroster",method="GET",status="2xx"} 1');
    expect(text).toContain('passport_http_requests_total{route="oneroster",method="GET",status="4xx"} 1');
    expect(text).toContain('passport_http_requests_total{route="oauth",method="POST",status="4xx"} 1');
    expect(text).toContain('passport_http_request_duration_seconds_bucket{route="oneroster",le="0.025"} 1');
    expect(text).toContain('passport_http_request_duration_seconds_bucket{route="oneroster",le="0.5"} 2');
    expect(text).toContain('passport_http_request_duration_seconds_bucket{route="oneroster",le="+Inf"} 2');
    expect(text).toContain('passport_http_request_duration_seconds_count{route="oneroster"} 2');
    expect(text).toContain('passport_process_uptime_seconds 42');
    expect(text).toContain('passport_database_info{kind="pglite"} 1');
  });

  it('tracks requests in flight', () => {
    const metrics = createMetrics();
    metrics.started();
    metrics.started();
    metrics.finished();
    expect(metrics.render()).toContain('passport_http_requests_in_flight 1');
  });
});
