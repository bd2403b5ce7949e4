import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { AgentScript } from '@wcp/protocol';
import { msg, str } from '@lit/localize';
import { messageOf } from '../lib/error-text.js';
import type { CrmPort, NewRecord } from '../ports/crm-port.js';
import type { RelayClient } from '../relay/relay-client.js';
import { phonesToLookUp, type PanelStore } from '../state/panel-store.js';

/** Where the quick replies and agent scripts come from besides the CRM, and where scripts go. */
export interface LibraryOptions {
  /** The relay, once the agent is signed in: its built-in library is the fallback. */
  relay(): RelayClient | null;
  /** The agent's language (BCP 47), for the CRM's quick replies. */
  language(): string;
  scriptsLoaded(scripts: AgentScript[]): void;
  /** Neither the CRM nor the relay gave agent scripts. */
  scriptsFailed(error: unknown): void;
}

/**
 * The panel's side of the CRM port: every customer who offers or holds a conversation is
 * looked up by phone, once, so the panel can show the contact (an authenticated customer)
 * and fill placeholders from it. A failed look-up says why (Dataverse's own message: a missing
 * privilege, throttling) and is tried again at the panel's first change a minute or more later,
 * or at once with a new port (the host's `crm` property). It also creates the contacts
 * customers share in the transcript ("Create contact").
 *
 * It also loads the library the agent draws on: quick replies and agent scripts are the
 * ones admins keep in the CRM; the relay's built-in library is used only when the CRM has
 * none or cannot give them (another CRM, tables not imported, no privilege). A new port
 * loads them again.
 */
export class CrmController implements ReactiveController {
  private unsubscribe: (() => void) | null = null;
  private port: CrmPort | null = null;
  /** Phones whose look-up failed, and when: asked again once `retryAfterMs` has passed. */
  private failed = new Map<string, number>();
  /** The relay the library was last loaded with; null until the agent is signed in. */
  private libraryRelay: RelayClient | null = null;
  /** The latest library load: a late answer to an older one (an older port) is dropped. */
  private libraryLoad = 0;

  constructor(
    host: ReactiveControllerHost,
    private readonly store: PanelStore,
    private readonly crm: () => CrmPort | null,
    private readonly library?: LibraryOptions,
    /** How long a failed look-up waits before it is tried again (a throttled or briefly unreachable CRM). */
    private readonly retryAfterMs = 60_000,
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

  /** A new `crm` property: customers it could not answer for are asked again, and the library reloads. */
  hostUpdate(): void {
    const portChanged = this.crm() !== this.port;
    this.lookUpContacts();
    if (portChanged && this.libraryRelay && this.libraryRelay === this.library?.relay()) void this.loadLibrary();
  }

  /** Quick replies (to the store) and agent scripts (to the side pane): the CRM's first, else the relay's. */
  async loadLibrary(): Promise<void> {
    const relay = this.library?.relay();
    if (!this.library || !relay) return;
    const { language, scriptsLoaded, scriptsFailed } = this.library;
    const load = ++this.libraryLoad;
    this.libraryRelay = relay;
    const crm = this.crm();
    const [quickReplies, scripts] = await Promise.allSettled([
      crmFirst('quick replies', crm?.listQuickReplies && (() => crm.listQuickReplies!(language())), () => relay.quickReplies()),
      crmFirst('agent scripts', crm?.listScripts && (() => crm.listScripts!()), () => relay.scripts()),
    ]);
    if (load !== this.libraryLoad) return;
    // Quick replies are optional: without them "/" lists none.
    if (quickReplies.status === 'fulfilled') this.store.dispatch({ type: 'quickReplies', quickReplies: quickReplies.value });
    if (scripts.status === 'fulfilled') scriptsLoaded(scripts.value);
    else scriptsFailed(scripts.reason);
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
      this.store.dispatch({ type: 'contactCreated' });
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
      this.failed = new Map();
    }
    const now = Date.now();
    for (const phone of phonesToLookUp(this.store.state)) {
      const failedAt = this.failed.get(phone);
      if (failedAt === undefined || now - failedAt >= this.retryAfterMs) void this.lookUp(crm, phone);
    }
  }

  private async lookUp(crm: CrmPort, phone: string): Promise<void> {
    this.store.dispatch({ type: 'contactLookup', phone });
    try {
      this.store.dispatch({ type: 'contactFound', phone, matches: await crm.findContactsByPhone(phone) });
      this.failed.delete(phone);
    } catch (error) {
      // Said once per run of failures: the customer shows as unknown meanwhile, and the agent knows why.
      if (!this.failed.has(phone)) this.store.dispatch({ type: 'notice', text: msg(str`The customer could not be looked up in the CRM: ${messageOf(error)}`) });
      this.failed.set(phone, Date.now());
      this.store.dispatch({ type: 'contactLookupFailed', phone });
    }
  }

}

/**
 * The CRM's list when it has one with something in it; the relay's otherwise. A CRM failure
 * is not the agent's problem (the relay's list stands in) but an admin's: it goes to the console.
 */
async function crmFirst<T>(what: string, fromCrm: (() => Promise<T[]>) | undefined, fromRelay: () => Promise<T[]>): Promise<T[]> {
  if (fromCrm) {
    try {
      const items = await fromCrm();
      if (items.length > 0) return items;
    } catch (error) {
      console.warn(`WhatsApp panel: the CRM's ${what} could not be loaded (${messageOf(error)}); the relay's built-in ones are used.`);
    }
  }
  return fromRelay();
}
