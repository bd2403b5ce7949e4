/**
 * The side pane inside the panel: what the agent clicks and types there, and which relay
 * request (msw) or CrmPort call it results in.
 */
import { aTimeout, expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { Conversation, Message, Note, RecordRef, SearchHit } from '@wcp/protocol';
import { CrmError, type CrmContact, type CrmPort, type CrmRecordRef, type NewRecord } from '../ports/crm-port.js';
import { createRelayClient } from '../relay/relay-client.js';
import { articles, maria, notes as seedNotes, recordResults, scripts, searchHits } from '../side/shared/test-fixtures.js';
import { button, control } from '../side/shared/test-helpers.js';
import type { SidePaneElement } from '../side/wcp-side-pane/wcp-side-pane.js';
import { deepQueryAll, sessionTabs } from '../test/deep-query.js';
import { RELAY, makeAgent, makeConversation, makeMessage, makeOffer } from '../test/fixtures.js';
import { devToken, eventsEndpoint, http, HttpResponse, startRelayMock, worker } from '../test/relay-mock.js';
import { ignoreResizeObserverLoopErrors } from '../test/resize-observer.js';
import type { WcpPanel } from './wcp-panel.js';
import './wcp-panel.js';

ignoreResizeObserverLoopErrors();

type Call = [method: string, ...args: unknown[]];

/** A CrmPort that records every call; Maria is the one contact with +14155550100. */
function recordingCrm(overrides: Partial<CrmPort> = {}) {
  const calls: Call[] = [];
  const crm: CrmPort = {
    findContactsByPhone: async (phone) => (phone === '+14155550100' ? [maria] : []),
    async searchRecords(query, entityTypes) {
      calls.push(['searchRecords', query, entityTypes]);
      return recordResults;
    },
    async createRecord(record: NewRecord) {
      calls.push(['createRecord', record]);
      return { entityType: record.entityType, id: 'i-new', name: record.fields.title ?? 'New' };
    },
    async linkConversation(record, link) {
      calls.push(['linkConversation', record, link]);
      return { linkId: `ann-${record.id}` };
    },
    async unlinkConversation(record, linkId) {
      calls.push(['unlinkConversation', record, linkId]);
    },
    async findConversationLinks(record, conversationId) {
      calls.push(['findConversationLinks', record, conversationId]);
      return [];
    },
    async openRecord(record) {
      calls.push(['openRecord', record]);
    },
    async searchKnowledge(query) {
      calls.push(['searchKnowledge', query]);
      return articles;
    },
    ...overrides,
  };
  return { crm, calls, of: (method: string) => calls.filter((c) => c[0] === method) };
}

/** A relay answer held until `open()`. */
function gate() {
  let open = () => {};
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

interface RelayFake {
  conversations: Conversation[];
  messages: Record<string, Message[]>;
  notes: Note[];
  previous: Conversation[];
  hits: SearchHit[];
  requests: string[];
  links: (RecordRef | null)[];
  refuseLink?: boolean;
  refuseNotes?: boolean;
  /** Held until resolved: the relay's answer to a new note / to the previous conversations. */
  noteAnswer?: Promise<void>;
  previousAnswer?: Promise<void>;
}

function relayHandlers(fake: RelayFake) {
  const log = (request: Request) => fake.requests.push(`${request.method} ${new URL(request.url).pathname}${new URL(request.url).search}`);
  const conversation = (id: string) => fake.conversations.find((c) => c.id === id)!;
  return [
    http.get(`${RELAY}/api/v1/me`, () => HttpResponse.json(makeAgent())),
    http.get(`${RELAY}/api/v1/conversations`, () => HttpResponse.json({ items: fake.conversations })),
    http.get(`${RELAY}/api/v1/quick-replies`, () => HttpResponse.json({ items: [] })),
    http.get(`${RELAY}/api/v1/dispositions`, () => HttpResponse.json({ items: [] })),
    // Team work's lists (wcp-panel-team.test.ts); none here.
    http.get(`${RELAY}/api/v1/agents`, () => HttpResponse.json({ items: [] })),
    http.get(`${RELAY}/api/v1/queues`, () => HttpResponse.json({ items: [] })),
    http.get(`${RELAY}/api/v1/scripts`, () => HttpResponse.json({ items: scripts })),
    http.get(`${RELAY}/api/v1/conversations/:id/messages`, ({ params }) =>
      HttpResponse.json({ items: fake.messages[String(params.id)] ?? [], next: null }),
    ),
    http.get(`${RELAY}/api/v1/conversations/:id/notes`, ({ request, params }) => {
      log(request);
      return HttpResponse.json({ items: fake.notes.filter((n) => n.conversationId === params.id) });
    }),
    http.post(`${RELAY}/api/v1/conversations/:id/notes`, async ({ request, params }) => {
      log(request);
      await fake.noteAnswer;
      if (fake.refuseNotes) return HttpResponse.json({ error: 'internal', message: 'The relay is having a bad day.' }, { status: 500 });
      const { body } = (await request.json()) as { body: string };
      const note: Note = { id: `n-${fake.notes.length + 1}`, conversationId: String(params.id), agentId: 'agent-1', agentName: 'Dana Agent', body, createdAt: new Date().toISOString() };
      fake.notes.push(note);
      return HttpResponse.json(note, { status: 201 });
    }),
    http.get(`${RELAY}/api/v1/customers/:phone/conversations`, async ({ request }) => {
      log(request);
      const answer = fake.previous;
      await fake.previousAnswer;
      return HttpResponse.json({ items: answer });
    }),
    http.put(`${RELAY}/api/v1/conversations/:id/link`, async ({ request, params }) => {
      log(request);
      if (fake.refuseLink) return HttpResponse.json({ error: 'internal', message: 'The relay is having a bad day.' }, { status: 500 });
      const record = (await request.json()) as RecordRef;
      fake.links.push(record);
      return HttpResponse.json({ ...conversation(String(params.id)), linkedRecord: record });
    }),
    http.delete(`${RELAY}/api/v1/conversations/:id/link`, ({ request, params }) => {
      log(request);
      fake.links.push(null);
      return HttpResponse.json({ ...conversation(String(params.id)), linkedRecord: null });
    }),
    http.post(`${RELAY}/api/v1/conversations/:id/accept`, ({ request, params }) => {
      log(request);
      const accepted = { ...conversation(String(params.id)), state: 'active' as const, offer: null, assignedAgentId: 'agent-1' };
      fake.conversations = fake.conversations.map((c) => (c.id === accepted.id ? accepted : c));
      return HttpResponse.json(accepted);
    }),
    http.get(`${RELAY}/api/v1/search`, ({ request }) => {
      log(request);
      return HttpResponse.json({ items: fake.hits });
    }),
  ];
}

const other = makeConversation({ id: 'conv-2', customer: { phone: '+14155550111', profileName: 'Bo', waId: null } });

describe('wcp-panel side pane', () => {
  let panel: WcpPanel | undefined;
  before(startRelayMock);
  afterEach(() => {
    panel?.disconnect();
    worker.resetHandlers();
  });

  function newFake(overrides: Partial<RelayFake> = {}): RelayFake {
    return { conversations: [makeConversation()], messages: {}, notes: [], previous: [], hits: [], requests: [], links: [], ...overrides };
  }

  async function mount(fake: RelayFake, crm: CrmPort = recordingCrm().crm) {
    const events = eventsEndpoint();
    worker.use(events.handler, ...relayHandlers(fake));
    const relay = createRelayClient({ baseUrl: RELAY, getToken: async () => devToken(), outboxStorage: null });
    panel = await fixture<WcpPanel>(html`<wcp-panel style="height: 900px" .relay=${relay} .crm=${crm}></wcp-panel>`);
    await events.waitForConnections(1);
    await waitUntil(() => panel!.shadowRoot!.querySelector('wcp-side-pane'), 'side pane shown');
    const pane = panel.shadowRoot!.querySelector('wcp-side-pane')!;
    return { panel, pane, events };
  }

  const part = <K extends keyof HTMLElementTagNameMap>(pane: SidePaneElement, tag: K) => pane.shadowRoot!.querySelector(tag)!;
  /** The side pane on screen: each session has its own. */
  const shownPane = (panel: WcpPanel) => panel.shadowRoot!.querySelector('wcp-side-pane')!;
  async function showSession(panel: WcpPanel, index: number, id: string) {
    sessionTabs(panel)[index]!.click();
    await waitUntil(() => shownPane(panel)?.conversation?.id === id, `${id} shown`);
    return shownPane(panel);
  }
  async function openTab(pane: SidePaneElement, name: string) {
    pane.shadowRoot!.querySelector<HTMLElement>(`#tab-${name}`)!.click();
    await pane.updateComplete;
  }
  async function typeInto(el: Element, label: string, text: string) {
    control(el, label).focus();
    await sendKeys({ type: text });
  }
  const messageBox = (panel: Element) => deepQueryAll(panel.shadowRoot!, 'textarea[aria-label="Message"]')[0] as HTMLTextAreaElement;

  it('shows the matching CRM contact and the customer’s previous conversations in the summary', async () => {
    const closed = makeConversation({ id: 'conv-old', state: 'closed', createdAt: '2025-05-01T09:00:00.000Z' });
    const fake = newFake({ previous: [makeConversation(), closed] });
    const { panel, pane } = await mount(fake);
    expect(pane.closest('aside')!.getAttribute('aria-label')).to.equal('Customer details');
    const summary = part(pane, 'wcp-customer-summary');
    await waitUntil(() => summary.shadowRoot!.querySelector('.who')?.textContent!.includes('Maria Campbell'), 'contact shown');
    await waitUntil(() => summary.shadowRoot!.querySelectorAll('[part="previous"] button').length === 1, 'previous conversation listed');
    expect(fake.requests).to.include('GET /api/v1/customers/%2B14155550100/conversations');
    await expect(panel).to.be.accessible();
  });

  it('leaves the customer unknown when several CRM contacts share the number', async () => {
    const { crm } = recordingCrm({ findContactsByPhone: async () => [maria, { ...maria, id: 'c-2', fullName: 'Mario Campbell' }] });
    const { panel, pane } = await mount(newFake(), crm);
    const summary = part(pane, 'wcp-customer-summary');
    await waitUntil(() => summary.shadowRoot!.textContent!.includes('Ana WhatsApp'), 'WhatsApp profile shown');
    expect(summary.shadowRoot!.textContent).not.to.contain('Maria Campbell');
    expect(pane.contact).to.equal(null);
    await expect(panel).to.be.accessible();
  });

  it('loads the notes, adds one through the relay and shows notes other agents add', async () => {
    const fake = newFake({ notes: [{ ...seedNotes[0]!, conversationId: 'conv-1' }] });
    const { panel, pane, events } = await mount(fake);
    await openTab(pane, 'notes');
    const notesPart = part(pane, 'wcp-notes');
    await waitUntil(() => notesPart.shadowRoot!.querySelectorAll('li').length === 1, 'stored note shown');

    notesPart.shadowRoot!.querySelector('textarea')!.focus();
    await sendKeys({ type: 'Promised a call back tomorrow' });
    button(notesPart, 'Add note').click();
    await waitUntil(() => notesPart.shadowRoot!.querySelectorAll('li').length === 2, 'new note shown');
    expect(fake.requests).to.include('POST /api/v1/conversations/conv-1/notes');
    expect(fake.notes.at(-1)!.body).to.equal('Promised a call back tomorrow');

    // The relay echoes our own note as an event (shown once) and sends a colleague's.
    events.latest.send({ id: '10', type: 'note', data: { conversationId: 'conv-1', note: fake.notes.at(-1)! } });
    const colleague: Note = { id: 'n-99', conversationId: 'conv-1', agentId: 'agent-2', agentName: 'Sam Rivera', body: 'VIP customer', createdAt: new Date().toISOString() };
    events.latest.send({ id: '11', type: 'note', data: { conversationId: 'conv-1', note: colleague } });
    await waitUntil(() => notesPart.shadowRoot!.textContent!.includes('VIP customer'), 'colleague note shown');
    expect(notesPart.shadowRoot!.querySelectorAll('li')).to.have.length(3);
    await expect(panel).to.be.accessible();
  });

  it('searches, links, opens and unlinks a record through the CRM and tells the relay', async () => {
    const fake = newFake();
    const { crm, of } = recordingCrm();
    const { panel, pane } = await mount(fake, crm);
    await openTab(pane, 'records');
    const records = part(pane, 'wcp-records');
    await typeInto(records, 'Search records', 'parcel');
    button(records, 'Search').click();
    await waitUntil(() => records.shadowRoot!.querySelectorAll('[part="results"] li').length === 3, 'results shown');
    expect(of('searchRecords')[0]!.slice(1, 2)).to.deep.equal(['parcel']);

    button(records, 'Link Parcel arrived damaged').click();
    const parcel: CrmRecordRef = { entityType: 'incident', id: 'i-1', name: 'Parcel arrived damaged' };
    await waitUntil(() => records.shadowRoot!.querySelector('[part="linked-record"]'), 'linked record shown');
    const [, linked, link] = of('linkConversation')[0]!;
    expect(linked).to.deep.equal(parcel);
    expect((link as { conversationId: string }).conversationId).to.equal('conv-1');
    expect(fake.links).to.deep.equal([parcel]);
    expect(pane.conversation!.linkedRecord).to.deep.equal(parcel);

    button(records, 'Open Parcel arrived damaged').click();
    await waitUntil(() => of('openRecord').length === 1, 'record opened');
    expect(of('openRecord')[0]![1]).to.deep.equal(parcel);

    button(records, 'Unlink Parcel arrived damaged').click();
    await waitUntil(() => !records.shadowRoot!.querySelector('[part="linked-record"]'), 'unlinked');
    expect(of('unlinkConversation')[0]!.slice(1)).to.deep.equal([parcel, 'ann-i-1']);
    expect(fake.links).to.deep.equal([parcel, null]);
    expect(fake.requests).to.include('DELETE /api/v1/conversations/conv-1/link');
    expect(records.shadowRoot!.querySelector('[role="alert"]')).to.equal(null);
    await expect(panel).to.be.accessible();
  });

  it('unlinks the contact a known customer was linked to on accept without sending the agent to the CRM to remove it', async () => {
    // Linked on accept (the number matches one contact) through the relay alone: the CRM has no link of the panel's to remove.
    const fake = newFake({ conversations: [other, makeOffer({ id: 'conv-9' })] });
    const { crm, of } = recordingCrm();
    const { panel } = await mount(fake, crm);
    await waitUntil(() => deepQueryAll(panel.shadowRoot!, '[role="alertdialog"]')[0]?.textContent!.includes('Maria Campbell'), 'offer from a known customer');
    (deepQueryAll(panel.shadowRoot!, '[role="alertdialog"] button').find((b) => b.textContent!.trim() === 'Accept') as HTMLButtonElement).click();
    await waitUntil(() => fake.links.length === 1, 'linked to the contact on accept');
    expect(fake.links[0]).to.deep.equal({ entityType: 'contact', id: 'c-maria', name: 'Maria Campbell' });
    const pane = await showSession(panel, 1, 'conv-9');
    const summary = part(pane, 'wcp-customer-summary');
    await waitUntil(() => summary.shadowRoot!.querySelector('[part="linked-record"]'), 'linked record shown');

    button(summary, 'Unlink Maria Campbell').click();
    await waitUntil(() => summary.shadowRoot!.textContent!.includes('No linked record.'), 'unlinked');
    expect(fake.requests).to.include('DELETE /api/v1/conversations/conv-9/link');
    expect(of('unlinkConversation'), 'nothing of the panel in the CRM to remove').to.deep.equal([]);
    await aTimeout(50);
    expect(deepQueryAll(pane.shadowRoot!, '[role="alert"]').map((a) => a.textContent), 'the relay takes the activity off the contact: nothing to remove there').to.deep.equal([]);
    await expect(panel).to.be.accessible();
  });

  it('unlinks a record linked before the page was reloaded: the CRM link the panel made then goes too, with nothing left for the agent to remove', async () => {
    const parcel: CrmRecordRef = { entityType: 'incident', id: 'i-1', name: 'Parcel arrived damaged' };
    const fake = newFake({ conversations: [makeConversation({ linkedRecord: parcel })] });
    // The note this panel wrote on the case in an earlier page load.
    const { crm, of } = recordingCrm({ findConversationLinks: async (record, id) => (record.id === 'i-1' && id === 'conv-1' ? ['ann-i-1-earlier'] : []) });
    const { panel, pane } = await mount(fake, crm);
    await openTab(pane, 'records');
    const records = part(pane, 'wcp-records');
    await waitUntil(() => records.shadowRoot!.querySelector('[part="linked-record"]'), 'linked record shown');

    button(records, 'Unlink Parcel arrived damaged').click();
    await waitUntil(() => !records.shadowRoot!.querySelector('[part="linked-record"]'), 'unlinked');
    expect(of('unlinkConversation').map((c) => c.slice(1))).to.deep.equal([[parcel, 'ann-i-1-earlier']]);
    expect(fake.links).to.deep.equal([null]);
    await aTimeout(50);
    expect(deepQueryAll(pane.shadowRoot!, '[role="alert"]').map((a) => a.textContent)).to.deep.equal([]);
    await expect(panel).to.be.accessible();
  });

  it('linking another record after a reload takes the earlier record’s note away too', async () => {
    const parcel: CrmRecordRef = { entityType: 'incident', id: 'i-1', name: 'Parcel arrived damaged' };
    const fake = newFake({ conversations: [makeConversation({ linkedRecord: parcel })] });
    const { crm, of } = recordingCrm({ findConversationLinks: async (record, id) => (record.id === 'i-1' && id === 'conv-1' ? ['ann-i-1-earlier'] : []) });
    const { pane } = await mount(fake, crm);
    await openTab(pane, 'records');
    const records = part(pane, 'wcp-records');
    await typeInto(records, 'Search records', 'maria');
    button(records, 'Search').click();
    await waitUntil(() => records.shadowRoot!.querySelectorAll('[part="results"] li').length === 3, 'results shown');
    button(records, 'Link Maria Campbell').click();
    await waitUntil(() => of('unlinkConversation').length === 1, 'the earlier note removed');
    expect(of('unlinkConversation')[0]!.slice(1)).to.deep.equal([parcel, 'ann-i-1-earlier']);
    expect(fake.links.map((l) => l?.id)).to.deep.equal(['c-maria']);
    expect(records.shadowRoot!.querySelector('[role="alert"]')).to.equal(null);
  });

  it('keeps a record linked when the CRM cannot be asked for the earlier link, and says so', async () => {
    const parcel: CrmRecordRef = { entityType: 'incident', id: 'i-1', name: 'Parcel arrived damaged' };
    const fake = newFake({ conversations: [makeConversation({ linkedRecord: parcel })] });
    const { crm, of } = recordingCrm({
      findConversationLinks: async () => {
        throw new CrmError('The CRM did not answer.');
      },
    });
    const { pane } = await mount(fake, crm);
    await openTab(pane, 'records');
    const records = part(pane, 'wcp-records');
    await waitUntil(() => records.shadowRoot!.querySelector('[part="linked-record"]'), 'linked record shown');
    button(records, 'Unlink Parcel arrived damaged').click();
    await waitUntil(() => records.shadowRoot!.querySelector('[role="alert"]'), 'error shown');
    expect(records.shadowRoot!.querySelector('[role="alert"]')!.textContent).to.equal('Parcel arrived damaged could not be unlinked. The CRM did not answer.');
    expect(of('unlinkConversation')).to.deep.equal([]);
    expect(fake.links, 'the relay keeps the link, as the CRM does').to.deep.equal([]);
    expect(records.shadowRoot!.querySelector('[part="linked-record"]')).to.not.equal(null);
  });

  it('creates a case in the CRM and links it to the conversation', async () => {
    const fake = newFake();
    const { crm, of } = recordingCrm();
    const { panel, pane } = await mount(fake, crm);
    await openTab(pane, 'records');
    const records = part(pane, 'wcp-records');
    await waitUntil(() => pane.contact, 'contact matched');
    button(records, 'New case').click();
    await records.updateComplete;
    button(records, 'Create case').click();
    await waitUntil(() => fake.links.length === 1, 'linked at the relay');
    const [, created] = of('createRecord')[0]!;
    expect((created as NewRecord).entityType).to.equal('incident');
    expect((created as NewRecord).customer).to.deep.include({ id: 'c-maria' });
    expect(of('linkConversation')[0]![1]).to.deep.include({ id: 'i-new' });
    expect(fake.links[0]).to.deep.include({ id: 'i-new', entityType: 'incident' });
    await expect(panel).to.be.accessible();
  });

  it('shows CRM errors in the area they came from and undoes a CRM link the relay refused', async () => {
    const fake = newFake({ refuseLink: true });
    let searches = 0;
    const { crm, of } = recordingCrm({
      // The first search fails, the second answers.
      searchRecords: async () => {
        if (searches++ === 0) throw new CrmError('The CRM did not answer.');
        return recordResults;
      },
    });
    const { panel, pane } = await mount(fake, crm);
    await openTab(pane, 'records');
    const records = part(pane, 'wcp-records');
    await typeInto(records, 'Search records', 'maria');
    button(records, 'Search').click();
    await waitUntil(() => records.shadowRoot!.querySelector('[role="alert"]'), 'error shown');
    expect(records.shadowRoot!.querySelector('[role="alert"]')!.textContent).to.equal('Records could not be searched. The CRM did not answer.');

    button(records, 'Search').click();
    await waitUntil(() => records.shadowRoot!.querySelectorAll('[part="results"] li').length === 3, 'results shown');
    button(records, 'Link Maria Campbell').click();
    await waitUntil(() => of('unlinkConversation').length === 1, 'CRM link undone');
    expect(of('unlinkConversation')[0]![2]).to.equal('ann-c-maria');
    await waitUntil(() => records.shadowRoot!.querySelector('[role="alert"]')!.textContent!.includes('bad day'), 'relay error shown');
    expect(pane.conversation!.linkedRecord).to.equal(null);
    await expect(panel).to.be.accessible();
  });

  it('searches knowledge in the CRM and shares an article into the composer', async () => {
    const { crm, of } = recordingCrm();
    const { panel, pane } = await mount(newFake(), crm);
    await openTab(pane, 'knowledge');
    const knowledge = part(pane, 'wcp-knowledge');
    await typeInto(knowledge, 'Search knowledge articles', 'tracking');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => knowledge.shadowRoot!.textContent!.includes('Track your order'), 'articles shown');
    expect(of('searchKnowledge').map((c) => c[1])).to.include('tracking');
    button(knowledge, 'Share link to Track your order').click();
    await waitUntil(() => messageBox(panel).value === 'Track your order: https://support.example.com/kb/tracking', 'link in the composer');
    await expect(panel).to.be.accessible();
  });

  it('asks the CRM for smart-assist articles about the latest customer message, and shows its error', async () => {
    const fake = newFake({ messages: { 'conv-1': [makeMessage({ body: 'Where is my parcel? The tracking says nothing' })] } });
    let fail = false;
    const queries: string[] = [];
    const { crm } = recordingCrm({
      async searchKnowledge(query) {
        queries.push(query);
        if (fail) throw new CrmError('Knowledge search is unavailable.');
        return articles;
      },
    });
    const { panel, pane, events } = await mount(fake, crm);
    await waitUntil(() => queries.length === 1, 'assist query sent');
    expect(queries[0]).to.contain('parcel');
    await waitUntil(() => pane.shadowRoot!.querySelector('#tab-assist .count'), 'suggestion count');

    fail = true;
    events.latest.send({ id: '5', type: 'message', data: { conversationId: 'conv-1', message: makeMessage({ body: 'Hello?? Still waiting for my refund' }) } });
    await waitUntil(() => queries.length === 2, 'second assist query');
    await openTab(pane, 'assist');
    await waitUntil(() => pane.shadowRoot!.querySelector('#panel-assist [role="alert"]'), 'assist error shown');
    expect(pane.shadowRoot!.querySelector('#panel-assist [role="alert"]')!.textContent).to.equal('Suggestions could not be loaded. Knowledge search is unavailable.');
    await expect(panel).to.be.accessible();
  });

  it('keeps script progress per conversation and inserts a step with placeholders filled', async () => {
    const { panel, pane } = await mount(newFake({ conversations: [makeConversation(), other] }));
    await openTab(pane, 'scripts');
    const progress = (shown: SidePaneElement) => part(shown, 'wcp-agent-script').shadowRoot!.querySelector('.progress')?.textContent;
    await waitUntil(() => progress(pane) === '0 of 3 steps done', 'scripts loaded');
    control(part(pane, 'wcp-agent-script'), 'Greet the customer').click();
    await waitUntil(() => progress(pane) === '1 of 3 steps done', 'step ticked');

    const paneOfOther = await showSession(panel, 1, 'conv-2');
    await waitUntil(() => progress(paneOfOther) === '0 of 3 steps done', 'other conversation fresh');
    expect((await showSession(panel, 0, 'conv-1')) === pane, 'the same pane as before').to.equal(true);
    await waitUntil(() => progress(pane) === '1 of 3 steps done', 'progress kept');

    await waitUntil(() => pane.contact, 'contact matched');
    button(part(pane, 'wcp-agent-script'), 'Insert: Greet the customer').click();
    await waitUntil(() => messageBox(panel).value === 'Hi Maria Campbell, thanks for reaching out.', 'step text in the composer');
    await expect(panel).to.be.accessible();
  });

  it("shows the CRM's agent scripts, not the relay's, when the CRM keeps some", async () => {
    const fake = newFake();
    const returns = { id: 's-crm', name: 'Returns', steps: [{ id: 'step-1', title: 'Ask for the order number', text: null }] };
    const { pane } = await mount(fake, recordingCrm({ listScripts: async () => [returns] }).crm);
    await openTab(pane, 'scripts');
    const script = part(pane, 'wcp-agent-script');
    await waitUntil(() => script.shadowRoot!.querySelector('.progress')?.textContent === '0 of 1 steps done', 'the CRM script shown');
    expect(script.shadowRoot!.textContent).to.contain('Ask for the order number');
    expect(script.shadowRoot!.textContent).not.to.contain('Greet the customer');
  });

  it('searches transcripts through the relay and opens a hit of one of the agent’s sessions', async () => {
    const hitInSession: SearchHit = { ...searchHits[1]!, conversationId: 'conv-2', customer: other.customer };
    const fake = newFake({ conversations: [makeConversation(), other], hits: [searchHits[0]!, hitInSession] });
    const { panel, pane } = await mount(fake);
    await openTab(pane, 'search');
    const search = part(pane, 'wcp-transcript-search');
    await typeInto(search, 'Search conversations', 'refund');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => search.shadowRoot!.querySelectorAll('[part="results"] button').length === 2, 'hits shown');
    expect(fake.requests).to.include('GET /api/v1/search?q=refund');

    search.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part="results"] button')[1]!.click();
    await waitUntil(() => sessionTabs(panel)[1]!.getAttribute('aria-selected') === 'true', 'session selected');
    expect(shownPane(panel).conversation!.id).to.equal('conv-2');

    // Back in the first session, the search is still there; a hit of no session of the agent's is explained.
    await showSession(panel, 0, 'conv-1');
    search.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part="results"] button')[0]!.click();
    await waitUntil(() => search.shadowRoot!.querySelector('[role="alert"]'), 'not-a-session explained');
    expect(shownPane(panel).conversation!.id).to.equal('conv-1');
    await expect(panel).to.be.accessible();
  });

  it('shows the hit itself when it is in the conversation on screen: scrolled to and marked', async () => {
    const messages = Array.from({ length: 40 }, (_, i) =>
      makeMessage({ id: `m-${i}`, conversationId: 'conv-1', body: i === 0 ? 'My refund never came' : `Message ${i}`, createdAt: new Date(Date.now() - (40 - i) * 60_000).toISOString() }),
    );
    const hit: SearchHit = { ...searchHits[0]!, conversationId: 'conv-1', messageId: 'm-0', snippet: 'My refund never came' };
    const fake = newFake({ messages: { 'conv-1': messages }, hits: [hit] });
    const { panel, pane } = await mount(fake);
    const rows = () => deepQueryAll(panel.shadowRoot!, 'wcp-message');
    await waitUntil(() => rows().some((m) => m.textContent!.includes('Message 39')), 'the newest shown');
    expect(rows().some((m) => (m as HTMLElement & { message: { id: string } }).message.id === 'm-0' && m.getBoundingClientRect().bottom > 0 && m.getBoundingClientRect().top < innerHeight), 'the hit out of view at first').to.equal(false);

    await openTab(pane, 'search');
    const search = part(pane, 'wcp-transcript-search');
    await typeInto(search, 'Search conversations', 'refund');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => search.shadowRoot!.querySelectorAll('[part="results"] button').length === 1, 'hit shown');
    search.shadowRoot!.querySelector<HTMLButtonElement>('[part="results"] button')!.click();
    await waitUntil(() => rows().some((m) => m.hasAttribute('highlighted') && (m as HTMLElement & { message: { id: string } }).message.id === 'm-0'), 'the hit marked');
  });

  it('counts the reply window down on the relay’s clock when a window event carries serverTime', async () => {
    const expires = new Date(Date.now() + 2 * 3600_000).toISOString();
    const { panel, events } = await mount(newFake({ conversations: [makeConversation({ windowExpiresAt: expires })] }));
    const banner = () => deepQueryAll(panel.shadowRoot!, 'wcp-window-banner')[0]!.shadowRoot!.textContent!;
    await waitUntil(() => banner().includes('1 h 59 min left') || banner().includes('2 h left'), 'countdown on our clock');
    // The relay's clock is 90 minutes ahead (the simulator moved it).
    const serverTime = new Date(Date.now() + 90 * 60_000).toISOString();
    events.latest.send({ id: '7', type: 'window', data: { conversationId: 'conv-1', windowExpiresAt: expires, serverTime } });
    await waitUntil(() => /closes in (29|30):\d\d/.test(banner()), 'countdown on the relay clock');
    await expect(panel).to.be.accessible();
  });

  it('stops promising an ad’s free messages when the relay’s clock passes the moment a first reply could still open them', async () => {
    const referral = { sourceType: 'ad', sourceUrl: null, headline: 'Spring sale', body: null, ctwaClid: null };
    const expires = new Date(Date.now() + 20 * 3600_000).toISOString();
    const freeEntryReplyBy = new Date(Date.now() + 60 * 60_000).toISOString();
    const { panel, events } = await mount(newFake({ conversations: [makeConversation({ windowExpiresAt: expires, referral, freeEntryReplyBy })] }));
    const banner = () => deepQueryAll(panel.shadowRoot!, 'wcp-window-banner')[0]!.shadowRoot!.textContent!;
    await waitUntil(() => banner().includes('72 h of free messages start with your first reply before'), 'promised on our clock');
    // The relay's clock is 90 minutes ahead: a reply now would be past the ad message's 24 hours.
    const serverTime = new Date(Date.now() + 90 * 60_000).toISOString();
    events.latest.send({ id: '7', type: 'window', data: { conversationId: 'conv-1', windowExpiresAt: expires, serverTime } });
    await waitUntil(() => !banner().includes('Free entry point'), 'no promise on the relay clock');
    expect(banner()).to.contain('Came from an ad: Spring sale');
  });

  describe('with several sessions, each has its own side pane', () => {
    const sessions = () => newFake({ conversations: [makeConversation(), other] });
    const noteBox = (pane: SidePaneElement) => part(pane, 'wcp-notes').shadowRoot!.querySelector('textarea')!;

    it("keeps a half-typed note with its conversation: another customer's starts empty, switching back shows it", async () => {
      const fake = sessions();
      const { panel, pane } = await mount(fake);
      await openTab(pane, 'notes');
      noteBox(pane).focus();
      await sendKeys({ type: 'Card ending 4242 was charged twice' });

      const paneOfBo = await showSession(panel, 1, 'conv-2');
      expect(paneOfBo.activeTab, 'opens on the tab chosen last').to.equal('notes');
      await part(paneOfBo, 'wcp-notes').updateComplete;
      expect(noteBox(paneOfBo).value).to.equal('');
      expect(button(part(paneOfBo, 'wcp-notes'), 'Add note').disabled).to.equal(true);

      expect((await showSession(panel, 0, 'conv-1')) === pane, 'the same pane as before').to.equal(true);
      expect(noteBox(pane).value).to.equal('Card ending 4242 was charged twice');
      await waitUntil(() => !button(part(pane, 'wcp-notes'), 'Add note').disabled, 'notes loaded');
      button(part(pane, 'wcp-notes'), 'Add note').click();
      await waitUntil(() => fake.notes.length === 1, 'note saved');
      expect(fake.notes[0]).to.deep.include({ conversationId: 'conv-1', body: 'Card ending 4242 was charged twice' });
      await expect(panel).to.be.accessible();
    });

    it('keeps an open "New contact" form with its conversation and creates and links the contact there; the customer is then known', async () => {
      const fake = sessions();
      // A CRM whose phone look-up finds the contacts created in it.
      const created: CrmContact[] = [];
      const { crm, of } = recordingCrm({
        findContactsByPhone: async (phone) => (phone === '+14155550100' ? [maria] : created.filter((c) => c.phone === phone)),
      });
      const createRecord = crm.createRecord.bind(crm);
      crm.createRecord = async (record) => {
        const ref = await createRecord(record);
        created.push({ id: ref.id, fullName: `Bo ${record.fields.lastname}`, phone: record.fields.mobilephone! });
        return ref;
      };
      const { panel, pane: paneOfMaria } = await mount(fake, crm);
      const paneOfBo = await showSession(panel, 1, 'conv-2');
      await openTab(paneOfBo, 'records');
      const records = part(paneOfBo, 'wcp-records');
      button(records, 'New contact').click();
      await records.updateComplete;
      expect(control(records, 'Mobile phone').value).to.equal('+14155550111');

      // A look at Maria's conversation: her pane has its own tab and no form open.
      expect((await showSession(panel, 0, 'conv-1')) === paneOfMaria, 'the same pane as before').to.equal(true);
      expect(paneOfMaria.activeTab).to.equal('summary');
      expect(part(paneOfMaria, 'wcp-records').shadowRoot!.querySelector<HTMLInputElement>('#new-mobilephone')?.value ?? null).to.equal(null);

      await showSession(panel, 1, 'conv-2');
      expect(paneOfBo.activeTab).to.equal('records');
      expect(control(records, 'Mobile phone').value).to.equal('+14155550111');
      await typeInto(records, 'Last name', 'Lind');
      button(records, 'Create contact').click();
      await waitUntil(() => fake.links.length === 1, 'linked at the relay');
      expect((of('createRecord')[0]![1] as NewRecord).fields).to.deep.include({ mobilephone: '+14155550111', lastname: 'Lind' });
      expect((of('linkConversation')[0]![2] as { conversationId: string }).conversationId).to.equal('conv-2');
      expect(fake.requests).to.include('PUT /api/v1/conversations/conv-2/link');
      // No longer an unknown customer: the conversation names the contact and says authenticated.
      await waitUntil(() => panel.shadowRoot!.querySelector('.conversation-header h2')?.textContent?.includes('Bo Lind'), 'the new contact shown');
      expect(panel.shadowRoot!.querySelector('.conversation-header .authenticated')?.textContent).to.equal('Authenticated');
      await expect(panel).to.be.accessible();
    });

    it('shows a note that failed to save in its own conversation, with the note back in the box', async () => {
      const answer = gate();
      const fake = { ...sessions(), refuseNotes: true, noteAnswer: answer.promise };
      const { panel, pane } = await mount(fake);
      await openTab(pane, 'notes');
      noteBox(pane).focus();
      await sendKeys({ type: 'Refund promised' });
      await waitUntil(() => !button(part(pane, 'wcp-notes'), 'Add note').disabled, 'notes loaded');
      button(part(pane, 'wcp-notes'), 'Add note').click();
      await waitUntil(() => fake.requests.includes('POST /api/v1/conversations/conv-1/notes'), 'save asked');

      // The agent moves on before the relay answers.
      const paneOfBo = await showSession(panel, 1, 'conv-2');
      answer.open();
      await aTimeout(200);
      await paneOfBo.updateComplete;
      expect(part(paneOfBo, 'wcp-notes').shadowRoot!.querySelector('[role="alert"]')?.textContent ?? null).to.equal(null);

      await showSession(panel, 0, 'conv-1');
      const notes = part(pane, 'wcp-notes');
      await waitUntil(() => notes.shadowRoot!.querySelector('[role="alert"]'), 'the failure shown');
      expect(notes.shadowRoot!.querySelector('[role="alert"]')!.textContent).to.contain('The note could not be saved.');
      expect(noteBox(pane).value).to.equal('Refund promised');
    });

    it('shows the notes a colleague added while the conversation was theirs when it comes back, and starts its script afresh', async () => {
      const fake = sessions();
      const { panel, events } = await mount(fake);
      const paneOfBo = await showSession(panel, 1, 'conv-2');
      await waitUntil(() => fake.requests.includes('GET /api/v1/conversations/conv-2/notes'), 'notes loaded');
      await openTab(paneOfBo, 'scripts');
      const progress = (shown: SidePaneElement) => part(shown, 'wcp-agent-script').shadowRoot!.querySelector('.progress')?.textContent;
      await waitUntil(() => progress(paneOfBo) === '0 of 3 steps done', 'scripts loaded');
      control(part(paneOfBo, 'wcp-agent-script'), 'Greet the customer').click();
      await waitUntil(() => progress(paneOfBo) === '1 of 3 steps done', 'step ticked');

      // Transferred to Sam, who writes a note (its event goes to Sam, not here), then back.
      events.latest.send({ id: '30', type: 'state', data: { conversationId: 'conv-2', conversation: { ...other, assignedAgentId: 'agent-2' } } });
      await waitUntil(() => sessionTabs(panel).length === 1, 'conv-2 left the sessions');
      fake.notes.push({ id: 'n-sam', conversationId: 'conv-2', agentId: 'agent-2', agentName: 'Sam Rivera', body: 'Sent the replacement today', createdAt: new Date().toISOString() });
      events.latest.send({ id: '31', type: 'state', data: { conversationId: 'conv-2', conversation: other } });
      await waitUntil(() => sessionTabs(panel).length === 2, 'conv-2 back');

      const back = await showSession(panel, 1, 'conv-2');
      await waitUntil(() => progress(back) === '0 of 3 steps done', 'a new session starts its script afresh');
      await openTab(back, 'notes');
      await waitUntil(() => part(back, 'wcp-notes').shadowRoot!.textContent!.includes('Sent the replacement today'), "Sam's note shown");
    });
  });

  describe("the customer's previous conversations", () => {
    const previousRows = (pane: SidePaneElement) =>
      [...part(pane, 'wcp-customer-summary').shadowRoot!.querySelectorAll('[part="previous"] button')].map((b) => b.textContent!.replace(/\s+/g, ' ').trim());

    it('are asked again when the conversation is selected again, the list held staying on screen meanwhile', async () => {
      const earlier = makeConversation({ id: 'conv-old', state: 'active', createdAt: '2025-05-01T09:00:00.000Z' });
      const fake = newFake({ conversations: [makeConversation(), other], previous: [makeConversation(), earlier] });
      const { panel, pane } = await mount(fake);
      await waitUntil(() => previousRows(pane).length === 1, 'previous conversation listed');
      expect(previousRows(pane)[0]).to.contain('Active');

      // Closed since (by a colleague, or by the wrap-up timer).
      fake.previous = [makeConversation(), { ...earlier, state: 'closed', disposition: 'resolved' }];
      const answer = gate();
      fake.previousAnswer = answer.promise;
      await showSession(panel, 1, 'conv-2');
      await showSession(panel, 0, 'conv-1');
      await waitUntil(() => fake.requests.filter((r) => r.startsWith('GET /api/v1/customers/%2B14155550100')).length === 2, 'asked again');
      expect(previousRows(pane), 'while the relay answers').to.have.length(1);
      answer.open();
      await waitUntil(() => previousRows(pane)[0]?.includes('Closed'), 'shown as it is now');
      expect(previousRows(pane)[0]).not.to.contain('Active');
    });

    it("are asked again when another of the customer's conversations changes state", async () => {
      const first = makeConversation();
      const again = makeConversation({ id: 'conv-3', createdAt: new Date().toISOString() });
      const fake = newFake({ conversations: [first, again], previous: [again, first] });
      const { panel, events } = await mount(fake);
      const pane = await showSession(panel, 1, 'conv-3');
      await waitUntil(() => previousRows(pane).length === 1 && previousRows(pane)[0]!.includes('Active'), 'the first one listed, active');

      const closed = { ...first, state: 'closed' as const, disposition: 'resolved' };
      fake.previous = [again, closed];
      fake.conversations = [again];
      events.latest.send({ id: '20', type: 'state', data: { conversationId: 'conv-1', conversation: closed } });
      await waitUntil(() => previousRows(pane)[0]?.includes('Closed'), 'listed as closed');
      expect(shownPane(panel) === pane, 'still on the same pane').to.equal(true);
    });
  });
});
