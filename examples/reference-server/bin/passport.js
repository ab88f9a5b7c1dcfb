#!/usr/bin/env node
// The `passport` command. Inside the monorepo it runs the TypeScript sources directly (Node >= 22.18 strips
// types), resolving the @passport/* packages to their sources through the `@passport/source` condition.
import { registerHooks } from 'node:module';

registerHooks({
  resolve(specifier, context, nextResolve) {
    const conditions = [...(context.conditions ?? []), '@passport/source'];
    return nextResolve(specifier, { ...context, conditions });
  },
});

const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
