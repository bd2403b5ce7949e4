import { msg, str } from '@lit/localize';

/**
 * What the Power Apps control says about signing the agent in to the relay (its sign-in bar
 * above the panel, pcf/WhatsAppPanel), in the agent's language like the panel below it. The
 * control builds its sign-in errors from these, so each text has one home.
 */
export const signInText = {
  button: () => msg('Sign in'),
  finishInWindow: () => msg('Finish signing in to the WhatsApp relay in the sign-in window.'),
  retriesByItself: (problem: string) => msg(str`${problem} The panel tries again by itself, less and less often.`),
  noAgentId: () => msg('The Dynamics 365 user has no id, so the relay cannot sign in the agent.'),
  relayNotDev: () =>
    msg('The relay does not run in dev mode, so it gives out no dev tokens. Set "Authentication mode" to Entra ID in the control properties.'),
  noToken: () => msg('The relay answered without a token.'),
  unreachable: (relayUrl: string) => msg(str`The relay at ${relayUrl} cannot be reached.`),
  refused: (status: number, detail: string | null) =>
    detail ? msg(str`The relay refused to sign in the agent (HTTP ${status}: ${detail}).`) : msg(str`The relay refused to sign in the agent (HTTP ${status}).`),
  panelClosed: () => msg('The WhatsApp panel was closed.'),
  popupBlocked: () => msg('The browser blocked the sign-in window of the WhatsApp relay. Select "Sign in" above the panel (or allow pop-ups for this site).'),
  popupClosed: () => msg('The sign-in window was closed before signing in. Select "Sign in" above the panel to try again.'),
  timedOut: () => msg('Signing in to the WhatsApp relay took too long. Select "Sign in" above the panel to try again.'),
};
