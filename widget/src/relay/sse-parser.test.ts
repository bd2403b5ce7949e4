import { expect } from '@open-wc/testing';
import { createSseParser, type SseMessage } from './sse-parser.js';

/** Every event the parser passes on for `chunks`, fed in that order. */
function parse(...chunks: string[]): SseMessage[] {
  const events: SseMessage[] = [];
  const parser = createSseParser((message) => events.push(message));
  for (const chunk of chunks) parser.feed(chunk);
  return events;
}

describe('createSseParser', () => {
  it('reads id, event and data, and passes an event on at the blank line', () => {
    expect(parse('id: 42\nevent: message\ndata: {"a":1}\n\n')).to.deep.equal([{ id: '42', event: 'message', data: '{"a":1}' }]);
    expect(parse('id: 42\nevent: message\ndata: {"a":1}\n')).to.deep.equal([]);
  });

  it('gives the same events however the stream is cut', () => {
    const stream = 'id: 1\nevent: ready\ndata: {}\n\n: ping\n\nid: 2\r\nevent: window\r\ndata: {"x":\r\n\r\nid: 3\revent: note\rdata: ok\r\r\n';
    const whole = parse(stream);
    expect(whole).to.deep.equal([
      { id: '1', event: 'ready', data: '{}' },
      { id: '2', event: 'window', data: '{"x":' },
      { id: '3', event: 'note', data: 'ok' },
    ]);
    for (let cut = 1; cut < stream.length; cut++) {
      expect(parse(stream.slice(0, cut), stream.slice(cut)), `cut at ${cut}`).to.deep.equal(whole);
    }
    expect(parse(...stream)).to.deep.equal(whole);
  });

  it('joins data lines with a newline and drops only one space after the colon', () => {
    expect(parse('data:a\ndata:  b\ndata\ndata:\n\n')).to.deep.equal([{ id: undefined, event: undefined, data: 'a\n b\n\n' }]);
  });

  it('ignores comments, retry, unknown fields and events without data', () => {
    expect(parse(': ping\n\nretry: 1000\nfoo: bar\n\nid: 9\nevent: window\n\n')).to.deep.equal([]);
  });

  it('keeps id and event to their own event', () => {
    expect(parse('id: 5\nevent: note\ndata: a\n\ndata: b\n\n')).to.deep.equal([
      { id: '5', event: 'note', data: 'a' },
      { id: undefined, event: undefined, data: 'b' },
    ]);
  });

  it('ignores an id with a NUL in it, and reads a field without a colon as empty', () => {
    expect(parse('id: a\0b\nevent\ndata: x\n\n')).to.deep.equal([{ id: undefined, event: undefined, data: 'x' }]);
  });
});
