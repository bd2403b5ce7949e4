import type { PanelContext, PanelInputs } from '../WhatsAppPanel/map-context.ts';

/** A model-driven form's context as the control sees it, with the properties overridable. */
export function mockContext(overrides: {
  parameters?: Partial<Record<keyof PanelInputs, string | null>>;
  contextInfo?: PanelContext['mode']['contextInfo'];
  isDarkTheme?: boolean;
  userId?: string;
  userName?: string;
} = {}): PanelContext {
  const values: Record<string, string | null> = {
    phone: '+1 (555) 010-1234',
    relayUrl: 'https://relay.contoso.com',
    templateLanguage: 'en',
    authMode: 'entra',
    knowledgeUrlTemplate: null,
    ...overrides.parameters,
  };
  const parameters = Object.fromEntries(Object.entries(values).map(([name, raw]) => [name, { raw }])) as unknown as PanelInputs;
  return {
    parameters,
    userSettings: { userId: overrides.userId ?? '{4A1C1C8E-0C6B-EF11-A670-000D3A8B1234}', userName: overrides.userName ?? 'Avery Agent' },
    mode: {
      isControlDisabled: false,
      contextInfo:
        'contextInfo' in overrides
          ? overrides.contextInfo
          : { entityTypeName: 'contact', entityId: '{B3D2E5F0-1A2B-4C3D-8E9F-001122334455}', entityRecordName: 'Maria Garcia' },
    },
    ...(overrides.isDarkTheme === undefined ? {} : { fluentDesignLanguage: { isDarkTheme: overrides.isDarkTheme } }),
  };
}
