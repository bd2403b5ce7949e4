import { createRelayClient, type WcpPanel } from '@wcp/widget';
import { DataverseCrm } from './dataverse-crm.ts';
import { mapContext, type ControlSettings, type PanelInputs } from './map-context.ts';
import { createMsal } from './msal-client.ts';
import { DevTokenProvider, EntraTokenProvider, type TokenProvider } from './relay-auth.ts';

type PanelElement = WcpPanel;

/**
 * The WhatsApp panel as a field control: lifecycle only. Reading the context is
 * `mapContext` (pure); the panel itself is the `<wcp-panel>` web component.
 */
export class WhatsAppPanel implements ComponentFramework.StandardControl<PanelInputs, Record<string, never>> {
  private container!: HTMLDivElement;
  private notice!: HTMLDivElement;
  private panel: PanelElement | undefined;
  /** Relay URL + auth settings the current panel was connected with. */
  private connectionKey = '';

  init(context: ComponentFramework.Context<PanelInputs>, _notify: () => void, _state: ComponentFramework.Dictionary, container: HTMLDivElement): void {
    this.container = container;
    this.notice = document.createElement('div');
    this.notice.setAttribute('role', 'alert');
    this.notice.style.cssText = 'color:#a4262c;font:14px "Segoe UI",sans-serif;padding:4px 0;';
    this.notice.hidden = true;
    container.appendChild(this.notice);
    this.updateView(context);
  }

  updateView(context: ComponentFramework.Context<PanelInputs>): void {
    const result = mapContext(context);
    if (!result.ok) {
      this.unmount();
      this.showNotice(result.error);
      return;
    }
    const { settings } = result;
    this.showNotice(settings.notice);
    const key = JSON.stringify([settings.relayUrl, settings.auth]);
    if (!this.panel || key !== this.connectionKey) {
      this.unmount();
      this.panel = this.mount(context, settings);
      this.connectionKey = key;
    }
    Object.assign(this.panel, settings.panel);
  }

  getOutputs(): Record<string, never> {
    return {};
  }

  destroy(): void {
    this.unmount();
  }

  private mount(context: ComponentFramework.Context<PanelInputs>, settings: ControlSettings): PanelElement {
    const panel = document.createElement('wcp-panel') as PanelElement;
    const tokens = tokenProvider(settings);
    panel.relay = createRelayClient({ baseUrl: settings.relayUrl, getToken: () => tokens.getToken() });
    panel.crm = new DataverseCrm(context.webAPI, context.navigation, settings.knowledgeUrlTemplate ? { knowledgeUrlTemplate: settings.knowledgeUrlTemplate } : {});
    this.container.appendChild(panel);
    return panel;
  }

  private unmount(): void {
    this.panel?.disconnect();
    this.panel?.remove();
    this.panel = undefined;
    this.connectionKey = '';
  }

  private showNotice(text: string | undefined): void {
    this.notice.textContent = text ?? '';
    this.notice.hidden = !text;
  }
}

function tokenProvider(settings: ControlSettings): TokenProvider {
  const auth = settings.auth;
  return auth.mode === 'dev'
    ? new DevTokenProvider({ relayUrl: settings.relayUrl, agentId: auth.agentId, agentName: auth.agentName })
    : new EntraTokenProvider(createMsal(auth), auth.scope);
}
