import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { LitElement } from 'lit';
import { sendKeys } from '@web/test-runner-commands';
import type { CrmFailure, Message, SupervisorOverview } from '@wcp/protocol';
import { useLocale } from '../i18n/locale.js';
import { RELAY, makeMessage } from '../test/fixtures.js';
import { deepQueryAll } from '../test/deep-query.js';
import { devToken, eventsEndpoint, http, HttpResponse, startRelayMock, worker } from '../test/relay-mock.js';
import type { WcpSupervisor } from './wcp-supervisor.js';
import './wcp-supervisor.js';

const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
const inFuture = (ms: number) => new Date(Date.now() + ms).toISOString();

function overview(): SupervisorOverview {
  return {
    agents: [
      { id: 'agent-1', name: 'Alex Morgan', presence: 'available', load: 1, capacity: 3 },
      { id: 'agent-2', name: 'Sam Rivera', presence: 'offline', load: 0, capacity: 3 },
    ],
    queues: [{ id: 'general', name: 'General', numbers: [], agentIds: [], waiting: 1, longestWaitSince: ago(65_000) }],
    conversations: [
      {
        id: 'conv-open',
        state: 'open',
        agentId: null,
        offeredTo: 'agent-1',
        queueId: 'general',
        customer: { phone: '+14155550100', profileName: 'Ana WhatsApp', waId: '14155550100' },
        windowExpiresAt: inFuture(23 * 3600_000 + 30 * 60_000 + 30_000),
        sentiment: { score: -6, comparative: -2, tokens: 3 },
        waitingSince: ago(65_000),
      },
      {
        id: 'conv-active',
        state: 'active',
        agentId: 'agent-1',
        queueId: 'general',
        customer: { phone: '+14155550111', profileName: null, waId: null },
        windowExpiresAt: ago(1000),
        sentiment: null,
        waitingSince: null,
      },
    ],
  };
}

/** The relay's supervisor routes, as the relay answers them; records what the page sent. */
function supervisorRelay() {
  const fake = {
    overview: overview(),
    failures: [] as CrmFailure[],
    messages: {} as Record<string, Message[]>,
    overviewReads: 0,
    assignAnswer: null as null | { status: number; error: string; message: string },
    assigned: [] as unknown[],
    transferred: [] as unknown[],
    stateChanges: [] as unknown[],
    retried: [] as unknown[],
  };
  const handlers = [
    // As the relay does: the refused writes named (or all of them) are due again and leave the list.
    http.post(`${RELAY}/api/v1/supervisor/crm-failures/retry`, async ({ request }) => {
      const body = (await request.json()) as { conversationIds?: string[] };
      fake.retried.push(body);
      const retried = fake.failures.map((f) => f.conversationId).filter((id) => !body.conversationIds || body.conversationIds.includes(id));
      fake.failures = fake.failures.filter((f) => !retried.includes(f.conversationId));
      return HttpResponse.json({ retried }, { status: 202 });
    }),
    http.get(`${RELAY}/api/v1/supervisor/overview`, () => {
      fake.overviewReads++;
      return HttpResponse.json(fake.overview);
    }),
    http.get(`${RELAY}/api/v1/supervisor/crm-failures`, () => HttpResponse.json({ items: fake.failures })),
    http.get(`${RELAY}/api/v1/dispositions`, () =>
      HttpResponse.json({ items: [{ id: 'resolved', label: 'Resolved' }, { id: 'spam', label: 'Spam' }] }),
    ),
    http.post(`${RELAY}/api/v1/conversations/:id/assign`, async ({ params, request }) => {
      const answer = fake.assignAnswer;
      if (answer) return HttpResponse.json({ error: answer.error, message: answer.message }, { status: answer.status });
      fake.assigned.push({ id: params.id, ...((await request.json()) as object) });
      return HttpResponse.json({ id: params.id });
    }),
    http.post(`${RELAY}/api/v1/conversations/:id/transfer`, async ({ params, request }) => {
      fake.transferred.push({ id: params.id, ...((await request.json()) as object) });
      return new HttpResponse(null, { status: 202 });
    }),
    http.put(`${RELAY}/api/v1/conversations/:id/state`, async ({ params, request }) => {
      fake.stateChanges.push({ id: params.id, ...((await request.json()) as object) });
      return HttpResponse.json({ id: params.id });
    }),
    http.get(`${RELAY}/api/v1/conversations/:id/messages`, ({ params }) =>
      HttpResponse.json({ items: fake.messages[params.id as string] ?? [], next: null }),
    ),
  ];
  return { fake, handlers };
}

const table = (el: Element, name: string) =>
  [...el.shadowRoot!.querySelectorAll('table')].find((t) => t.querySelector('caption')?.textContent?.trim() === name);
const rows = (t: HTMLTableElement | undefined) => [...(t?.tBodies[0]?.rows ?? [])].map((r) => [...r.cells].map((c) => c.textContent!.replace(/\s+/g, ' ').trim()));
const rowOf = (el: Element, customer: string) =>
  [...table(el, 'Conversations')!.tBodies[0]!.rows].find((r) => r.cells[0]!.textContent!.includes(customer))!;
const buttonIn = (root: ParentNode, name: string) => [...root.querySelectorAll('button')].find((b) => b.textContent!.trim() === name)!;
/** The dialog element's host has rendered the last change. */
const settled = (dialog: Element) => ((dialog.getRootNode() as ShadowRoot).host as LitElement).updateComplete;
const openDialog = (el: Element) => deepQueryAll(el.shadowRoot!, 'dialog[open]')[0] as HTMLDialogElement | undefined;

describe('wcp-supervisor', () => {
  before(startRelayMock);
  afterEach(() => worker.resetHandlers());

  async function mount() {
    const events = eventsEndpoint();
    const relay = supervisorRelay();
    worker.use(events.handler, ...relay.handlers);
    const el = await fixture<WcpSupervisor>(html`<wcp-supervisor relay-url=${RELAY} token=${devToken('supervisor')}></wcp-supervisor>`);
    await events.waitForConnections(1);
    await waitUntil(() => table(el, 'Conversations'), 'overview shown');
    return { el, events, fake: relay.fake };
  }

  it('says when the relay listed only the newest of the live conversations, and not otherwise', async () => {
    const { el, fake, events } = await mount();
    expect(el.shadowRoot!.querySelector('.shown-of'), 'every live conversation listed').to.equal(null);
    fake.overview = { ...overview(), conversationsTotal: 1450 };
    events.latest.send({ id: '300', type: 'queue', data: { queueId: 'general', waiting: 1, longestWaitSince: null } });
    await waitUntil(() => el.shadowRoot!.querySelector('.shown-of'), 'the note');
    expect(el.shadowRoot!.querySelector('.shown-of')!.textContent).to.equal('Showing the newest 2 of 1,450 live conversations; the queues above count them all.');
    expect(table(el, 'Conversations'), 'the table keeps its name').to.be.instanceOf(HTMLTableElement);
  });

  it('shows agents, queues and conversations as tables with column headers', async () => {
    const { el } = await mount();
    expect(rows(table(el, 'Agents'))).to.deep.equal([
      ['Alex Morgan', 'Available', '1 of 3'],
      ['Sam Rivera', 'Offline', '0 of 3'],
    ]);
    const [queue] = rows(table(el, 'Queues'));
    expect(queue!.slice(0, 2)).to.deep.equal(['General', '1']);
    expect(queue![2]).to.match(/^1:0\d$/, 'longest wait as a duration');
    const headers = [...table(el, 'Conversations')!.tHead!.rows[0]!.cells].map((c) => c.textContent!.trim());
    expect(headers).to.deep.equal(['Customer', 'State', 'Agent', 'Queue', 'Window left', 'Sentiment', 'Waiting since', 'Actions']);
    const [open, active] = rows(table(el, 'Conversations'));
    expect(open!.slice(0, 6)).to.deep.equal(['Ana WhatsApp +14155550100', 'Open', 'Offered to Alex Morgan', 'General', '23 h 30 min', 'Very negative']);
    expect(active!.slice(0, 5)).to.deep.equal(['+14155550111', 'Active', 'Alex Morgan', 'General', 'Expired']);
    expect(table(el, 'CRM writes that failed'), 'no failures, no table').to.equal(undefined);
    // Waiting for an agent, or held by one: either can be given to an agent (a wrap-up cannot: below).
    expect(buttonIn(rowOf(el, '+14155550111'), 'Assign').disabled).to.equal(false);
    expect(buttonIn(rowOf(el, 'Ana WhatsApp'), 'Assign').disabled).to.equal(false);
    await expect(el).to.be.accessible();
  });

  it("moves a conversation an agent holds to another agent (a transfer, by the supervisor); a wrap-up stays with its agent", async () => {
    const { el, fake, events } = await mount();
    buttonIn(rowOf(el, '+14155550111'), 'Assign').click();
    await waitUntil(() => openDialog(el), 'dialog open');
    const dialog = openDialog(el)!;
    const select = dialog.querySelector('select')!;
    select.value = 'agent-2';
    select.dispatchEvent(new Event('change'));
    await settled(dialog);
    buttonIn(dialog, 'Assign').click();
    await waitUntil(() => !openDialog(el), 'dialog closed');
    expect(fake.transferred).to.deep.equal([{ id: 'conv-active', agentId: 'agent-2' }]);
    expect(fake.assigned).to.deep.equal([]);

    fake.overview = { ...overview(), conversations: overview().conversations.map((c) => (c.id === 'conv-active' ? { ...c, state: 'wrapup' as const } : c)) };
    events.latest.send({ id: '301', type: 'queue', data: { queueId: 'general', waiting: 1, longestWaitSince: null } });
    await waitUntil(() => rows(table(el, 'Conversations'))[1]?.[1] === 'Wrap-up', 'in wrap-up');
    expect(buttonIn(rowOf(el, '+14155550111'), 'Assign').disabled).to.equal(true);
  });

  it('ticks the longest wait', async () => {
    const { el } = await mount();
    const wait = () => rows(table(el, 'Queues'))[0]![2];
    const before = wait();
    await waitUntil(() => wait() !== before, 'the wait moved on', { timeout: 2500 });
  });

  it('follows the event stream live, one re-read per burst of events', async () => {
    const { el, events, fake } = await mount();
    const readsBefore = fake.overviewReads;
    fake.overview = overview();
    fake.overview.queues[0]!.waiting = 2;
    fake.overview.conversations.push({
      ...fake.overview.conversations[0]!,
      id: 'conv-new',
      customer: { phone: '+14155550122', profileName: 'Ben New', waId: null },
    });
    for (let i = 0; i < 6; i++) events.latest.send({ id: String(100 + i), type: 'queue', data: { queueId: 'general', waiting: 2, longestWaitSince: ago(1000) } });
    await waitUntil(() => rows(table(el, 'Conversations')).some((r) => r[0]!.startsWith('Ben New')), 'the new conversation appears');
    expect(rows(table(el, 'Queues'))[0]![1]).to.equal('2');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(fake.overviewReads - readsBefore, 'six events, coalesced').to.be.at.most(2);

    // Closed elsewhere (auto-close, an agent): the next read drops it.
    fake.overview = { ...fake.overview, conversations: fake.overview.conversations.filter((c) => c.id !== 'conv-new') };
    events.latest.send({ id: '200', type: 'state', data: { conversationId: 'conv-new', conversation: {} as never } });
    await waitUntil(() => !rows(table(el, 'Conversations')).some((r) => r[0]!.startsWith('Ben New')), 'dropped');
  });

  it('measures windows and waits on the relay clock when a window event says it moved', async () => {
    const { el, events } = await mount();
    const windowLeft = () => rows(table(el, 'Conversations'))[0]![4];
    expect(windowLeft()).to.equal('23 h 30 min');
    const relayNow = new Date(Date.now() + 2 * 3600_000).toISOString();
    events.latest.send({ id: '150', type: 'window', data: { conversationId: 'conv-open', windowExpiresAt: inFuture(23 * 3600_000 + 30 * 60_000 + 30_000), serverTime: relayNow } });
    await waitUntil(() => windowLeft() === '21 h 30 min', 'two hours less left');
    expect(rows(table(el, 'Queues'))[0]![2]).to.match(/^2:01:0\d$/, 'the longest wait grew by two hours');
  });

  it('assigns to a chosen agent, saying in plain words when the agent cannot take it', async () => {
    const { el, fake } = await mount();
    const opener = buttonIn(rowOf(el, 'Ana WhatsApp'), 'Assign');
    opener.click();
    await waitUntil(() => openDialog(el), 'dialog open');
    const dialog = openDialog(el)!;
    expect(dialog.textContent).to.contain('Assign conversation with Ana WhatsApp');
    const select = dialog.querySelector('select')!;
    expect([...select.options].map((o) => o.textContent!.trim())).to.deep.equal(['Choose…', 'Alex Morgan (Available, 1 of 3)', 'Sam Rivera (Offline, 0 of 3)']);
    await expect(el).to.be.accessible();

    fake.assignAnswer = { status: 409, error: 'agent_unavailable', message: 'Sam Rivera is offline.' };
    select.value = 'agent-2';
    select.dispatchEvent(new Event('change'));
    await settled(dialog);
    buttonIn(dialog, 'Assign').focus();
    buttonIn(dialog, 'Assign').click();
    await waitUntil(() => dialog.querySelector('[role="alert"]'), 'refusal shown');
    expect(dialog.querySelector('[role="alert"]')!.textContent).to.equal('Sam Rivera cannot take it now: not Available or Busy, or at capacity (as listed). Choose another agent.');
    expect(openDialog(el), 'the dialog stays open to choose again').to.equal(dialog);
    // Assign, disabled while the relay answered, dropped the focus: it is back on the choice.
    await waitUntil(() => (dialog.getRootNode() as ShadowRoot).activeElement === select, 'focus back on "Agent"');

    fake.assignAnswer = null;
    select.value = 'agent-1';
    select.dispatchEvent(new Event('change'));
    await settled(dialog);
    buttonIn(dialog, 'Assign').click();
    await waitUntil(() => !openDialog(el), 'dialog closed');
    expect(fake.assigned).to.deep.equal([{ id: 'conv-open', agentId: 'agent-1' }]);
    expect(el.shadowRoot!.textContent).to.contain('Offered to Alex Morgan.');
    expect(el.shadowRoot!.activeElement, 'focus back on the row').to.equal(opener);
    await expect(el).to.be.accessible();
  });

  it('force closes with a disposition and an optional summary', async () => {
    const { el, fake } = await mount();
    buttonIn(rowOf(el, '+14155550111'), 'Force close').click();
    await waitUntil(() => openDialog(el)?.querySelectorAll('option').length === 3, 'dispositions listed');
    const dialog = openDialog(el)!;
    const submit = buttonIn(dialog, 'Close conversation');
    expect(submit.disabled, 'no disposition, no close').to.equal(true);
    const select = dialog.querySelector('select')!;
    select.value = 'spam';
    select.dispatchEvent(new Event('change'));
    const summary = dialog.querySelector('textarea')!;
    summary.value = '  Bulk messages  ';
    summary.dispatchEvent(new Event('input'));
    await settled(dialog);
    submit.click();
    await waitUntil(() => !openDialog(el), 'dialog closed');
    expect(fake.stateChanges).to.deep.equal([{ id: 'conv-active', state: 'closed', disposition: 'spam', summary: 'Bulk messages' }]);
    // Its row goes: the focus stays on the page, on the Conversations table.
    expect(el.shadowRoot!.activeElement?.matches('table.conversations')).to.equal(true);
  });

  it('closes a dialog with Escape and puts the focus back on its button', async () => {
    const { el } = await mount();
    const opener = buttonIn(rowOf(el, 'Ana WhatsApp'), 'Force close');
    opener.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => openDialog(el), 'dialog open by keyboard');
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !openDialog(el), 'dialog closed');
    expect(el.shadowRoot!.activeElement).to.equal(opener);
  });

  it('shows any transcript read-only, customer text as text', async () => {
    const { el, fake } = await mount();
    fake.messages['conv-open'] = [
      makeMessage({ id: 'm1', conversationId: 'conv-open', direction: 'inbound', body: '<img src=x onerror="window.pwned=1">Where is my order?' }),
      makeMessage({ id: 'm2', conversationId: 'conv-open', direction: 'outbound', agentId: 'agent-1', body: 'Checking now' }),
    ];
    buttonIn(rowOf(el, 'Ana WhatsApp'), 'Transcript').click();
    await waitUntil(() => openDialog(el)?.querySelectorAll('li').length === 2, 'transcript shown');
    const dialog = openDialog(el)!;
    const [first, second] = [...dialog.querySelectorAll('li')];
    expect(first!.textContent).to.contain('Ana WhatsApp');
    expect(first!.textContent).to.contain('<img src=x onerror="window.pwned=1">Where is my order?');
    expect(dialog.querySelector('img')).to.equal(null);
    expect(second!.textContent).to.contain('Alex Morgan');
    expect(dialog.querySelector('textarea, input'), 'nothing to write with').to.equal(null);
    expect((window as { pwned?: number }).pwned).to.equal(undefined);
  });

  it('lists CRM writes that failed, with the error, only while there are any', async () => {
    const { el, events, fake } = await mount();
    fake.failures = [{ conversationId: 'conv-active', attempts: 1, failedAt: ago(0), error: 'Dataverse 403: grant the application user the "WhatsApp panel relay" security role.' }];
    events.latest.send({ id: '300', type: 'state', data: { conversationId: 'conv-active', conversation: {} as never } });
    await waitUntil(() => table(el, 'CRM writes that failed'), 'failures shown');
    const [row] = rows(table(el, 'CRM writes that failed'));
    expect(row![0]).to.equal('+14155550111');
    expect(row![2]).to.equal('1');
    expect(row![3]).to.contain('security role');
    await expect(el).to.be.accessible();
  });

  it("tries a refused CRM write again at Retry, and every one at Retry all, once the cause is fixed", async () => {
    const { el, events, fake } = await mount();
    const refused = (conversationId: string) => ({ conversationId, attempts: 1, failedAt: ago(0), error: 'Dataverse 403: grant the application user the "WhatsApp panel relay" security role.' });
    fake.failures = [refused('conv-active'), refused('conv-open')];
    events.latest.send({ id: '301', type: 'state', data: { conversationId: 'conv-active', conversation: {} as never } });
    await waitUntil(() => rows(table(el, 'CRM writes that failed')).length === 2, 'both failures shown');
    const [first] = [...table(el, 'CRM writes that failed')!.tBodies[0]!.rows];
    buttonIn(first!, 'Retry').click();
    await waitUntil(() => rows(table(el, 'CRM writes that failed')).length === 1, 'the retried write left the list');
    expect(fake.retried).to.deep.equal([{ conversationIds: ['conv-active'] }]);
    expect(el.shadowRoot!.textContent).to.contain('The CRM writes will be tried again.');
    buttonIn(el.shadowRoot!, 'Retry all').click();
    await waitUntil(() => !table(el, 'CRM writes that failed'), 'no failures left, no table');
    expect(fake.retried).to.deep.equal([{ conversationIds: ['conv-active'] }, {}]);
  });

  it('speaks the chosen language, right to left in Arabic', async () => {
    const events = eventsEndpoint();
    const relay = supervisorRelay();
    worker.use(events.handler, ...relay.handlers);
    try {
      const el = await fixture<WcpSupervisor>(html`<wcp-supervisor relay-url=${RELAY} token=${devToken('supervisor')} locale="ar"></wcp-supervisor>`);
      await waitUntil(() => table(el, 'الوكلاء'), 'Agents in Arabic');
      expect(el.getAttribute('dir')).to.equal('rtl');
      expect(el.getAttribute('lang')).to.equal('ar');
      expect(table(el, 'قوائم الانتظار'), 'Queues in Arabic').to.not.equal(undefined);
      const conversations = table(el, 'المحادثات')!;
      expect(buttonIn(conversations, 'إسناد'), 'Assign in Arabic').to.not.equal(undefined);
      expect(buttonIn(conversations, 'فرض الإغلاق'), 'Force close in Arabic').to.not.equal(undefined);
    } finally {
      await useLocale('en');
    }
  });

  it('says plainly when the token is not a supervisor’s', async () => {
    const events = eventsEndpoint();
    worker.use(
      events.handler,
      http.get(`${RELAY}/api/v1/supervisor/overview`, () => HttpResponse.json({ error: 'forbidden', message: 'Only a supervisor may do this.' }, { status: 403 })),
      http.get(`${RELAY}/api/v1/supervisor/crm-failures`, () => HttpResponse.json({ error: 'forbidden', message: 'Only a supervisor may do this.' }, { status: 403 })),
      http.get(`${RELAY}/api/v1/dispositions`, () => HttpResponse.json({ items: [] })),
    );
    const el = await fixture<WcpSupervisor>(html`<wcp-supervisor relay-url=${RELAY} token=${devToken('agent-1')}></wcp-supervisor>`);
    await waitUntil(() => el.shadowRoot!.querySelector('[role="alert"]'), 'refusal shown');
    expect(el.shadowRoot!.querySelector('[role="alert"]')!.textContent).to.contain('does not have the supervisor role');
  });
});
