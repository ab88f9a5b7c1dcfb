import { existsSync, readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// One vitest project per package and example, all run by `npm test` at the root.
// Tests run on the TypeScript sources through the `@passport/source` export condition: no build needed.
const roots = ['packages', 'examples'].flatMap((dir) =>
  readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(`${dir}/${entry.name}/package.json`))
    .map((entry) => `${dir}/${entry.name}`),
);

export default defineConfig({
  test: {
    // Vitest's default (cores - 1) runs one file at a time on a 2-core machine; most files wait on sockets, child
    // processes, PostgreSQL and a browser rather than on the CPU, so two at a time take about 30% less wall time.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: roots.map((root) => ({
      resolve: { conditions: ['@passport/source'] },
      ssr: { resolve: { conditions: ['@passport/source'] } },
      test: {
        name: root.split('/')[1],
        root,
        include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
        testTimeout: 30_000,
        hookTimeout: 60_000,
      },
    })),
  },
});
