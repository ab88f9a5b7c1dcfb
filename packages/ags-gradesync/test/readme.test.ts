import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('the quick start runs as written, in a separate Node process', async () => {
    const block = /## Quick start[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    const code = block!.replace(
      "'@passport/ags-gradesync'",
      JSON.stringify(fileURLToPath(new URL('../src/index.ts', import.meta.url))),
    );
    const folder = mkdtempSync(join(tmpdir(), 'passport-gradesync-readme-'));
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
      expect(stdout.trim()).toBe('1 1 0');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('links docs that exist', () => {
    for (const link of ['../../../docs/gradesync/design.md', '../../../docs/gradesync/error-codes.md'])
      expect(() => readFileSync(new URL(link, import.meta.url))).not.toThrow();
  });
});
