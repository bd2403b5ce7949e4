import { expect } from '@open-wc/testing';
import type { ReactiveControllerHost } from 'lit';
import type { CrmPort } from '../ports/crm-port.js';
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

function setUp(initial: CrmPort) {
  let crm = initial;
  const host = { addController: () => undefined, removeController: () => undefined, requestUpdate: () => undefined, updateComplete: Promise.resolve(true) } satisfies ReactiveControllerHost;
  const store = createPanelStore();
  const controller = new CrmController(host, store, () => crm);
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

  it('does not repeat a failed look-up with the same port, and asks a new port again', async () => {
    const failing = port(() => Promise.reject(new Error('CRM down')));
    const { store, controller, setCrm } = setUp(failing.crm);
    store.dispatch(signIn());
    await settle();
    store.dispatch({ type: 'select', conversationId: 'conv-2' });
    await settle();
    expect(failing.asked).to.deep.equal(['+14155550100']);
    expect(contactFor(store.state, store.state.sessions[0]!)).to.equal(null);

    const working = port(async () => [{ id: 'c-1', fullName: 'Ana Lopez' }]);
    setCrm(working.crm);
    controller.hostUpdate();
    await settle();
    expect(working.asked).to.deep.equal(['+14155550100']);
  });

  it('creates a contact shared in the transcript through the CRM port and says so, or why not', async () => {
    const created: unknown[] = [];
    const crm = {
      findContactsByPhone: async () => [],
      createRecord: async (record: unknown) => {
        created.push(record);
        if (created.length > 1) throw new Error('A contact needs a last name.');
        return { entityType: 'contact', id: 'c-9', name: 'Bruno Lima' };
      },
    } as unknown as CrmPort;
    const { store, controller } = setUp(crm);
    const record = { entityType: 'contact', fields: { firstname: 'Bruno', lastname: 'Lima', mobilephone: '+5511912345678' } } as const;
    await controller.createRecord(record);
    expect(created).to.deep.equal([record]);
    expect(store.state.notice).to.equal('Contact created in the CRM: Bruno Lima.');
    await controller.createRecord({ entityType: 'contact', fields: { firstname: 'Bruno' } });
    expect(store.state.notice).to.equal('The contact could not be created: A contact needs a last name.');
  });
});
