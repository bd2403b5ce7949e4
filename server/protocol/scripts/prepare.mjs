// `prepare` (run by npm ci, npm install and npm prune): builds dist so the relay and the
// panel can import the package straight after an install. A production install pruned of
// devDependencies (`npm prune --omit=dev`, docs/deploy.md) has no TypeScript and needs none:
// `npm run build` made dist before the prune. Building is skipped there, not failed.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let tsc;
try {
  tsc = require.resolve('typescript/bin/tsc');
} catch {
  console.log('@wcp/protocol: TypeScript is not installed (a production install); dist is used as built.');
  process.exit(0);
}
const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
process.exit(result.status ?? 1);
