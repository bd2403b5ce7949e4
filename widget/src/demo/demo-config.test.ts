import { expect } from '@open-wc/testing';
import { configUrl, isDemoConfig, needsRefresh, pageOptions, tokenExpiresAt } from './demo-config.js';

const jwt = (claims: object) =>
  `eyJhbGciOiJIUzI1NiJ9.${btoa(JSON.stringify(claims)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')}.sig`;

describe('demo config', () => {
  it('passes ?agent= through to /demo/config', () => {
    expect(configUrl('')).to.equal('/demo/config');
    expect(configUrl('?agent=agent-2&x=1')).to.equal('/demo/config?agent=agent-2');
    expect(configUrl('?agent=Megan%20B')).to.equal('/demo/config?agent=Megan%20B');
  });

  it('reads ?lang= and ?theme= for the panel', () => {
    expect(pageOptions('')).to.deep.equal({ locale: 'en', theme: undefined });
    expect(pageOptions('?lang=ar&theme=dark')).to.deep.equal({ locale: 'ar', theme: 'dark' });
    expect(pageOptions('?lang=de&theme=light')).to.deep.equal({ locale: 'de', theme: 'light' });
    expect(pageOptions('?theme=purple')).to.deep.equal({ locale: 'en', theme: undefined });
  });

  it('checks the answer shape', () => {
    expect(isDemoConfig({ relayUrl: 'http://127.0.0.1:3000', token: 't', agent: { id: 'a', name: 'A' } })).to.equal(true);
    expect(isDemoConfig({ relayUrl: 'x', token: 't' })).to.equal(false);
    expect(isDemoConfig(null)).to.equal(false);
  });

  it('reads a JWT expiry and refreshes a minute early', () => {
    const token = jwt({ sub: 'agent-1', name: 'Alex', exp: 2_000_000_000 });
    expect(tokenExpiresAt(token)).to.equal(2_000_000_000_000);
    expect(needsRefresh(token, 2_000_000_000_000 - 120_000)).to.equal(false);
    expect(needsRefresh(token, 2_000_000_000_000 - 30_000)).to.equal(true);
    expect(tokenExpiresAt('not-a-jwt')).to.equal(null);
    expect(needsRefresh('not-a-jwt', Date.now())).to.equal(false);
  });
});
