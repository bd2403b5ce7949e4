/**
 * The Entra ID sign-in page the Power Apps control opens (AUTH_MODE=entra): `GET /auth/entra/popup`.
 *
 * The control carries no MSAL: it opens this page in a pop-up window
 * (`/auth/entra/popup?origin=<Dynamics org origin>`). The page runs MSAL (`@azure/msal-browser`)
 * on the relay's own origin with the panel's SPA app registration (ENTRA_CLIENT_ID), whose
 * redirect URI is this same page, gets an access token for `<ENTRA_AUDIENCE>/.default` and
 * hands it to the window that opened it with `postMessage({ type: 'wcp-token', token,
 * expiresOn }, origin)` — only when `origin` is one of CORS_ORIGINS. The browser delivers a
 * postMessage only to a window of exactly that origin, so another site that opens this page
 * gets nothing. The page script is `server/public/auth/entra-popup.js`.
 *
 * Assets: MSAL's own prebuilt browser bundles (`lib/msal-browser.min.js`, global `msal`, and
 * `lib/redirect-bridge/msal-redirect-bridge.min.js`), served as shipped from the installed
 * package — no build step, nothing generated in the repository, no bundler needed at run time.
 * Their URLs carry the MSAL version and ours a content hash, so browsers cache them for good.
 *
 * The page's configuration (tenant, client id, scope, allowed origins) is JSON in a data
 * attribute, HTML-escaped; the page has no inline script, and its CSP allows scripts from the
 * relay only and connections to Entra's sign-in host (ENTRA_AUTHORITY_HOST) only (no frames at all).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config.ts';

export const ENTRA_POPUP_PATH = '/auth/entra/popup';

/** The CSP of the page: its own scripts and styles, tokens only from Entra (ENTRA_AUTHORITY_HOST), no frames, forms or plugins. */
export function entraPopupCsp(config: Pick<Config, 'entraAuthorityHost'>): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    `connect-src ${new URL(config.entraAuthorityHost).origin}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export interface PopupAsset {
  /** File name under /auth/entra/. */
  name: string;
  contentType: string;
  body: Buffer;
}

export interface EntraPopupPage {
  html: string;
  assets: PopupAsset[];
}

/** What the page script reads from `data-config`. */
export interface EntraPopupConfig {
  tenantId: string;
  clientId: string;
  authority: string;
  scope: string;
  allowedOrigins: string[];
  /** Relative to the page. */
  msalScript: string;
  bridgeScript: string;
}

const PUBLIC_DIR = fileURLToPath(new URL('../../public/auth/', import.meta.url));

function msalFiles(): { version: string; browser: Buffer; bridge: Buffer } {
  const require = createRequire(import.meta.url);
  const dir = path.dirname(require.resolve('@azure/msal-browser/package.json'));
  const { version } = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string };
  return {
    version,
    browser: readFileSync(path.join(dir, 'lib', 'msal-browser.min.js')),
    bridge: readFileSync(path.join(dir, 'lib', 'redirect-bridge', 'msal-redirect-bridge.min.js')),
  };
}

function hashed(file: string, extension: string): { name: string; body: Buffer } {
  const body = readFileSync(path.join(PUBLIC_DIR, file));
  return { name: `popup.${createHash('sha256').update(body).digest('hex').slice(0, 12)}.${extension}`, body };
}

/** Text for a double-quoted HTML attribute. */
export function escapeAttribute(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function entraPopupConfig(config: Config, scripts: { msal: string; bridge: string }): EntraPopupConfig {
  if (config.authMode !== 'entra' || !config.entraTenantId || !config.entraAudience || !config.entraClientId) {
    throw new Error('The Entra sign-in page needs AUTH_MODE=entra with ENTRA_TENANT_ID, ENTRA_AUDIENCE and ENTRA_CLIENT_ID.');
  }
  return {
    tenantId: config.entraTenantId,
    clientId: config.entraClientId,
    authority: `${config.entraAuthorityHost}/${encodeURIComponent(config.entraTenantId)}`,
    // `.default`: the delegated permissions the admin consented to for the relay API (Agent.Access).
    scope: `${config.entraAudience.replace(/\/+$/, '')}/.default`,
    allowedOrigins: config.corsOrigins,
    msalScript: scripts.msal,
    bridgeScript: scripts.bridge,
  };
}

/** Builds the page and loads its assets once, when the routes are registered. */
export function buildEntraPopupPage(config: Config): EntraPopupPage {
  const msal = msalFiles();
  const js = hashed('entra-popup.js', 'js');
  const css = hashed('entra-popup.css', 'css');
  const msalName = `msal-browser.${msal.version}.min.js`;
  const bridgeName = `msal-redirect-bridge.${msal.version}.min.js`;
  const pageConfig = entraPopupConfig(config, { msal: msalName, bridge: bridgeName });
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in to the WhatsApp panel</title>
<link rel="stylesheet" href="${css.name}">
</head>
<body>
<main id="wcp-sign-in" data-config="${escapeAttribute(JSON.stringify(pageConfig))}">
<h1>WhatsApp panel</h1>
<p id="wcp-status" role="status">Signing in…</p>
<button id="wcp-sign-in-button" type="button" hidden>Sign in with Microsoft</button>
</main>
<script src="${js.name}"></script>
</body>
</html>
`;
  const script = 'text/javascript; charset=utf-8';
  return {
    html,
    assets: [
      { name: js.name, contentType: script, body: js.body },
      { name: css.name, contentType: 'text/css; charset=utf-8', body: css.body },
      { name: msalName, contentType: script, body: msal.browser },
      { name: bridgeName, contentType: script, body: msal.bridge },
    ],
  };
}
