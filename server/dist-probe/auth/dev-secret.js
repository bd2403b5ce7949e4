/**
 * Dev mode without AUTH_SECRET: a random secret kept beside the SQLite database, so the
 * demo's tokens survive a relay restart and `npm run token` signs with the same key.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
export function devSecretPath(config) {
    const dbPath = config.databaseUrl.startsWith('sqlite:') ? config.databaseUrl.replace(/^sqlite:(\/\/)?/, '') : './data/relay.db';
    return resolve(dirname(dbPath === ':memory:' ? './data/relay.db' : dbPath), '.dev-auth-secret');
}
export function devSecret(config, opts) {
    if (config.authSecret)
        return config.authSecret;
    const file = devSecretPath(config);
    if (existsSync(file))
        return readFileSync(file, 'utf8').trim();
    if (!opts.create)
        return null;
    mkdirSync(dirname(file), { recursive: true });
    const secret = randomBytes(32).toString('base64url');
    writeFileSync(file, secret, { mode: 0o600 });
    return secret;
}
//# sourceMappingURL=dev-secret.js.map