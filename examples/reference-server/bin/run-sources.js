// Runs the CLI from the TypeScript sources, the @passport/* packages resolved through `@passport/source`.
import { registerHooks } from 'node:module';

registerHooks({
  resolve(specifier, context, nextResolve) {
    const conditions = [...(context.conditions ?? []), '@passport/source'];
    return nextResolve(specifier, { ...context, conditions });
  },
});

const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
