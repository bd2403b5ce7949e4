import { createRelayClient, type WcpPanel } from '@wcp/widget';
import { useLocale } from '@wcp/widget/control-text';
import { signInText } from '@wcp/widget/sign-in-text';
import { DataverseCrm } from './dataverse-crm.ts';
import type { IInputs, IOutputs } from './generated/ManifestTypes';
import { mapContext, type ControlSettings } from './map-context.ts';
import { useResourceStrings } from './resx-locales.ts';
import { panelLanguageOf } from './user-locale.ts';
import { DevTokenProvider, EntraTokenProvider, type DevTokenState, type EntraSignInState, type TokenProvider } from './relay-auth.ts';

type PanelElement = WcpPanel;

/**
 * The WhatsApp panel as a field control: lifecycle only. Reading the context is
 * `mapContext` (pure); the panel itself is the `<wcp-panel>` web component; Entra sign-in
 * is the relay's pop-up (`EntraTokenProvider`), with a "Sign in" bar here when the agent
 * has to click (pop-up blocked or closed).
 */
export class WhatsAppPanel implements ComponentFramework.StandardControl<IInputs, IOutputs> {
  private container!: HTMLDivElement;
  private notice!: HTMLDivElement;
  private signInBar!: HTMLDivElement;
  private signInText!: HTMLSpanElement;
  private signInButton!: HTMLButtonElement;
  private panel: PanelElement | undefined;
  private tokens: TokenProvider | undefined;
  /** Relay URL + auth settings the current panel was connected with. */
  private connectionKey = '';
  private context: ComponentFramework.Context<IInputs> | undefined;
  private settings: ControlSettings | undefined;
  /** The panel started without a token: start it again once the agent has signed in. */
  private restartAfterSignIn = false;
  /** A token came once: later sign-in trouble (renewal) needs no restart, the event stream reconnects by itself. */
  private signedInOnce = false;

  init(context: ComponentFramework.Context<IInputs>, _notify: () => void, _state: ComponentFramework.Dictionary, container: HTMLDivElement): void {
    this.container = container;
    useResourceStrings(context.resources);
    this.notice = document.createElement('div');
    this.notice.setAttribute('role', 'alert');
    this.notice.style.cssText = 'color:#a4262c;font:14px "Segoe UI",sans-serif;padding:4px 0;';
    this.notice.hidden = true;

    this.signInBar = document.createElement('div');
    this.signInBar.setAttribute('role', 'alert');
    this.signInBar.style.cssText = 'display:flex;gap:8px;align-items:center;font:14px "Segoe UI",sans-serif;padding:4px 0;';
    this.signInText = document.createElement('span');
    this.signInButton = document.createElement('button');
    this.signInButton.type = 'button';
    this.signInButton.textContent = signInText.button();
    this.signInButton.addEventListener('click', () => this.signIn());
    this.signInBar.append(this.signInText, this.signInButton);
    this.signInBar.hidden = true;

    container.append(this.notice, this.signInBar);
    // The panel loads the agent's language after the first view: the control's own notice,
    // worded then in English, is worded again when it arrives (lit-localize's "ready").
    window.addEventListener('lit-localize-status', this.rewordNotice);
    this.updateView(context);
  }

  private readonly rewordNotice = (event: Event): void => {
    if ((event as CustomEvent<{ status: string }>).detail.status !== 'ready' || !this.context) return;
    const result = mapContext(this.context);
    this.showNotice(result.ok ? result.settings.notice : result.error);
  };

  updateView(context: ComponentFramework.Context<IInputs>): void {
    this.context = context;
    const result = mapContext(context);
    if (!result.ok) {
      this.disconnectRelay();
      this.showNotice(result.error);
      // No panel sets the agent's language: the control does, and words the notice again when it is ready (rewordNotice).
      void useLocale(panelLanguageOf(context.userSettings.languageId));
      return;
    }
    const { settings } = result;
    this.settings = settings;
    this.showNotice(settings.notice);
    const key = JSON.stringify([settings.relayUrl, settings.auth]);
    if (!this.panel || key !== this.connectionKey) {
      this.disconnectRelay();
      this.tokens = this.tokenProvider(settings);
      this.connectionKey = key;
      this.panel = this.mount(context, settings);
    }
    Object.assign(this.panel, settings.panel);
    this.applyTheme(this.panel, settings.themeVariables);
  }

  getOutputs(): IOutputs {
    return {};
  }

  destroy(): void {
    window.removeEventListener('lit-localize-status', this.rewordNotice);
    this.disconnectRelay();
  }

  private mount(context: ComponentFramework.Context<IInputs>, settings: ControlSettings): PanelElement {
    const panel = document.createElement('wcp-panel') as PanelElement;
    const tokens = this.tokens!;
    panel.relay = createRelayClient({ baseUrl: settings.relayUrl, getToken: () => tokens.getToken() });
    panel.crm = new DataverseCrm(context.webAPI, context.navigation, {
      ...(settings.knowledgeUrlTemplate ? { knowledgeUrlTemplate: settings.knowledgeUrlTemplate } : {}),
      languageId: context.userSettings.languageId,
    });
    Object.assign(panel, settings.panel);
    this.container.appendChild(panel);
    return panel;
  }

  /** The form's Fluent theme on the panel: inline custom properties, stale ones removed. */
  private applyTheme(panel: PanelElement, variables: Record<string, string>): void {
    for (const name of [...panel.style].filter((n) => n.startsWith('--wcp-') && !(n in variables))) panel.style.removeProperty(name);
    for (const [name, value] of Object.entries(variables)) panel.style.setProperty(name, value);
  }

  private unmount(): void {
    this.panel?.disconnect();
    this.panel?.remove();
    this.panel = undefined;
  }

  /** Unmounts the panel and drops its token provider (new relay URL or auth mode, or teardown). */
  private disconnectRelay(): void {
    this.unmount();
    if (this.tokens instanceof EntraTokenProvider) this.tokens.dispose();
    this.tokens = undefined;
    this.connectionKey = '';
    this.restartAfterSignIn = false;
    this.signedInOnce = false;
    this.showSignIn(undefined);
  }

  private tokenProvider(settings: ControlSettings): TokenProvider {
    const auth = settings.auth;
    if (auth.mode === 'dev') {
      const dev: DevTokenProvider = new DevTokenProvider({
        relayUrl: settings.relayUrl,
        agentId: auth.agentId,
        agentName: auth.agentName,
        onStateChange: (state) => {
          if (this.tokens === dev) this.onDevTokenState(state);
        },
      });
      return dev;
    }
    const provider: EntraTokenProvider = new EntraTokenProvider({
      relayUrl: settings.relayUrl,
      onStateChange: (state) => {
        if (this.tokens === provider) this.onSignInState(state);
      },
    });
    return provider;
  }

  private onSignInState(state: EntraSignInState): void {
    if (state.status === 'needs-sign-in') {
      this.restartAfterSignIn = !this.signedInOnce;
      this.showSignIn(state.error.message, true);
    } else if (state.status === 'signing-in') {
      if (!this.signInBar.hidden) this.showSignIn(signInText.finishInWindow(), true);
    } else {
      this.signedInOnce = true;
      this.showSignIn(undefined);
      if (this.restartAfterSignIn) {
        // The panel's first calls failed without a token: start it again, signed in.
        this.restartAfterSignIn = false;
        this.unmount();
        if (this.context && this.settings) this.panel = this.mount(this.context, this.settings);
      }
    }
  }

  /**
   * Dev tokens: the provider reports a failure once (not per retry) and backs off by itself
   * (1 s doubling to 5 min, or the relay's Retry-After), so the bar shows it without a button.
   */
  private onDevTokenState(state: DevTokenState): void {
    if (state.status === 'failed') {
      this.restartAfterSignIn ||= !this.signedInOnce;
      this.showSignIn(signInText.retriesByItself(state.error.message));
    } else {
      this.onSignInState({ status: 'signed-in', expiresAt: 0 });
    }
  }

  /** The "Sign in" button: a click, so the browser lets the pop-up open. */
  private signIn(): void {
    if (this.tokens instanceof EntraTokenProvider) {
      // Failures come back through onStateChange, where the bar shows them.
      this.tokens.signIn().catch(() => undefined);
    }
  }

  private showSignIn(text: string | undefined, button = false): void {
    this.signInText.textContent = text ?? '';
    // Again here: the agent's language has loaded by the time the bar shows.
    this.signInButton.textContent = signInText.button();
    this.signInButton.hidden = !button;
    this.signInBar.hidden = !text;
  }

  private showNotice(text: string | undefined): void {
    this.notice.textContent = text ?? '';
    this.notice.hidden = !text;
  }
}
