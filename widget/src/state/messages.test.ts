import { expect } from '@open-wc/testing';
import { makeMessage } from '../test/fixtures.js';
import { mergeMessage, mergeMessages } from './messages.js';

describe('mergeMessage (one message into a transcript)', () => {
  const at = (minute: number) => new Date(Date.UTC(2025, 5, 2, 9, minute)).toISOString();
  const transcript = mergeMessages(
    [
      makeMessage({ id: 'a', createdAt: at(1) }),
      makeMessage({ id: 'b', direction: 'outbound', status: 'delivered', createdAt: at(2) }),
      makeMessage({ id: 'c', direction: 'outbound', status: 'sent', createdAt: at(3) }),
    ],
    [],
  );

  // Whatever the case, the answer is the general merge's: the walk only saves its map and sort.
  const cases = {
    'a newer copy (status forward) in its place': makeMessage({ id: 'c', direction: 'outbound', status: 'read', createdAt: at(3) }),
    'an older copy (status back) keeps the status': makeMessage({ id: 'b', direction: 'outbound', status: 'sent', createdAt: at(2) }),
    'a copy with another time moves': makeMessage({ id: 'a', createdAt: at(5) }),
    'a new newest message at the end': makeMessage({ id: 'd', createdAt: at(4) }),
    'a new message as old as the newest after it': makeMessage({ id: 'e', createdAt: at(3) }),
    'a new older message in its place': makeMessage({ id: 'f', createdAt: at(0) }),
  };
  for (const [name, message] of Object.entries(cases)) {
    it(name, () => {
      const merged = mergeMessage(transcript, message);
      expect(merged).to.deep.equal(mergeMessages(transcript, [message]));
      expect(transcript.map((m) => m.id), 'the transcript itself unchanged').to.deep.equal(['a', 'b', 'c']);
    });
  }

  it('keeps the other messages as the same objects', () => {
    const merged = mergeMessage(transcript, cases['a newer copy (status forward) in its place']);
    expect(merged[0]).to.equal(transcript[0]);
    expect(merged[1]).to.equal(transcript[1]);
    expect(merged[2]!.status).to.equal('read');
  });

  it('starts an empty transcript', () => {
    expect(mergeMessage([], cases['a new newest message at the end'])).to.deep.equal([cases['a new newest message at the end']]);
  });
});
