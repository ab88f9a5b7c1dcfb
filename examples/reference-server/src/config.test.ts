import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, parsePort } from './config.ts';

function issuesOf(run: () => unknown): { variable: string; message: string }[] {
  try {
    run();
  } catch (error) {
    expect(error).toMatchObject({ code: 'SERVER_CONFIG_INVALID' });
    return (error as { detail: { issues: { variable: string; message: string }[] } }).detail.issues;
  }
  throw new Error('expected SERVER_CONFIG_INVALID');
}

describe('loadConfig', () => {
  it('defaults: 127.0.0.1:3000, ./.passport under the working directory, PGlite, info, demo on', () => {
    expect(loadConfig({ environment: {}, cwd: '/srv/app' })).toEqual({
      port: 3000,
      host: '127.0.0.1',
      dataDir: resolve('/srv/app', '.passport'),
      databaseUrl: undefined,
      logLevel: 'info',
      demo: true,
      trustedProxies: 0,
      credentialRecheckSeconds: 0,
    });
  });

  it('reads every variable, and treats empty ones as unset', () => {
    const config = loadConfig({
      environment: {
        PORT: '0',
        HOST: '0.0.0.0',
        PASSPORT_DATA_DIR: 'state',
        DATABASE_URL: 'postgresql://u:p@db:5432/passport',
        LOG_LEVEL: 'debug',
        PASSPORT_DEMO: 'false',
        PASSPORT_TRUSTED_PROXIES: '2',
        PASSPORT_CREDENTIAL_RECHECK_SECONDS: '30',
        PASSPORT_ALLOW_PRIVATE_OUTBOUND: 'true',
      },
      cwd: '/srv/app',
    });
    expect(config).toEqual({
      port: 0,
      host: '0.0.0.0',
      dataDir: resolve('/srv/app', 'state'),
      databaseUrl: 'postgresql://u:p@db:5432/passport',
      logLevel: 'debug',
      demo: false,
      trustedProxies: 2,
      credentialRecheckSeconds: 30,
      allowPrivateOutbound: true,
    });
    expect(loadConfig({ environment: { DATABASE_URL: '', PORT: '' } })).toMatchObject({
      databaseUrl: undefined,
      port: 3000,
    });
  });

  it('a bad PASSPORT_CREDENTIAL_RECHECK_SECONDS is reported naming the variable and the value', () => {
    for (const seconds of ['soon', '-1', '301', '2.5']) {
      const issues = issuesOf(() =>
        loadConfig({ environment: { PASSPORT_CREDENTIAL_RECHECK_SECONDS: seconds } }),
      );
      expect(issues).toEqual([
        {
          variable: 'PASSPORT_CREDENTIAL_RECHECK_SECONDS',
          message: expect.stringContaining('must be a whole number of seconds from 0 to 300'),
        },
      ]);
      expect(issues[0]?.message).toContain(JSON.stringify(seconds));
    }
    expect(
      loadConfig({ environment: { PASSPORT_CREDENTIAL_RECHECK_SECONDS: '300' } }).credentialRecheckSeconds,
    ).toBe(300);
  });

  it('a bad PASSPORT_TRUSTED_PROXIES is reported naming the variable and the value', () => {
    for (const count of ['yes', '-1', '11', '1.5']) {
      const issues = issuesOf(() => loadConfig({ environment: { PASSPORT_TRUSTED_PROXIES: count } }));
      expect(issues).toEqual([
        {
          variable: 'PASSPORT_TRUSTED_PROXIES',
          message: expect.stringContaining('must be a whole number of proxies from 0 to 10'),
        },
      ]);
      expect(issues[0]?.message).toContain(JSON.stringify(count));
    }
  });

  it('a bad PORT is reported naming PORT and the value', () => {
    for (const port of ['abc', '-1', '65536', '3000.5']) {
      const issues = issuesOf(() => loadConfig({ environment: { PORT: port } }));
      expect(issues).toEqual([
        { variable: 'PORT', message: expect.stringContaining(`PORT must be a whole number`) },
      ]);
      expect(issues[0]?.message).toContain(JSON.stringify(port));
    }
  });

  it('a bad DATABASE_URL is reported naming DATABASE_URL, without echoing it (it may hold a password)', () => {
    for (const url of ['mysql://u:secret@db/x', 'postgres:nothing', 'not a url']) {
      const issues = issuesOf(() => loadConfig({ environment: { DATABASE_URL: url } }));
      expect(issues).toEqual([
        { variable: 'DATABASE_URL', message: 'DATABASE_URL must be a postgres:// or postgresql:// URL' },
      ]);
    }
  });

  it('reports every bad variable at once', () => {
    const issues = issuesOf(() =>
      loadConfig({
        environment: { PORT: 'x', LOG_LEVEL: 'loud', PASSPORT_DEMO: 'maybe', DATABASE_URL: 'http://x' },
      }),
    );
    expect(issues.map((issue) => issue.variable).sort()).toEqual([
      'DATABASE_URL',
      'LOG_LEVEL',
      'PASSPORT_DEMO',
      'PORT',
    ]);
    expect(issues.find((issue) => issue.variable === 'LOG_LEVEL')?.message).toContain(
      'debug, info, warn, error',
    );
  });

  it('command-line overrides win, and an overridden bad variable is not an error', () => {
    const config = loadConfig({
      environment: { PORT: 'not-a-port', HOST: '10.0.0.1', PASSPORT_DEMO: 'true' },
      overrides: { port: 4000, dataDir: '/var/passport', demo: false },
      cwd: '/srv/app',
    });
    expect(config).toMatchObject({ port: 4000, host: '10.0.0.1', dataDir: '/var/passport', demo: false });
  });
});

describe('parsePort', () => {
  it('accepts 0 to 65535 and refuses anything else', () => {
    expect(parsePort('0')).toBe(0);
    expect(parsePort('65535')).toBe(65_535);
    expect(() => parsePort('65536')).toThrow('port must be a whole number from 0 to 65535');
    expect(() => parsePort('')).toThrow('port must be a whole number');
  });
});
