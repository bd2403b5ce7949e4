// Component tests run in Debian's Chromium; the relay is faked with msw's service worker,
// served from the msw package itself so the worker always matches the library version.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { build } from 'esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';

const require = createRequire(import.meta.url);
const mswWorker = readFileSync(require.resolve('msw/mockServiceWorker.js'));
const rootDir = fileURLToPath(new URL('..', import.meta.url));

/**
 * The browser cannot load CommonJS; the production build (esbuild) converts it, so the test
 * server does the same for the few CommonJS packages the widget uses (`sentiment`): their
 * entry file is served as one esbuild-bundled ES module with a default export.
 */
function bundleCommonJs(packages) {
  const entries = new Map(
    packages.map((name) => {
      const file = require.resolve(name);
      return ['/' + relative(rootDir, file).split(sep).join('/'), file];
    }),
  );
  return {
    name: 'bundle-commonjs',
    async serve(context) {
      const file = entries.get(context.path);
      if (!file) return undefined;
      const result = await build({ entryPoints: [file], bundle: true, format: 'esm', platform: 'browser', write: false, logLevel: 'error' });
      return { body: result.outputFiles[0].text, type: 'js' };
    },
  };
}

export default {
  rootDir: '..',
  files: ['src/**/*.test.ts'],
  nodeResolve: true,
  concurrency: 1,
  testFramework: { config: { timeout: 10000 } },
  plugins: [bundleCommonJs(['sentiment']), esbuildPlugin({ ts: true, target: 'es2021', tsconfig: new URL('./tsconfig.json', import.meta.url).pathname })],
  middleware: [
    function serveMswWorker(context, next) {
      if (context.path === '/mockServiceWorker.js') {
        context.type = 'application/javascript';
        context.body = mswWorker;
        return undefined;
      }
      return next();
    },
  ],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
      },
    }),
  ],
};
