// The reference server's entry point: `npm start` (root), `npm start -w @passport/reference-server`, or
// `node --conditions=@passport/source src/main.ts [--port 4000 --no-demo ...]`. Same as `passport serve`.
import { main } from './cli/main.ts';

process.exitCode = await main(['serve', ...process.argv.slice(2)]);
