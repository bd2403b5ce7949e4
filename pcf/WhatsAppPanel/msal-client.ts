/**
 * The real MSAL behind `MsalLike`. The redirect URI is the MSAL v5 redirect-bridge page that
 * `npm run package` writes (out/msal-redirect.html) and the admin uploads as the HTML web
 * resource `wcp_/auth/msal-redirect.html`: it is on the org's own origin, as MSAL requires.
 */
import { PublicClientApplication, type AccountInfo } from '@azure/msal-browser';
import type { MsalLike } from './relay-auth.ts';

export const REDIRECT_WEB_RESOURCE = 'wcp_/auth/msal-redirect.html';

export function createMsal(settings: { tenantId: string; clientId: string }): MsalLike<AccountInfo> {
  return new PublicClientApplication({
    auth: {
      clientId: settings.clientId,
      authority: `https://login.microsoftonline.com/${encodeURIComponent(settings.tenantId)}`,
      redirectUri: `${window.location.origin}/WebResources/${REDIRECT_WEB_RESOURCE}`,
    },
    // Per browser tab, like the Dynamics session itself; nothing left behind in localStorage.
    cache: { cacheLocation: 'sessionStorage' },
  });
}
