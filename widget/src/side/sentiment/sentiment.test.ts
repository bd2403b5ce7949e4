import { expect } from '@open-wc/testing';
import { customerSays, message, type ScoredSentence } from '../shared/test-fixtures.js';
import { aggregateSentiment, labelFor } from './sentiment.js';

// The figures are the relay's (RELAY_SENTIMENT); the lexicon itself is tested in server/test/unit/sentiment.test.ts.
describe('aggregateSentiment', () => {
  const one = (text: ScoredSentence) => aggregateSentiment(customerSays(text)).label;

  it('is neutral with nothing to go on', () => {
    expect(aggregateSentiment([])).to.deep.equal({
      label: 'neutral',
      score: 0,
      basis: 0,
      trend: 'steady',
      range: { lowest: 'neutral', highest: 'neutral' },
    });
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
    expect(angryThenCalm.trend).to.equal('improving');
    expect(calmThenAngry.trend).to.equal('worsening');
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

  describe('trend and range over real conversations', () => {
    it('angry then polite: improving, with the angry low kept in the range', () => {
      const result = aggregateSentiment(
        customerSays(
          'Hi, I would like to check the status of my order 4471.',
          'This is terrible, absolutely awful, I want a refund now!!!',
          'I hate this, useless scam!',
          'ok thanks',
          'Thank you so much, that was really helpful!',
        ),
      );
      const whileAngry = aggregateSentiment(
        customerSays('Hi, I would like to check the status of my order 4471.', 'This is terrible, absolutely awful, I want a refund now!!!', 'I hate this, useless scam!'),
      );
      // The level recovers from the angry low without forgetting it: trend and range carry the story.
      expect(result.score).to.be.greaterThan(whileAngry.score);
      expect(result.trend).to.equal('improving');
      expect(result.range).to.deep.equal({ lowest: 'very negative', highest: 'positive' });
    });

    it('steadily polite: positive and steady', () => {
      const result = aggregateSentiment(
        customerSays('ok thanks', 'Thank you so much, that was really helpful!', 'Thank you so much, that was really helpful!'),
      );
      expect(result.label).to.equal('positive');
      expect(result.trend).to.equal('steady');
      expect(result.range).to.deep.equal({ lowest: 'slightly positive', highest: 'positive' });
    });

    it('polite then increasingly angry: worsening and negative', () => {
      const result = aggregateSentiment(
        customerSays(
          'Thank you so much, that was really helpful!',
          'Could you help me reset my password?',
          'That is a bit disappointing',
          'I am not happy with the delay.',
          'I hate this, you are useless and I will cancel everything. Disgusting scam.',
        ),
      );
      expect(result.label).to.be.oneOf(['negative', 'very negative']);
      expect(result.trend).to.equal('worsening');
      expect(result.range).to.deep.equal({ lowest: 'very negative', highest: 'positive' });
    });

    it('a single message: its own level, steady, range of one', () => {
      const result = aggregateSentiment(customerSays('This is the worst service ever, I am furious.'));
      expect(result).to.include({ label: 'negative', trend: 'steady', basis: 1 });
      expect(result.range).to.deep.equal({ lowest: 'negative', highest: 'negative' });
    });

    it('no inbound messages: neutral, steady, nothing in range but neutral', () => {
      const result = aggregateSentiment([message('o1', 'outbound', 'Thank you, wonderful!', 1)]);
      expect(result).to.deep.include({ label: 'neutral', trend: 'steady', basis: 0 });
      expect(result.range).to.deep.equal({ lowest: 'neutral', highest: 'neutral' });
    });
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
