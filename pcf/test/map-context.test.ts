import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_AGENT_NAME, mapContext, validateRelayUrl } from '../WhatsAppPanel/map-context.ts';
import { mockContext } from './mock-context.ts';

function settingsOf(result: ReturnType<typeof mapContext>) {
  assert.ok(result.ok, result.ok ? '' : result.error);
  return result.settings;
}

describe('mapContext', () => {
  test('maps a contact form to panel properties', () => {
    const settings = settingsOf(mapContext(mockContext()));
    assert.deepEqual(settings.panel, {
      phone: '+15550101234',
      theme: 'light',
      locale: 'en',
      templateLanguage: 'en',
      record: {
        entityType: 'contact',
        id: 'b3d2e5f0-1a2b-4c3d-8e9f-001122334455',
        name: 'Maria Garcia',
        fields: { phone: '+1 (555) 010-1234' },
      },
    });
    assert.equal(settings.relayUrl, 'https://relay.contoso.com');
    assert.deepEqual(settings.agent, { id: '4a1c1c8e-0c6b-ef11-a670-000d3a8b1234', name: 'Avery Agent' });
    assert.equal(settings.notice, undefined);
  });

  test('normalizes the bound phone to E.164', () => {
    const phoneOf = (raw: string | null) => settingsOf(mapContext(mockContext({ parameters: { phone: raw } }))).panel.phone;
    assert.equal(phoneOf('0044 20 7946 0958'), '+442079460958');
    assert.equal(phoneOf('whatsapp:+4915112345678'), '+4915112345678');
    assert.equal(phoneOf('+34 612-345-678'), '+34612345678');
    assert.equal(phoneOf(null), '');
    assert.equal(phoneOf('   '), '');
  });

  test('a phone without country code gives an empty phone and a notice, not an error', () => {
    const settings = settingsOf(mapContext(mockContext({ parameters: { phone: '(555) 010-1234' } })));
    assert.equal(settings.panel.phone, '');
    assert.match(settings.notice ?? '', /"\(555\) 010-1234" is not in international format/);
  });

  test('a missing or bad relay URL is an error the control shows', () => {
    const errorOf = (relayUrl: string | null) => {
      const result = mapContext(mockContext({ parameters: { relayUrl } }));
      assert.equal(result.ok, false);
      return result.ok ? '' : result.error;
    };
    assert.match(errorOf(null), /no relay URL/);
    assert.match(errorOf('relay.contoso.com'), /not a valid URL/);
    assert.match(errorOf('http://relay.contoso.com'), /must use https/);
    assert.match(errorOf('https://relay.contoso.com/?x=1'), /query or a fragment/);
  });

  test('relay URL: trailing slashes dropped, path kept, http only on localhost', () => {
    assert.deepEqual(validateRelayUrl(' https://relay.contoso.com/ '), { ok: true, url: 'https://relay.contoso.com' });
    assert.deepEqual(validateRelayUrl('https://contoso.com/wcp//'), { ok: true, url: 'https://contoso.com/wcp' });
    assert.deepEqual(validateRelayUrl('http://localhost:3000'), { ok: true, url: 'http://localhost:3000' });
    assert.deepEqual(validateRelayUrl('http://127.0.0.1:3000/'), { ok: true, url: 'http://127.0.0.1:3000' });
  });

  test('the panel language follows the user\'s CRM language; the Fluent tokens become panel colours', () => {
    const german = settingsOf(mapContext({ ...mockContext(), userSettings: { userId: 'u1', userName: 'A', languageId: 1031 } }));
    assert.equal(german.panel.locale, 'de');
    assert.deepEqual(settingsOf(mapContext(mockContext())).themeVariables, {});
    const themed = settingsOf(mapContext({ ...mockContext(), fluentDesignLanguage: { isDarkTheme: true, tokenTheme: { colorBrandBackground: '#8a2be2' } } }));
    assert.deepEqual(themed.themeVariables, { '--wcp-color-brand': '#8a2be2' });
    assert.equal(themed.panel.theme, 'dark');
  });

  test('theme follows the Fluent design language', () => {
    assert.equal(settingsOf(mapContext(mockContext({ isDarkTheme: true }))).panel.theme, 'dark');
    assert.equal(settingsOf(mapContext(mockContext({ isDarkTheme: false }))).panel.theme, 'light');
  });

  test('no record on a form that is not saved yet, or outside a form', () => {
    const unsaved = mockContext({ contextInfo: { entityTypeName: 'incident', entityId: '', entityRecordName: '' } });
    // null, not absent: updateView assigns it, so a record that goes away is cleared on the panel.
    assert.equal(settingsOf(mapContext(unsaved)).panel.record, null);
    assert.equal(settingsOf(mapContext(mockContext({ contextInfo: undefined }))).panel.record, null);
  });

  test("entra mode (the default) needs nothing more: tenant, app and scope are the relay's settings", () => {
    assert.deepEqual(settingsOf(mapContext(mockContext())).auth, { mode: 'entra' });
    assert.deepEqual(settingsOf(mapContext(mockContext({ parameters: { authMode: null } }))).auth, { mode: 'entra' });
    assert.deepEqual(mapContext(mockContext({ parameters: { authMode: 'saml' } })), { ok: false, error: 'Unknown authentication mode "saml": use "entra" or "dev".' });
  });

  test('dev mode signs in as the Dynamics user', () => {
    const settings = settingsOf(mapContext(mockContext({ parameters: { authMode: 'dev' } })));
    assert.deepEqual(settings.auth, { mode: 'dev', agentId: '4a1c1c8e-0c6b-ef11-a670-000d3a8b1234', agentName: 'Avery Agent' });
  });

  test('a blank user name (the PCF test harness gives "") falls back to the user id, then to a default', () => {
    const dev = (overrides: { userName?: string; userId?: string }) => settingsOf(mapContext(mockContext({ parameters: { authMode: 'dev' }, ...overrides })));
    const empty = dev({ userName: '' });
    assert.deepEqual(empty.agent, { id: '4a1c1c8e-0c6b-ef11-a670-000d3a8b1234', name: '4a1c1c8e-0c6b-ef11-a670-000d3a8b1234' });
    assert.deepEqual(empty.auth, { mode: 'dev', agentId: '4a1c1c8e-0c6b-ef11-a670-000d3a8b1234', agentName: '4a1c1c8e-0c6b-ef11-a670-000d3a8b1234' });
    assert.equal(dev({ userName: '   ' }).agent.name, '4a1c1c8e-0c6b-ef11-a670-000d3a8b1234');
    assert.equal(dev({ userName: '  Avery Agent ' }).agent.name, 'Avery Agent');
    assert.deepEqual(dev({ userName: '', userId: '' }).agent, { id: '', name: DEFAULT_AGENT_NAME });
  });

  test('an empty template language is left to the panel', () => {
    assert.equal(settingsOf(mapContext(mockContext({ parameters: { templateLanguage: '' } }))).panel.templateLanguage, '');
  });
});
