import { expect } from '@open-wc/testing';
import { labelFor, scoreSentiment } from './sentiment.js';

describe('scoreSentiment', () => {
  const one = (text: string) => scoreSentiment([text]).label;

  it('is neutral with nothing to go on', () => {
    expect(scoreSentiment([])).to.deep.equal({ label: 'neutral', score: 0, basis: 0 });
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
    expect(one('I hate this, you are useless and I will cancel everything. Disgusting scam.')).to.equal(
      'very negative',
    );
  });

  it('understands negation and emoji', () => {
    expect(one('I am not happy with the delay.')).to.equal('negative');
    expect(one('Perfect, problem solved 😊')).to.equal('positive');
  });

  it('weights the most recent message most', () => {
    const angryThenCalm = scoreSentiment([
      'This is terrible, absolutely awful, I want a refund now!!!',
      'Thank you so much, that was really helpful!',
    ]);
    const calmThenAngry = scoreSentiment([
      'Thank you so much, that was really helpful!',
      'This is terrible, absolutely awful, I want a refund now!!!',
    ]);
    expect(angryThenCalm.score).to.be.greaterThan(0);
    expect(calmThenAngry.score).to.be.lessThan(0);
    expect(angryThenCalm.basis).to.equal(2);
  });

  it('lets a factual follow-up soften, not erase, an angry message', () => {
    const result = scoreSentiment(['This is the worst service ever, I am furious.', 'Order 4471']);
    expect(result.label).to.equal('negative');
    expect(result.basis).to.equal(1);
  });

  it('forgets messages older than the last ten', () => {
    const old = Array.from({ length: 10 }, () => 'Thank you, wonderful!');
    expect(scoreSentiment(['I hate this, useless scam!', ...old]).label).to.equal(
      scoreSentiment(old).label,
    );
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
