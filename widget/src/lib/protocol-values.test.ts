import { expect } from '@open-wc/testing';
import * as protocol from '@wcp/protocol';
import { CONVERSATION_STATES, PRESENCES, WHATSAPP_MEDIA_TYPES, WINDOW_EXPIRED_MESSAGE } from './protocol-values.js';

// The only place the widget touches the protocol's runtime values: a drift check.
describe('protocol values copied into the widget', () => {
  it('match the relay protocol', () => {
    expect(WINDOW_EXPIRED_MESSAGE).to.equal(protocol.WINDOW_EXPIRED_MESSAGE);
    expect(WHATSAPP_MEDIA_TYPES).to.deep.equal(protocol.WHATSAPP_MEDIA_TYPES);
    expect(PRESENCES).to.deep.equal(protocol.PRESENCES);
    expect(CONVERSATION_STATES).to.deep.equal(protocol.CONVERSATION_STATES);
  });
});
