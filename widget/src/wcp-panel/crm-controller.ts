import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { CrmPort } from '../ports/crm-port.js';
import { phonesToLookUp, type PanelStore } from '../state/panel-store.js';

/**
 * The panel's side of the CRM port for the conversations themselves: every customer who
 * offers or holds a conversation is looked up by phone, once, so the panel can show the
 * contact (an authenticated customer) and fill placeholders from it. A failed look-up is
 * not repeated with the same port; a new port (the host's `crm` property) tries again.
 */
export class CrmController implements ReactiveController {
  private unsubscribe: (() => void) | null = null;
  private port: CrmPort | null = null;
  private failed = new Set<string>();

  constructor(
    host: ReactiveControllerHost,
    private readonly store: PanelStore,
    private readonly crm: () => CrmPort | null,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.unsubscribe ??= this.store.subscribe(() => this.lookUpContacts());
    this.lookUpContacts();
  }

  hostDisconnected(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  /** A new `crm` property: customers it could not answer for are asked again. */
  hostUpdate(): void {
    this.lookUpContacts();
  }

  private lookUpContacts(): void {
    const crm = this.crm();
    if (!crm) return;
    if (crm !== this.port) {
      this.port = crm;
      this.failed = new Set();
    }
    for (const phone of phonesToLookUp(this.store.state)) {
      if (!this.failed.has(phone)) void this.lookUp(crm, phone);
    }
  }

  private async lookUp(crm: CrmPort, phone: string): Promise<void> {
    this.store.dispatch({ type: 'contactLookup', phone });
    try {
      this.store.dispatch({ type: 'contactFound', phone, matches: await crm.findContactsByPhone(phone) });
    } catch {
      this.failed.add(phone);
      this.store.dispatch({ type: 'contactLookupFailed', phone });
    }
  }
}
