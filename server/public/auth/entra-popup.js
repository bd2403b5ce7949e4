// The relay's Entra ID sign-in page for the WhatsApp panel (served at /auth/entra/popup when
// AUTH_MODE=entra; see server/src/auth/entra-popup.ts). Two roles, one URL:
//
// 1. Opened by the Power Apps control as `/auth/entra/popup?origin=<Dynamics org>`: tries the
//    agent's cached sign-in silently (refresh token, no iframe) and, failing that, shows a
//    "Sign in with Microsoft" button that opens Entra's sign-in in a second window (a click is
//    needed: browsers block windows opened without one). The token goes to the control with
//    `opener.postMessage({ type: 'wcp-token', token, expiresOn }, origin)` — only for an origin
//    in the relay's CORS_ORIGINS — and this window closes.
// 2. Entra's redirect back to this page in that second window (`#code=…&state=…`): MSAL's
//    redirect bridge passes the answer to window 1 over a same-origin BroadcastChannel.
//    (Entra's pages send Cross-Origin-Opener-Policy, which cuts a window that visited them off
//    from its opener; window 1 never leaves the relay, so its link to Dynamics survives.)
//
// No hidden iframe is used for silent renewal: browsers that block third-party cookies
// (Safari, Firefox, Chrome with tracking protection) break it. MSAL keeps its cache in this
// origin's localStorage (first party, top-level), encrypted by MSAL for the browser session,
// so renewal pop-ups answer from the refresh token and close at once.
'use strict';

(() => {
  const root = document.getElementById('wcp-sign-in');
  const statusLine = document.getElementById('wcp-status');
  const button = document.getElementById('wcp-sign-in-button');
  const config = JSON.parse(root.dataset.config);
  const show = (text) => {
    statusLine.textContent = text;
  };
  const messageOf = (error) => (error && error.message ? error.message : String(error));

  const load = (src) =>
    new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = src;
      script.onload = () => resolve();
      script.onerror = () => reject(new Error(`${src} could not be loaded from the relay.`));
      document.head.appendChild(script);
    });

  // Role 2: Entra's answer (MSAL asks for it in the fragment; query accepted as well).
  const hash = new URLSearchParams(window.location.hash.slice(1));
  const query = new URLSearchParams(window.location.search);
  const isAnswer = (params) => params.has('state') && (params.has('code') || params.has('error'));
  if (isAnswer(hash) || isAnswer(query)) {
    show('Finishing sign-in…');
    load(config.bridgeScript)
      .then(() => window.msalRedirectBridge.broadcastResponseToMainFrame())
      .catch((error) => show(`Sign-in failed: ${messageOf(error)}`));
    return;
  }

  // Role 1: opened by the panel.
  const origin = query.get('origin');
  if (!origin || !config.allowedOrigins.includes(origin)) {
    show(
      'This page signs agents in to the WhatsApp panel of an allowed Dynamics 365 organisation only ' +
        "(the relay's CORS_ORIGINS). Open the panel from your Dynamics form instead.",
    );
    return;
  }
  const opener = window.opener;
  if (!opener) {
    show('This window lost its link to Dynamics 365. Close it and sign in again from the WhatsApp panel.');
    return;
  }

  const deliver = (pca, result) => {
    if (result.account) pca.setActiveAccount(result.account);
    const expiresOn = result.expiresOn instanceof Date ? result.expiresOn.getTime() : 0;
    // targetOrigin = the allowed origin: the browser drops the message if the opener is anything else.
    opener.postMessage({ type: 'wcp-token', token: result.accessToken, expiresOn }, origin);
    show('Signed in. This window closes by itself.');
    button.hidden = true;
    setTimeout(() => window.close(), 100);
  };

  const start = async () => {
    await load(config.msalScript);
    const msal = window.msal;
    const pca = new msal.PublicClientApplication({
      auth: {
        clientId: config.clientId,
        authority: config.authority,
        // This very page (register <relay URL>/auth/entra/popup as the app's SPA redirect URI).
        redirectUri: `${window.location.origin}${window.location.pathname}`,
      },
      cache: { cacheLocation: 'localStorage' },
    });
    await pca.initialize();
    const scopes = [config.scope];
    const account = pca.getActiveAccount() || pca.getAllAccounts()[0];
    if (account) {
      try {
        // Cached token or refresh token only: never the hidden-iframe fallback (see above).
        deliver(pca, await pca.acquireTokenSilent({ scopes, account, cacheLookupPolicy: msal.CacheLookupPolicy.AccessTokenAndRefreshToken }));
        return;
      } catch {
        // Expired session, new consent or MFA needed: the agent signs in below.
      }
    }
    show('Sign in with your work account to use the WhatsApp panel.');
    button.hidden = false;
    button.addEventListener('click', () => {
      button.hidden = true;
      show('Continue in the Microsoft sign-in window…');
      // Called straight from the click, so the browser lets MSAL open its window.
      pca.acquireTokenPopup(account ? { scopes, account } : { scopes, prompt: 'select_account' }).then(
        (result) => deliver(pca, result),
        (error) => {
          show(`Sign-in did not complete (${messageOf(error)}). Try again, or close this window.`);
          button.hidden = false;
        },
      );
    });
    button.focus();
  };

  start().catch((error) => show(`Sign-in failed: ${messageOf(error)}`));
})();
