// `npm start` at the repository root: starts the reference server on the TypeScript sources, no build step.
// Arguments after `--` go to the server (`npm start -- --port 4000 --no-demo`); see `npm start -- --help`.
// The server runs in this process, so Ctrl+C and SIGTERM reach it directly and its exit code is this one's.
import { registerHooks } from 'node:module';

// Resolve the @passport/* packages to their sources, as `node --conditions=@passport/source` would.
registerHooks({
  resolve(specifier, context, nextResolve) {
    return nextResolve(specifier, {
      ...context,
      conditions: [...(context.conditions ?? []), '@passport/source'],
    });
  },
});

await import('../examples/reference-server/src/main.ts');
