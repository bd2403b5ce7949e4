import { expect } from '@open-wc/testing';
import type { Conversation } from '@wcp/protocol';
import { makeAgent, makeConversation, makeMessage } from '../test/fixtures.js';
import { memoryStorage } from '../test/memory-storage.js';
import { initialPanelState, reducePanel, type PanelAction, type PanelState } from './panel-store.js';
import { KeptWork, parseWork, serializeWork, workInProgressKey, workInProgressOf } from './work-in-progress.js';

const KEY = workInProgressKey('agent-1');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function run(...actions: PanelAction[]): PanelState {
  return actions.reduce(reducePanel, initialPanelState());
}

function signedIn(conversations: Conversation[]): PanelAction {
  return { type: 'signedIn', agent: makeAgent(), conversations, queued: [], clockOffsetMs: null };
}

/** A storage that counts its writes. */
function countingStorage() {
  const storage = memoryStorage();
  let writes = 0;
  return {
    ...storage,
    setItem: (key: string, value: string) => {
      writes += 1;
      storage.setItem(key, value);
    },
    writes: () => writes,
  };
}

describe('work in progress', () => {
  describe('what is kept', () => {
    it('is the sessions’ drafts, wrap-ups and unread counts, the tabs’ order and the tab shown; nothing empty, nothing of offers or of conversations gone', () => {
      const state = run(
        signedIn([makeConversation({ id: 'conv-1' }), makeConversation({ id: 'conv-2', state: 'wrapup' })]),
        { type: 'draft', conversationId: 'conv-1', draft: 'On my way' },
        { type: 'draft', conversationId: 'conv-2', draft: '' },
        { type: 'draft', conversationId: 'conv-closed', draft: 'Left behind' },
        { type: 'wrapUp', conversationId: 'conv-2', wrapUp: { disposition: 'resolved', summary: '' } },
        { type: 'relayEvent', event: { id: '1', type: 'message', data: { conversationId: 'conv-2', message: makeMessage({ conversationId: 'conv-2' }) } }, now: Date.now() },
      );
      const work = workInProgressOf(state);
      expect(work.order).to.deep.equal(['conv-1', 'conv-2']);
      expect(work.selectedId).to.equal('conv-1');
      expect(Object.fromEntries(work.drafts)).to.deep.equal({ 'conv-1': 'On my way' });
      expect(Object.fromEntries(work.wrapUps)).to.deep.equal({ 'conv-2': { disposition: 'resolved', summary: '' } });
      expect(Object.fromEntries(work.unread)).to.deep.equal({ 'conv-2': 1 });
    });
  });

  describe('reading it back', () => {
    it('ignores what cannot be read, never throwing', () => {
      for (const raw of [null, '', 'not json', '{"format":1', 'null', '42', '"text"', '[]', '{}', '{"format":2,"order":["conv-1"]}']) {
        expect(parseWork(raw), String(raw)).to.equal(null);
      }
    });

    it('keeps the entries that have their shape and leaves out the others', () => {
      const raw = JSON.stringify({
        format: 1,
        order: ['conv-1', 7, null, 'conv-2'],
        selectedId: 12,
        drafts: { 'conv-1': 'Hello', 'conv-2': { text: 'Hello' } },
        wrapUps: { 'conv-1': { disposition: 'resolved', summary: 'Done' }, 'conv-2': { disposition: 'resolved' }, 'conv-3': 'resolved' },
        unread: { 'conv-1': 2, 'conv-2': -1, 'conv-3': 1.5, 'conv-4': '3' },
      });
      const work = parseWork(raw)!;
      expect(work.order).to.deep.equal(['conv-1', 'conv-2']);
      expect(work.selectedId).to.equal(null);
      expect(Object.fromEntries(work.drafts)).to.deep.equal({ 'conv-1': 'Hello' });
      expect(Object.fromEntries(work.wrapUps)).to.deep.equal({ 'conv-1': { disposition: 'resolved', summary: 'Done' } });
      expect([...work.unread]).to.deep.equal([['conv-1', 2]]);
      expect(parseWork('{"format":1,"drafts":"Hello","unread":[3]}')).to.deep.equal({ order: [], selectedId: null, drafts: new Map(), wrapUps: new Map(), unread: new Map() });
    });

    it('reads back what was written', () => {
      const state = run(signedIn([makeConversation({ id: 'conv-1' })]), { type: 'draft', conversationId: 'conv-1', draft: 'Line one\n"quoted" ✓' });
      expect(parseWork(serializeWork(workInProgressOf(state)))).to.deep.equal(workInProgressOf(state));
    });
  });

  describe('in storage', () => {
    const signedInState = () => run(signedIn([makeConversation({ id: 'conv-1' })]));

    it('is written once for a burst of keystrokes, a moment after it, and at once when flushed', async () => {
      const storage = countingStorage();
      const kept = new KeptWork(storage, 'agent-1', 20);
      let state = signedInState();
      for (const draft of ['H', 'He', 'Hel', 'Hell', 'Hello']) {
        state = reducePanel(state, { type: 'draft', conversationId: 'conv-1', draft });
        kept.changed(state);
      }
      expect(storage.writes(), 'nothing yet, while typing').to.equal(0);
      await sleep(60);
      expect(storage.writes()).to.equal(1);
      expect(parseWork(storage.getItem(KEY))!.drafts.get('conv-1')).to.equal('Hello');

      // A change of what is not kept (a notice, the connection) writes nothing.
      kept.changed(reducePanel(state, { type: 'notice', text: 'Saved' }));
      await sleep(60);
      expect(storage.writes()).to.equal(1);

      state = reducePanel(state, { type: 'draft', conversationId: 'conv-1', draft: 'Hello!' });
      kept.changed(state);
      kept.flush();
      expect(storage.writes()).to.equal(2);
      expect(parseWork(storage.getItem(KEY))!.drafts.get('conv-1')).to.equal('Hello!');
      await sleep(60);
      expect(storage.writes(), 'the flush took the pending write').to.equal(2);
    });

    it('is kept per agent: another agent in this tab reads none of it', () => {
      const storage = memoryStorage();
      const mine = new KeptWork(storage, 'agent-1');
      mine.changed(reducePanel(signedInState(), { type: 'draft', conversationId: 'conv-1', draft: 'For agent 1 only' }));
      mine.flush();
      expect(new KeptWork(storage, 'agent-2').read()).to.equal(null);
      expect(new KeptWork(storage, 'agent-1').read()!.drafts.get('conv-1')).to.equal('For agent 1 only');
    });

    it('goes from storage when no session is left', () => {
      const storage = memoryStorage();
      const kept = new KeptWork(storage, 'agent-1');
      const state = reducePanel(signedInState(), { type: 'draft', conversationId: 'conv-1', draft: 'Hello' });
      kept.changed(state);
      kept.flush();
      expect(storage.map.has(KEY)).to.equal(true);
      kept.changed(reducePanel(state, { type: 'handedOver', conversationId: 'conv-1' }));
      kept.flush();
      expect(storage.map.has(KEY), 'no session left').to.equal(false);
    });

    it('never throws when storage is blocked or full: the work stays in the panel', () => {
      const failing = {
        getItem: () => {
          throw new DOMException('blocked', 'SecurityError');
        },
        setItem: () => {
          throw new DOMException('full', 'QuotaExceededError');
        },
        removeItem: () => {
          throw new DOMException('blocked', 'SecurityError');
        },
      };
      const kept = new KeptWork(failing, 'agent-1');
      expect(kept.read()).to.equal(null);
      const typed = reducePanel(signedInState(), { type: 'draft', conversationId: 'conv-1', draft: 'Hello' });
      kept.changed(typed);
      expect(() => kept.flush()).not.to.throw();
      // No session left: the kept work is removed, and removing fails too.
      kept.changed(reducePanel(typed, { type: 'handedOver', conversationId: 'conv-1' }));
      expect(() => kept.flush()).not.to.throw();
      const none = new KeptWork(null, 'agent-1');
      none.changed(signedInState());
      none.flush();
      expect(none.read()).to.equal(null);
    });
  });
});
