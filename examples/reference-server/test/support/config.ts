import type { Config } from '../../src/config.ts';

/** A server configuration for tests: a free port on loopback, silent logs, no demo, then the overrides. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    port: 0,
    host: '127.0.0.1',
    dataDir: '/nonexistent',
    databaseUrl: undefined,
    logLevel: 'silent',
    demo: false,
    publicUrl: undefined,
    ...overrides,
  };
}
