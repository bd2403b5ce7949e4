import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { aggregateSentiment } from '@wcp/protocol/sentiment';
import { scoreMessage } from '../../src/sentiment/score.ts';

/**
 * The panel's label tests (widget/src/side/sentiment/sentiment.test.ts) feed these same
 * figures by hand: a change here must be mirrored there.
 */
describe('scoreMessage', () => {
  const figures = (text: string) => {
    const { score, tokens } = scoreMessage(text);
    return { score, tokens };
  };

  it('finds nothing in factual messages and support-chat requests', () => {
    assert.deepEqual(scoreMessage('My order number is 4471'), { score: 0, comparative: 0, tokens: 5 });
    assert.deepEqual(figures('Order 4471'), { score: 0, tokens: 2 });
    // "like", "help", "please", "want" are AFINN-positive but requests here.
    assert.deepEqual(figures('Hi, I would like to check the status of my order 4471.'), { score: 0, tokens: 12 });
    assert.deepEqual(figures('Could you help me reset my password?'), { score: 0, tokens: 7 });
    assert.deepEqual(figures('Can you please help, I want to change my address'), { score: 0, tokens: 10 });
  });

  it('scores praise positive', () => {
    assert.deepEqual(scoreMessage('ok thanks'), { score: 2, comparative: 1, tokens: 2 });
    assert.deepEqual(figures('Thank you so much, that was really helpful!'), { score: 4, tokens: 8 });
    assert.deepEqual(figures('You are amazing, this is the best service I have ever had. Love it!'), { score: 10, tokens: 14 });
    assert.deepEqual(figures('Thank you, wonderful!'), { score: 6, tokens: 3 });
  });

  it('scores complaints negative', () => {
    assert.deepEqual(figures('That is a bit disappointing'), { score: -2, tokens: 5 });
    assert.deepEqual(figures('This is the worst service ever, I am furious.'), { score: -6, tokens: 9 });
    assert.deepEqual(figures('I hate this, you are useless and I will cancel everything. Disgusting scam.'), { score: -11, tokens: 13 });
    // "want" stays neutral: the anger is in "terrible" and "awful".
    assert.deepEqual(figures('This is terrible, absolutely awful, I want a refund now!!!'), { score: -6, tokens: 10 });
    assert.deepEqual(figures('I hate this, useless scam!'), { score: -7, tokens: 5 });
  });

  it('understands negation and emoji', () => {
    assert.deepEqual(figures('I am not happy with the delay.'), { score: -4, tokens: 7 });
    assert.deepEqual(figures('Perfect, problem solved 😊'), { score: 5, tokens: 4 });
  });

  it('negates a word past the intensifiers between it and "not"', () => {
    assert.deepEqual(figures('I am not very happy'), { score: -3, tokens: 5 });
    assert.deepEqual(figures('This is not really good'), { score: -3, tokens: 5 });
    assert.deepEqual(figures('not so good, not too happy'), { score: -6, tokens: 6 });
  });

  it('reads a reassurance ("no worries", "not a problem") as neutral, not as a complaint', () => {
    assert.deepEqual(figures('No worries!'), { score: 0, tokens: 2 });
    assert.deepEqual(figures('No problem at all'), { score: 0, tokens: 4 });
    assert.deepEqual(figures('That is not a problem'), { score: 0, tokens: 5 });
    assert.deepEqual(figures('no problem, thanks'), { score: 2, tokens: 3 });
    // "no" before anything else is still what AFINN says it is.
    assert.deepEqual(figures('No, this is terrible'), { score: -4, tokens: 4 });
  });

  it('reads an emoji written right after a word, or several in a row, as WhatsApp users type them', () => {
    assert.deepEqual(figures('This is terrible😡'), figures('This is terrible 😡'));
    assert.deepEqual(figures('😡😡😡'), { score: -3, tokens: 3 });
    assert.deepEqual(figures('thanks😊'), { score: 5, tokens: 2 });
    // A skin tone or the emoji presentation selector does not hide the emoji.
    assert.deepEqual(figures('👍🏽'), figures('👍'));
    assert.deepEqual(figures('❤️'), { score: 3, tokens: 1 });
  });

  it('gives the score per token as comparative', () => {
    const { score, comparative, tokens } = scoreMessage('This is the worst service ever, I am furious.');
    assert.equal(comparative, score / tokens);
    assert.ok(Number.isFinite(scoreMessage('').comparative));
  });
});

/** What the agent sees in the side pane and the supervisor in the overview. */
describe('the label a customer message gets', () => {
  const label = (text: string) => aggregateSentiment([{ direction: 'inbound', body: text, sentiment: scoreMessage(text) }]).label;

  it('is negative for an angry emoji glued to the word before it', () => {
    assert.equal(label('This is terrible😡'), 'negative');
    assert.equal(label('😡😡😡'), 'negative');
    assert.equal(label('thanks😊'), 'positive');
  });

  it('is not positive for "not" before an intensified word', () => {
    assert.equal(label('I am not very happy'), 'negative');
    assert.equal(label('This is not really good'), 'negative');
  });

  it('is not negative for a reassurance', () => {
    assert.equal(label('No worries!'), 'neutral');
    assert.equal(label('no problem, thanks'), 'slightly positive');
  });
});
