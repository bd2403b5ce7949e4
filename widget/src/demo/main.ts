/**
 * The demo CRM page the relay serves at `/` in dev mode: a Contact form with the WhatsApp
 * panel, an in-memory CrmPort seeded from seed.json, and a relay client with a dev token
 * from `/demo/config`. `?agent=<id>` signs in as another agent; `?phone=<E.164>` picks
 * the contact the form opens on (default: Maria Campbell); `?lang=de|fr|es|ar|en` the panel's
 * language and `?theme=dark|light` its theme (else the OS setting). The form's timeline lists
 * the contact's WhatsApp conversation activities from the demo relay's fake Dataverse, where
 * the relay's CRM writer puts them.
 */
import '../wcp-panel/wcp-panel.js';
import { messageOf } from '../lib/error-text.js';
import type { CrmContact } from '../ports/crm-port.js';
import { createRelayClient } from '../relay/relay-client.js';
import { ContactForm } from './contact-form.js';
import { fetchTimeline, renderTimeline, timelineQuery } from './crm-timeline.js';
import { configUrl, loadDemoConfig, needsRefresh, pageOptions, type DemoConfig } from './demo-config.js';
import { MemoryCrm, type CrmSeed } from './memory-crm.js';
import seed from './seed.json';

const DEFAULT_PHONE = '+14155550100';
/** Dynamics' timeline does not push: the demo looks again this often while the page is shown. */
const TIMELINE_REFRESH_MS = 3000;

async function loadConfig(): Promise<DemoConfig> {
  return loadDemoConfig(configUrl(location.search));
}

async function start(): Promise<void> {
  const host = document.getElementById('panel-host')!;
  const switcher = document.getElementById('contact-switch') as HTMLSelectElement;
  let config = await loadConfig();
  document.getElementById('agent-name')!.textContent = config.agent.name;

  let current: CrmContact | null = null;
  const crm: MemoryCrm = new MemoryCrm(seed as CrmSeed, {
    onOpenRecord: (record) => {
      if (record.entityType === 'contact') {
        showContact(crm.getContact(record.id));
        form.notify('');
      } else {
        form.notify(form.describe(record));
      }
    },
  });
  const form = new ContactForm(document, crm);

  async function getToken() {
    if (needsRefresh(config.token, Date.now())) config = await loadConfig();
    return config.token;
  }
  const relay = createRelayClient({
    baseUrl: config.relayUrl,
    getToken,
  });

  const panel = document.createElement('wcp-panel');
  panel.relay = relay;
  panel.crm = crm;
  const options = pageOptions(location.search);
  panel.locale = options.locale;
  if (options.theme) {
    panel.theme = options.theme;
    document.documentElement.dataset.theme = options.theme;
  }

  const activities = document.getElementById('activities')!;
  const activitiesStatus = document.getElementById('activities-status')!;
  const refreshButton = document.getElementById('timeline-refresh') as HTMLButtonElement;
  /** The latest timeline request: an answer for a contact no longer shown is dropped. */
  let timelineRequest = 0;
  async function refreshTimeline() {
    const dataverseUrl = config.dataverseUrl;
    const request = ++timelineRequest;
    const query = current && timelineQuery(current.id, current.phone ? crm.toE164(current.phone) : null);
    if (!dataverseUrl || !query) {
      activitiesStatus.textContent = dataverseUrl ? '' : 'This relay writes no CRM record (see DATAVERSE_URL in the README).';
      renderTimeline(document, activities, [], 'No WhatsApp conversation on this contact\'s timeline yet.');
      return;
    }
    try {
      const found = await fetchTimeline(dataverseUrl, await getToken(), query);
      if (request !== timelineRequest) return;
      activitiesStatus.textContent = '';
      // A redraw would close a transcript the agent opened: only redraw what changed.
      const key = JSON.stringify(found);
      if (activities.dataset.shown === key) return;
      activities.dataset.shown = key;
      renderTimeline(document, activities, found, 'No WhatsApp conversation on this contact\'s timeline yet.');
    } catch (error) {
      if (request === timelineRequest) activitiesStatus.textContent = `The timeline could not be loaded: ${messageOf(error)}`;
    }
  }
  if (config.dataverseUrl) {
    refreshButton.hidden = false;
    refreshButton.addEventListener('click', () => void refreshTimeline());
    setInterval(() => {
      if (document.visibilityState === 'visible') void refreshTimeline();
    }, TIMELINE_REFRESH_MS);
  }

  function showContact(contact: CrmContact | null) {
    current = contact;
    form.show(contact);
    delete activities.dataset.shown;
    void refreshTimeline();
    switcher.value = contact?.id ?? '';
    // The panel is bound to the form's mobile phone column, as the Power Apps control is.
    panel.phone = (contact?.phone && crm.toE164(contact.phone)) || '';
    panel.record = contact
      ? { entityType: 'contact', id: contact.id, name: contact.fullName, fields: contact.fields ?? {} }
      : null;
  }

  function fillSwitcher() {
    switcher.replaceChildren(
      ...crm.listContacts().map((c) => new Option(`${c.fullName}${c.phone ? ` (${c.phone})` : ''}`, c.id)),
    );
    if (current) switcher.value = current.id;
  }

  fillSwitcher();
  switcher.addEventListener('change', () => {
    form.notify('');
    showContact(crm.getContact(switcher.value));
  });
  // Creating a contact or linking a conversation shows up on the form, as in the CRM.
  crm.subscribe(() => {
    fillSwitcher();
    form.show(current && crm.getContact(current.id));
  });

  const wanted = crm.toE164(new URLSearchParams(location.search).get('phone') ?? '') ?? DEFAULT_PHONE;
  const [match] = await crm.findContactsByPhone(wanted);
  showContact(match ?? crm.listContacts()[0] ?? null);
  host.replaceChildren(panel);
}

start().catch((error: unknown) => {
  const host = document.getElementById('panel-host');
  if (!host) return;
  const p = document.createElement('p');
  p.className = 'failure';
  p.setAttribute('role', 'alert');
  p.textContent = `The demo could not start: ${messageOf(error)}`;
  host.replaceChildren(p);
});
