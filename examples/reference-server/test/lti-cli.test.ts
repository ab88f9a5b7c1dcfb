import { PassportError } from '@passport/core';
import { PostgresPlatformRegistry } from '@passport/lti13/postgres';
import { Command, CommanderError } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliIo, createCliContext } from '../src/cli/context.ts';
import { exitCodes, UsageError } from '../src/cli/exit-codes.ts';
import { registerLtiCommands } from '../src/cli/lti.ts';
import { openDatabase } from '../src/db/open-database.ts';
import { migrateLtiStorage } from '../src/lti/lti-storage.ts';
import { makeTempDir } from './support/temp-dir.ts';

/**
 * Runs `passport <argv>` with only the LTI commands registered, configured as `main()` configures the program, and
 * maps failures to exit codes the same way (commander errors and UsageError 2, anything else 1).
 */
async function passport(argv: string[], dataDir: string) {
  let stdout = '';
  let stderr = '';
  let exitCode: number = exitCodes.ok;
  const io: CliIo = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    environment: { PASSPORT_DATA_DIR: dataDir },
    cwd: dataDir,
    waitForShutdownSignal: () => new Promise<string>(() => {}),
  };
  const context = createCliContext(io, '0.0.0', (code) => {
    exitCode = code;
  });
  const program = new Command('passport')
    .helpOption('-h, --help', 'show help for a command')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout.write, writeErr: io.stderr.write })
    .showHelpAfterError('(add --help for usage)');
  registerLtiCommands(program, context);
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) exitCode = error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
    else if (error instanceof UsageError) exitCode = exitCodes.usage;
    else {
      stderr += `passport: ${PassportError.is(error) ? error.message : `unexpected failure: ${String(error)}`}\n`;
      exitCode = exitCodes.failure;
    }
  }
  return { code: exitCode, stdout, stderr };
}

const moodle = {
  issuer: 'https://moodle.lincoln.example.edu',
  clientId: 'xK9mQ2',
  authUrl: 'https://moodle.lincoln.example.edu/mod/lti/auth.php',
  tokenUrl: 'https://moodle.lincoln.example.edu/mod/lti/token.php',
  jwksUrl: 'https://moodle.lincoln.example.edu/mod/lti/certs.php',
};
const addMoodle = (extra: string[] = []) => [
  'lti',
  'platform',
  'add',
  '--issuer',
  moodle.issuer,
  '--client-id',
  moodle.clientId,
  '--auth-url',
  moodle.authUrl,
  '--token-url',
  moodle.tokenUrl,
  '--jwks-url',
  moodle.jwksUrl,
  ...extra,
];
const canvas = (clientId: string) => [
  'lti',
  'platform',
  'add',
  '--issuer',
  'https://canvas.instructure.com',
  '--client-id',
  clientId,
  '--auth-url',
  'https://sso.canvaslms.com/api/lti/authorize_redirect',
  '--token-url',
  'https://sso.canvaslms.com/login/oauth2/token',
  '--jwks-url',
  'https://sso.canvaslms.com/api/lti/security/jwks',
];

let dataDir: string;
let removeDir: () => Promise<void>;
beforeAll(async () => {
  const dir = await makeTempDir();
  dataDir = dir.path;
  removeDir = dir.remove;
});
afterAll(async () => {
  await removeDir?.();
});

describe('passport lti platform', () => {
  it('--help works on the group and every command, each exiting 0', async () => {
    const commands = [
      ['lti'],
      ['lti', 'platform'],
      ...['add', 'list', 'remove', 'add-deployment'].map((name) => ['lti', 'platform', name]),
    ];
    for (const command of commands) {
      const result = await passport([...command, '--help'], dataDir);
      expect(result.code, command.join(' ')).toBe(0);
      expect(result.stdout).toContain(`Usage: passport ${command.join(' ')}`);
    }
    const add = await passport(['lti', 'platform', 'add', '--help'], dataDir);
    for (const flag of [
      '--issuer',
      '--client-id',
      '--auth-url',
      '--token-url',
      '--jwks-url',
      '--deployment-id',
      '--json',
    ])
      expect(add.stdout).toContain(flag);
  });

  it('usage errors exit 2 and say what is wrong, before touching the database', async () => {
    const cases: [string[], string][] = [
      [addMoodle(), "required option '--deployment-id <id>' not specified"],
      [
        addMoodle(['--deployment-id', '1']).map((arg) =>
          arg === moodle.authUrl ? 'ftp://moodle/auth' : arg,
        ),
        'must be an http or https URL (got "ftp://moodle/auth")',
      ],
      [
        addMoodle(['--deployment-id', '1']).map((arg) =>
          arg === moodle.issuer ? `${moodle.issuer}?tenant=1` : arg,
        ),
        'must be a URL without query or fragment',
      ],
      [addMoodle(['--deployment-id', '']), 'must not be empty'],
      [
        ['lti', 'platform', 'remove', '--issuer', moodle.issuer],
        "required option '--client-id <id>' not specified",
      ],
      [['lti', 'platform', 'list', '--bogus'], "unknown option '--bogus'"],
      [['lti', 'platform'], 'add'],
      [['lti'], 'platform'],
    ];
    for (const [argv, message] of cases) {
      const result = await passport(argv, dataDir);
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.stderr, argv.join(' ')).toContain(message);
      expect(result.stdout).toBe('');
    }
  });

  it('add, list and remove round-trip through the database; duplicates are refused and change nothing', {
    timeout: 120_000,
  }, async () => {
    const empty = await passport(['lti', 'platform', 'list'], dataDir);
    expect(empty).toMatchObject({ code: 0, stderr: '' });
    expect(empty.stdout).toMatch(/^No LTI platforms yet\. Add one with: passport lti platform add /);

    const added = await passport(addMoodle(['--deployment-id', '3', '--name', 'Moodle']), dataDir);
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(added.stdout).toBe(
      `Added platform ${moodle.issuer} (client id ${moodle.clientId}) with 1 deployment: 3\n` +
        'In the LMS, give the tool: login URL <server>/lti/login, redirect URI <server>/lti/launch, key set URL <server>/lti/jwks\n',
    );

    // Hosted Canvas: one issuer for every customer, so the same issuer comes back with another client id.
    const first = await passport(
      [...canvas('10000000000001'), '--deployment-id', 'a:1', '--deployment-id', 'b:2', '--json'],
      dataDir,
    );
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({
      issuer: 'https://canvas.instructure.com',
      clientId: '10000000000001',
      status: 'active',
      authorizationEndpoint: 'https://sso.canvaslms.com/api/lti/authorize_redirect',
      tokenEndpoint: 'https://sso.canvaslms.com/login/oauth2/token',
      jwksUri: 'https://sso.canvaslms.com/api/lti/security/jwks',
      deploymentIds: ['a:1', 'b:2'],
    });
    const second = await passport([...canvas('10000000000002'), '--deployment-id', 'c:3'], dataDir);
    expect(second.code).toBe(0);

    const duplicate = await passport(addMoodle(['--deployment-id', '4']), dataDir);
    expect(duplicate.code).toBe(1);
    expect(duplicate.stdout).toBe('');
    expect(duplicate.stderr).toContain(
      `platform ${moodle.issuer} with client id ${moodle.clientId} is already registered (deployments: 3); nothing changed.`,
    );
    expect(duplicate.stderr).toContain(
      `passport lti platform remove --issuer ${moodle.issuer} --client-id ${moodle.clientId}`,
    );

    const listed = await passport(['lti', 'platform', 'list', '--json'], dataDir);
    expect(listed.code).toBe(0);
    const platforms = JSON.parse(listed.stdout) as {
      issuer: string;
      clientId: string;
      deploymentIds: string[];
    }[];
    expect(platforms.map((each) => [each.issuer, each.clientId, each.deploymentIds])).toEqual([
      ['https://canvas.instructure.com', '10000000000001', ['a:1', 'b:2']],
      ['https://canvas.instructure.com', '10000000000002', ['c:3']],
      [moodle.issuer, moodle.clientId, ['3']], // the refused duplicate added no deployment 4
    ]);

    const table = await passport(['lti', 'platform', 'list'], dataDir);
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')).toEqual([
      expect.stringMatching(/^ISSUER\s+CLIENT ID\s+STATUS\s+DEPLOYMENTS\s+NAME$/),
      expect.stringMatching(/^https:\/\/canvas\.instructure\.com\s+10000000000001\s+active\s+a:1,b:2$/),
      expect.stringMatching(/^https:\/\/canvas\.instructure\.com\s+10000000000002\s+active\s+c:3$/),
      expect.stringMatching(/^https:\/\/moodle\.lincoln\.example\.edu\s+xK9mQ2\s+active\s+3\s+Moodle$/),
      '',
    ]);

    const removed = await passport(
      [
        'lti',
        'platform',
        'remove',
        '--issuer',
        'https://canvas.instructure.com',
        '--client-id',
        '10000000000001',
      ],
      dataDir,
    );
    expect(removed).toEqual({
      code: 0,
      stdout:
        'Removed platform https://canvas.instructure.com (client id 10000000000001) and 2 deployments\n',
      stderr: '',
    });
    const again = await passport(
      [
        'lti',
        'platform',
        'remove',
        '--issuer',
        'https://canvas.instructure.com',
        '--client-id',
        '10000000000001',
        '--json',
      ],
      dataDir,
    );
    expect(again.code).toBe(1);
    expect(again.stdout).toBe('');
    expect(again.stderr).toContain(
      'no platform https://canvas.instructure.com with client id 10000000000001 is registered',
    );

    const after = await passport(['lti', 'platform', 'list', '--json'], dataDir);
    expect((JSON.parse(after.stdout) as { clientId: string }[]).map((each) => each.clientId)).toEqual([
      '10000000000002',
      moodle.clientId,
    ]);

    // The deployments went with their platform: none is left behind for client id 10000000000001.
    const database = await openDatabase({ kind: 'pglite', dataDir });
    try {
      expect(await migrateLtiStorage(database)).toEqual([]); // already there: running it again changes nothing
      const { rows } = await database.sql.query<{ deployment_id: string }>(
        'SELECT deployment_id FROM lti_deployments ORDER BY deployment_id',
      );
      expect(rows.map((row) => row.deployment_id)).toEqual(['3', 'c:3']);
    } finally {
      await database.close();
    }
  });

  it('activate accepts a platform that registered itself and waits as pending, add-deployment gives it a deployment id; an unknown one exits 1', {
    timeout: 60_000,
  }, async () => {
    const dir = await makeTempDir();
    try {
      const database = await openDatabase({ kind: 'pglite', dataDir: dir.path });
      try {
        await database.migrate();
        await new PostgresPlatformRegistry(database.sql).saveRegistration({
          issuer: 'https://lms.self-registered.example',
          clientId: 'dyn-1',
          authorizationEndpoint: 'https://lms.self-registered.example/auth',
          tokenEndpoint: 'https://lms.self-registered.example/token',
          jwksUri: 'https://lms.self-registered.example/jwks',
          status: 'pending',
        });
      } finally {
        await database.close();
      }
      const before = JSON.parse((await passport(['lti', 'platform', 'list', '--json'], dir.path)).stdout);
      expect(before).toMatchObject([{ clientId: 'dyn-1', status: 'pending' }]);
      const key = ['--issuer', 'https://lms.self-registered.example', '--client-id', 'dyn-1'];
      const activated = await passport(['lti', 'platform', 'activate', ...key], dir.path);
      expect(activated.code).toBe(0);
      expect(activated.stdout).toContain('Activated platform https://lms.self-registered.example');
      const after = JSON.parse((await passport(['lti', 'platform', 'list', '--json'], dir.path)).stdout);
      expect(after).toMatchObject([{ clientId: 'dyn-1', status: 'active' }]);
      const unknown = await passport(
        ['lti', 'platform', 'activate', '--issuer', 'https://x.example', '--client-id', 'no'],
        dir.path,
      );
      expect(unknown.code).toBe(1);
      // Canvas registers itself without a deployment id; its admin's deployment is added by hand.
      const added = await passport(
        ['lti', 'platform', 'add-deployment', ...key, '--deployment-id', '42:canvas-deploy', '--json'],
        dir.path,
      );
      expect(added.code).toBe(0);
      expect(JSON.parse(added.stdout)).toMatchObject({
        clientId: 'dyn-1',
        deploymentIds: ['42:canvas-deploy'],
      });
      const again = await passport(
        ['lti', 'platform', 'add-deployment', ...key, '--deployment-id', '42:canvas-deploy', '--json'],
        dir.path,
      );
      expect(JSON.parse(again.stdout).deploymentIds).toEqual(['42:canvas-deploy']);
      const listed = JSON.parse((await passport(['lti', 'platform', 'list', '--json'], dir.path)).stdout);
      expect(listed).toMatchObject([{ clientId: 'dyn-1', deploymentIds: ['42:canvas-deploy'] }]);
      const nowhere = await passport(
        [
          'lti',
          'platform',
          'add-deployment',
          '--issuer',
          'https://x.example',
          '--client-id',
          'no',
          '--deployment-id',
          'd',
        ],
        dir.path,
      );
      expect(nowhere.code).toBe(1);
      expect(nowhere.stderr).toContain('no platform https://x.example with client id no is registered');
    } finally {
      await dir.remove();
    }
  });
});
