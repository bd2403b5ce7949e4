import { expect } from '@open-wc/testing';
import { customerSays, message, type ScoredSentence } from '../shared/test-fixtures.js';
import { aggregateSentiment, labelFor } from './sentiment.js';

// The figures are the relay's (RELAY_SENTIMENT); the lexicon itself is tested in server/test/unit/sentiment.test.ts.
describe('aggregateSentiment', () => {
  const one = (text: ScoredSentence) => aggregateSentiment(customerSays(text)).label;

  it('is neutral with nothing to go on', () => {
    expect(aggregateSentiment([])).to.deep.equal({ label: 'neutral', score: 0, basis: 0 });
    expect(one('My order number is 4471')).to.equal('neutral');
    expect(one('Hi, I would like to check the status of my order 4471.')).to.equal('neutral');
    expect(one('Could you help me reset my password?')).to.equal('neutral');
  });

  it('reads praise on the positive side of the scale', () => {
    expect(one('ok thanks')).to.equal('slightly positive');
    expect(one('Thank you so much, that was really helpful!')).to.equal('positive');
    expect(one('You are amazing, this is the best service I have ever had. Love it!')).to.equal('very positive');
  });

  it('reads complaints on the negative side of the scale', () => {
    expect(one('That is a bit disappointing')).to.equal('slightly negative');
    expect(one('This is the worst service ever, I am furious.')).to.equal('negative');
    expect(one('I hate this, you are useless and I will cancel everything. Disgusting scam.')).to.equal('very negative');
  });

  it('reads negation and emoji as the relay scored them', () => {
    expect(one('I am not happy with the delay.')).to.equal('negative');
    expect(one('Perfect, problem solved 😊')).to.equal('positive');
  });

  it('weights the most recent message most', () => {
    const angryThenCalm = aggregateSentiment(
      customerSays('This is terrible, absolutely awful, I want a refund now!!!', 'Thank you so much, that was really helpful!'),
    );
    const calmThenAngry = aggregateSentiment(
      customerSays('Thank you so much, that was really helpful!', 'This is terrible, absolutely awful, I want a refund now!!!'),
    );
    expect(angryThenCalm.score).to.be.greaterThan(0);
    expect(calmThenAngry.score).to.be.lessThan(0);
    expect(angryThenCalm.basis).to.equal(2);
  });

  it('lets a factual follow-up soften, not erase, an angry message', () => {
    const result = aggregateSentiment(customerSays('This is the worst service ever, I am furious.', 'Order 4471'));
    expect(result.label).to.equal('negative');
    expect(result.basis).to.equal(1);
  });

  it('forgets messages older than the last ten', () => {
    const old = Array.from({ length: 10 }, (): ScoredSentence => 'Thank you, wonderful!');
    expect(aggregateSentiment(customerSays('I hate this, useless scam!', ...old)).label).to.equal(
      aggregateSentiment(customerSays(...old)).label,
    );
  });

  it('counts only inbound messages with text and figures', () => {
    const angry = customerSays('This is the worst service ever, I am furious.');
    const others = [
      message('o1', 'outbound', 'Thank you, wonderful!', 1),
      message('b1', 'inbound', '  ', 2, { score: 0, comparative: 0, tokens: 1 }),
      // Stored before the relay scored messages, or from an older relay.
      message('u1', 'inbound', 'Thank you, wonderful!', 3, null),
      { ...message('u2', 'inbound', 'Thank you, wonderful!', 4), sentiment: undefined },
    ];
    expect(aggregateSentiment([...angry, ...others])).to.deep.equal(aggregateSentiment(angry));
  });

  it('maps scores to the seven labels in order', () => {
    expect([-4, -2, -1, 0, 1, 2, 4].map(labelFor)).to.deep.equal([
      'very negative',
      'negative',
      'slightly negative',
      'neutral',
      'slightly positive',
      'positive',
      'very positive',
    ]);
  });
});
