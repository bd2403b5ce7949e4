import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { msg, str } from '@lit/localize';
import { messageOf } from '../lib/error-text.js';
import type { CrmPort, NewRecord } from '../ports/crm-port.js';
import { phonesToLookUp, type PanelStore } from '../state/panel-store.js';

/**
 * The panel's side of the CRM port for the conversations themselves: every customer who
 * offers or holds a conversation is looked up by phone, once, so the panel can show the
 * contact (an authenticated customer) and fill placeholders from it. A failed look-up is
 * not repeated with the same port; a new port (the host's `crm` property) tries again.
 * It also creates the contacts customers share in the transcript ("Create contact").
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

  /** A contact card from the transcript becomes a CRM record; the panel's notice says how it went. */
  async createRecord(record: NewRecord): Promise<void> {
    const crm = this.crm();
    if (!crm) {
      this.store.dispatch({ type: 'notice', text: msg('No CRM is connected: the contact could not be created.') });
      return;
    }
    try {
      const created = await crm.createRecord(record);
      this.store.dispatch({ type: 'notice', text: msg(str`Contact created in the CRM: ${created.name}.`) });
    } catch (error) {
      this.store.dispatch({ type: 'notice', text: msg(str`The contact could not be created: ${messageOf(error)}`) });
    }
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
