#!/usr/bin/env node
// The `passport` command. Inside the monorepo it runs the TypeScript sources directly (Node >= 22.18 strips
// types), resolving the @passport/* packages to their sources through the `@passport/source` condition.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  // An older node: use the repository's toolchain Node (scripts/toolchain.sh installs it) when there is one.
  const toolchainNode = fileURLToPath(
    new URL(`../../../.toolchain/node_modules/node-linux-${process.arch}/bin/node`, import.meta.url),
  );
  if (existsSync(toolchainNode)) {
    const result = spawnSync(toolchainNode, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
      stdio: 'inherit',
    });
    process.exit(result.status ?? 1);
  }
  process.stderr.write(
    `passport needs Node.js 22.18 or later (this is ${process.version}); in the repository, run \`source scripts/toolchain.sh\` first.\n`,
  );
  process.exit(1);
}

await import('./run-sources.js');
