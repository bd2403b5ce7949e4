import { expect } from '@open-wc/testing';
import type { ReactiveControllerHost } from 'lit';
import type { AgentScript, QuickReply } from '@wcp/protocol';
import type { CrmPort } from '../ports/crm-port.js';
import type { RelayClient } from '../relay/relay-client.js';
import { contactFor, createPanelStore } from '../state/panel-store.js';
import { makeAgent, makeConversation } from '../test/fixtures.js';
import { CrmController } from './crm-controller.js';

function port(answer: (phone: string) => Promise<{ id: string; fullName: string }[]>) {
  const asked: string[] = [];
  const crm = {
    findContactsByPhone: (phone: string) => {
      asked.push(phone);
      return answer(phone);
    },
  } as unknown as CrmPort;
  return { crm, asked };
}

function setUp(initial: CrmPort, retryAfterMs?: number) {
  let crm = initial;
  const host = { addController: () => undefined, removeController: () => undefined, requestUpdate: () => undefined, updateComplete: Promise.resolve(true) } satisfies ReactiveControllerHost;
  const store = createPanelStore();
  const controller = new CrmController(host, store, () => crm, undefined, retryAfterMs);
  controller.hostConnected();
  return { store, controller, setCrm: (next: CrmPort) => (crm = next) };
}

const settle = () => new Promise((resolve) => setTimeout(resolve));
const signIn = (conversations = [makeConversation(), makeConversation({ id: 'conv-2' })]) =>
  ({ type: 'signedIn', agent: makeAgent(), conversations, queued: [], clockOffsetMs: null }) as const;

describe('CrmController', () => {
  it('looks each customer up once by phone and shows the contact', async () => {
    const { crm, asked } = port(async () => [{ id: 'c-1', fullName: 'Ana Lopez' }]);
    const { store } = setUp(crm);
    store.dispatch(signIn());
    await settle();
    expect(asked).to.deep.equal(['+14155550100']);
    expect(contactFor(store.state, store.state.sessions[0]!)?.fullName).to.equal('Ana Lopez');
  });

  it('says once why a look-up failed, asks again a while later (not at every change), and a new port at once', async () => {
    const failing = port(() => Promise.reject(new Error('Principal user is missing prvReadContact privilege.')));
    const { store, controller, setCrm } = setUp(failing.crm, 300);
    store.dispatch(signIn());
    await settle();
    expect(store.state.notice).to.equal('The customer could not be looked up in the CRM: Principal user is missing prvReadContact privilege.');
    store.dispatch({ type: 'notice', text: '' });
    store.dispatch({ type: 'select', conversationId: 'conv-2' });
    await settle();
    expect(failing.asked).to.deep.equal(['+14155550100']);
    expect(contactFor(store.state, store.state.sessions[0]!)).to.equal(null);

    await new Promise((resolve) => setTimeout(resolve, 350));
    store.dispatch({ type: 'select', conversationId: 'conv-1' });
    await settle();
    expect(failing.asked, 'asked again once the wait is over').to.deep.equal(['+14155550100', '+14155550100']);
    expect(store.state.notice, 'not said again while it keeps failing').to.equal('');

    const working = port(async () => [{ id: 'c-1', fullName: 'Ana Lopez' }]);
    setCrm(working.crm);
    controller.hostUpdate();
    await settle();
    expect(working.asked).to.deep.equal(['+14155550100']);
  });

  describe('quick replies and agent scripts', () => {
    const crmReply: QuickReply = { id: 'q-crm', title: 'Begrüßung', body: 'Hallo {customer.name}', tags: [] };
    const relayReply: QuickReply = { id: 'qr-greeting', title: 'Greeting', body: 'Hi {customer.name}', tags: ['hello'] };
    const crmScript: AgentScript = { id: 's-crm', name: 'Returns', steps: [{ id: 'step-1', title: 'Greet', text: null }] };
    const relayScript: AgentScript = { id: 'script-default', name: 'WhatsApp customer service', steps: [] };

    /** The relay's built-in library, counting the requests the panel makes for it. */
    function relayLibrary(fail = false) {
      const asked: string[] = [];
      const answer = <T>(what: string, value: T) => {
        asked.push(what);
        return fail ? Promise.reject(new Error('relay down')) : Promise.resolve(value);
      };
      const relay = { quickReplies: () => answer('quickReplies', [relayReply]), scripts: () => answer('scripts', [relayScript]) } as unknown as RelayClient;
      return { relay, asked };
    }

    function withLibrary(crm: Partial<CrmPort>, relay: RelayClient) {
      let port = crm as CrmPort;
      const host = { addController: () => undefined, removeController: () => undefined, requestUpdate: () => undefined, updateComplete: Promise.resolve(true) } satisfies ReactiveControllerHost;
      const store = createPanelStore();
      const shown: { scripts: AgentScript[] | null; error: unknown } = { scripts: null, error: null };
      const controller = new CrmController(host, store, () => port, {
        relay: () => relay,
        language: () => 'de',
        scriptsLoaded: (scripts) => (shown.scripts = scripts),
        scriptsFailed: (error) => (shown.error = error),
      });
      controller.hostConnected();
      return { store, controller, shown, setCrm: (next: Partial<CrmPort>) => (port = next as CrmPort) };
    }

    const quiet = () => {
      const warnings: string[] = [];
      const original = console.warn;
      console.warn = (text: string) => warnings.push(text);
      return { warnings, restore: () => (console.warn = original) };
    };

    it("uses the CRM's quick replies (asked in the agent's language) and scripts, not the relay's", async () => {
      const languages: string[] = [];
      const { relay, asked } = relayLibrary();
      const { store, controller, shown } = withLibrary(
        { listQuickReplies: async (language) => (languages.push(language), [crmReply]), listScripts: async () => [crmScript] },
        relay,
      );
      await controller.loadLibrary();
      expect(store.state.quickReplies).to.deep.equal([crmReply]);
      expect(shown.scripts).to.deep.equal([crmScript]);
      expect(languages).to.deep.equal(['de']);
      expect(asked).to.deep.equal([]);
    });

    it("falls back to the relay's library when the CRM has none, keeps none, or fails (with a console warning)", async () => {
      const console = quiet();
      try {
        for (const crm of [
          { listQuickReplies: async () => [], listScripts: async () => [] },
          {},
          { listQuickReplies: () => Promise.reject(new Error('wcp_quickreply missing')), listScripts: () => Promise.reject(new Error('no privilege')) },
        ] as Partial<CrmPort>[]) {
          const { relay, asked } = relayLibrary();
          const { store, controller, shown } = withLibrary(crm, relay);
          await controller.loadLibrary();
          expect(store.state.quickReplies).to.deep.equal([relayReply]);
          expect(shown.scripts).to.deep.equal([relayScript]);
          expect(asked).to.have.members(['quickReplies', 'scripts']);
        }
        expect(console.warnings).to.have.length(2);
        expect(console.warnings[0]).to.contain('wcp_quickreply missing');
      } finally {
        console.restore();
      }
    });

    it('says agent scripts could not be loaded when neither the CRM nor the relay gives them', async () => {
      const console = quiet();
      try {
        const { relay } = relayLibrary(true);
        const { store, controller, shown } = withLibrary({ listScripts: () => Promise.reject(new Error('no privilege')) }, relay);
        await controller.loadLibrary();
        expect((shown.error as Error).message).to.equal('relay down');
        expect(shown.scripts).to.equal(null);
        expect(store.state.quickReplies).to.deep.equal([]);
      } finally {
        console.restore();
      }
    });

    it("loads the new CRM's library when the port changes after sign-in", async () => {
      const { relay } = relayLibrary();
      const { store, controller, setCrm } = withLibrary({}, relay);
      await controller.loadLibrary();
      expect(store.state.quickReplies).to.deep.equal([relayReply]);
      setCrm({ findContactsByPhone: async () => [], listQuickReplies: async () => [crmReply], listScripts: async () => [crmScript] });
      controller.hostUpdate();
      await settle();
      expect(store.state.quickReplies).to.deep.equal([crmReply]);
    });
  });

  it('creates a contact shared in the transcript through the CRM port and says so, or why not', async () => {
    const created: unknown[] = [];
    const crm = {
      // The contact created is the customer's: found by their number once it exists.
      findContactsByPhone: async () => (created.length ? [{ id: 'c-9', fullName: 'Bruno Lima' }] : []),
      createRecord: async (record: unknown) => {
        created.push(record);
        if (created.length > 1) throw new Error('A contact needs a last name.');
        return { entityType: 'contact', id: 'c-9', name: 'Bruno Lima' };
      },
    } as unknown as CrmPort;
    const { store, controller } = setUp(crm);
    store.dispatch(signIn([makeConversation()]));
    await settle();
    expect(contactFor(store.state, store.state.sessions[0]!)).to.equal(null);
    const record = { entityType: 'contact', fields: { firstname: 'Bruno', lastname: 'Lima', mobilephone: '+5511912345678' } } as const;
    await controller.createRecord(record);
    expect(created).to.deep.equal([record]);
    expect(store.state.notice).to.equal('Contact created in the CRM: Bruno Lima.');
    await settle();
    expect(contactFor(store.state, store.state.sessions[0]!)?.fullName, 'the customer is known now').to.equal('Bruno Lima');
    await controller.createRecord({ entityType: 'contact', fields: { firstname: 'Bruno' } });
    expect(store.state.notice).to.equal('The contact could not be created: A contact needs a last name.');
  });
});
