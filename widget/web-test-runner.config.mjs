// Component tests run in Debian's Chromium; the relay is faked with msw's service worker,
// served from the msw package itself so the worker always matches the library version.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { a11ySnapshotPlugin } from '@web/test-runner-commands/plugins';

const require = createRequire(import.meta.url);

/**
 * `executeServerCommand('forced-colors', { active })`: Windows high contrast, emulated through
 * the DevTools protocol (the commands package's emulateMedia passes forcedColors to Playwright
 * only). The session stays open: Chromium drops its emulation when it detaches.
 */
function forcedColorsPlugin() {
  const sessions = new Map();
  return {
    name: 'forced-colors',
    async executeCommand({ command, payload, session }) {
      if (command !== 'forced-colors') return undefined;
      const page = session.browser.getPage(session.id);
      if (!sessions.has(session.id)) sessions.set(session.id, await page.createCDPSession());
      await sessions.get(session.id).send('Emulation.setEmulatedMedia', {
        features: [{ name: 'forced-colors', value: payload?.active ? 'active' : 'none' }],
      });
      return true;
    },
  };
}
const mswWorker = readFileSync(require.resolve('msw/mockServiceWorker.js'));

export default {
  rootDir: '..',
  files: ['src/**/*.test.ts'],
  nodeResolve: true,
  concurrency: 1,
  testFramework: { config: { timeout: 10000 } },
  plugins: [esbuildPlugin({ ts: true, target: 'es2021', tsconfig: new URL('./tsconfig.json', import.meta.url).pathname }), forcedColorsPlugin(),
    // a11ySnapshot(): the accessibility tree as Chromium gives it to a screen reader (names as spoken).
    a11ySnapshotPlugin()],
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
