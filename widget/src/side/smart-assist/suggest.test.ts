import { expect } from '@open-wc/testing';
import { articles, quickReplies } from '../shared/test-fixtures.js';
import { suggest } from './suggest.js';
import { keywords, tokenize } from './tokens.js';

const ids = (text: string) => suggest(text, quickReplies, articles).map((s) => `${s.kind}:${s.item.id}`);

describe('smart assist', () => {
  it('tokenizes to meaning-bearing, lightly stemmed words', () => {
    expect(tokenize("Hi! My parcels haven't arrived and the box was DAMAGED")).to.deep.equal(['parcel', 'arriv', 'box', 'damag']);
    expect(tokenize('refunds refunded refunding')).to.deep.equal(['refund', 'refund', 'refund']);
    expect(tokenize('Café Müller')).to.deep.equal(['cafe', 'muller']);
    expect(keywords('Refund my refund for the damaged parcel please')).to.deep.equal(['refund', 'damaged', 'parcel']);
  });

  it('ranks the refund reply and article first for a refund question', () => {
    const result = ids('When will I get my refund? It has been a week.');
    expect(result.slice(0, 2)).to.have.members(['quick-reply:q-refund', 'article:k-refund']);
    expect(result).not.to.include('quick-reply:q-greet');
  });

  it('ranks tracking for a delivery question', () => {
    const [first, ...rest] = suggest('Where is my parcel? I need the tracking number', quickReplies, articles);
    expect(`${first!.kind}:${first!.item.id}`).to.be.oneOf(['quick-reply:q-track', 'article:k-track']);
    expect(first!.matched).to.include('parcel');
    expect(rest.map((s) => s.item.id)).to.include(first!.kind === 'article' ? 'q-track' : 'k-track');
  });

  it('suggests the password article for a sign-in problem', () => {
    expect(ids('I forgot my password and cannot sign in')).to.deep.equal(['article:k-password']);
  });

  it('suggests nothing for small talk or an empty message', () => {
    expect(ids('ok thanks')).to.deep.equal([]);
    expect(ids('')).to.deep.equal([]);
  });

  it('ignores placeholder names and caps each kind', () => {
    expect(ids('What is the customer name?')).to.deep.equal([]);
    const many = Array.from({ length: 6 }, (_, i) => ({ id: `r${i}`, title: 'Refund', body: 'refund', tags: [] }));
    expect(suggest('refund', many, [], { perKind: 2 })).to.have.length(2);
  });

  it('orders by score, highest first', () => {
    const scores = suggest('refund for my damaged order, tracking', quickReplies, articles).map((s) => s.score);
    expect(scores).to.deep.equal([...scores].sort((a, b) => b - a));
  });
});
