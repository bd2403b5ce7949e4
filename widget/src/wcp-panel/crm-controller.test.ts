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
});
