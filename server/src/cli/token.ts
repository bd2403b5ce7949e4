/** `npm run token -- <agentId> "<Display Name>" [--supervisor]`: prints a dev (HS256) token. */
import { mintDevToken } from '../auth/tokens.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { devSecret } from '../auth/dev-secret.ts';
import { errorMessage } from '../domain/errors.ts';

const [agentId, name, flag] = process.argv.slice(2);
if (!agentId || !name) {
  process.stderr.write('usage: npm run token -- <agentId> "<Display Name>" [--supervisor]\n');
  process.exit(2);
}
try {
  const config = loadConfig();
  if (config.authMode !== 'dev') throw new ConfigError('AUTH_MODE', 'tokens can only be minted in dev mode');
  const secret = devSecret(config, { create: false });
  if (!secret) throw new ConfigError('AUTH_SECRET', 'is not set and the relay has not created its dev secret yet (start it once with npm start)');
  process.stdout.write(`${await mintDevToken(secret, { id: agentId, name, role: flag === '--supervisor' ? 'supervisor' : 'agent' })}\n`);
} catch (error) {
  process.stderr.write(`${errorMessage(error)}\n`);
  process.exit(2);
}
