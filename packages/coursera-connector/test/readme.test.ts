import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const source = (path: string) => fileURLToPath(new URL(`../src/${path}`, import.meta.url));

describe('README', () => {
  it('the quick start runs as written (against the simulator, in a separate Node process)', async () => {
    const block = /## Quick start[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    const code = block!
      .replace("'@passport/coursera-connector/simulator'", JSON.stringify(source('simulator/index.ts')))
      .replace("'@passport/coursera-connector'", JSON.stringify(source('index.ts')));
    const folder = mkdtempSync(join(tmpdir(), 'passport-readme-'));
    try {
      const file = join(folder, 'quick-start.ts');
      writeFileSync(file, code);
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--conditions=@passport/source', file],
        {
          timeout: 20_000,
        },
      );
      expect(stdout).toMatch(/^4 results; next read starts at \d{4}-\d{2}-\d{2}T/m);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('points at the example connector and docs that exist', () => {
    expect(() =>
      readFileSync(new URL('./support/example-platform-connector.ts', import.meta.url)),
    ).not.toThrow();
    expect(() =>
      readFileSync(new URL('../../../docs/coursera/error-codes.md', import.meta.url)),
    ).not.toThrow();
  });
});
