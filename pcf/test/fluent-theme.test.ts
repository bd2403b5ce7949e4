import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FLUENT_TOKEN_MAP, panelThemeVariables } from '../WhatsAppPanel/fluent-theme.ts';

// A slice of Fluent v9's webLightTheme / webDarkTheme (@fluentui/tokens), as Power Apps passes it.
const light = {
  fontFamilyBase: "'Segoe UI', 'Segoe UI Web (West European)', sans-serif",
  colorBrandBackground: '#0f6cbd',
  colorBrandBackgroundHover: '#115ea3',
  colorNeutralForegroundOnBrand: '#ffffff',
  colorNeutralBackground1: '#ffffff',
  colorNeutralBackground3: '#f5f5f5',
  colorNeutralForeground1: '#242424',
  colorNeutralForeground2: '#424242',
  colorNeutralStroke1: '#d1d1d1',
  colorPaletteRedForeground1: '#bc2f32',
  colorBrandBackground2: '#ebf3fc',
  borderRadiusMedium: '4px',
  fontSizeBase300: '14px',
};

test('Fluent tokens become the panel custom properties', () => {
  assert.deepEqual(panelThemeVariables(light), {
    '--wcp-font-family': light.fontFamilyBase,
    '--wcp-color-brand': '#0f6cbd',
    '--wcp-color-brand-hover': '#115ea3',
    '--wcp-color-on-brand': '#ffffff',
    '--wcp-color-surface': '#ffffff',
    '--wcp-color-surface-alt': '#f5f5f5',
    '--wcp-color-text': '#242424',
    '--wcp-color-text-subtle': '#424242',
    '--wcp-color-border': '#d1d1d1',
    '--wcp-color-danger': '#bc2f32',
    '--wcp-color-bubble-inbound': '#ffffff',
    '--wcp-color-bubble-outbound': '#ebf3fc',
    '--wcp-radius': '4px',
  });
});

test('no theme, or tokens that are missing, empty, not strings or not one CSS value, set nothing', () => {
  assert.deepEqual(panelThemeVariables(undefined), {});
  assert.deepEqual(panelThemeVariables(null), {});
  assert.deepEqual(panelThemeVariables({}), {});
  assert.deepEqual(
    panelThemeVariables({ colorBrandBackground: '', colorNeutralBackground1: 12, colorNeutralForeground1: 'red; background: url(x)', colorNeutralStroke1: '  #666666 ' }),
    { '--wcp-color-border': '#666666' },
  );
});

test('every mapped property is one the panel declares', async () => {
  const { readFile } = await import('node:fs/promises');
  const manifest = JSON.parse(await readFile(new URL('../../widget/custom-elements.json', import.meta.url), 'utf8')) as {
    modules: { declarations?: { tagName?: string; cssProperties?: { name: string }[] }[] }[];
  };
  const panel = manifest.modules.flatMap((m) => m.declarations ?? []).find((d) => d.tagName === 'wcp-panel');
  const declared = new Set(panel?.cssProperties?.map((p) => p.name));
  for (const property of Object.keys(FLUENT_TOKEN_MAP)) assert.ok(declared.has(property), `${property} is not a <wcp-panel> custom property`);
});
