/**
 * The form's Fluent v9 theme (`context.fluentDesignLanguage.tokenTheme`) as `<wcp-panel>`'s
 * `--wcp-*` custom properties. Pure, unit-tested (test/fluent-theme.test.ts); the control sets
 * the result as inline style on the panel, where it wins over the panel's light/dark defaults.
 */

/** Panel custom property ← the Fluent token it takes its value from. */
export const FLUENT_TOKEN_MAP: Readonly<Record<string, string>> = {
  '--wcp-font-family': 'fontFamilyBase',
  '--wcp-color-brand': 'colorBrandBackground',
  '--wcp-color-brand-hover': 'colorBrandBackgroundHover',
  '--wcp-color-on-brand': 'colorNeutralForegroundOnBrand',
  '--wcp-color-surface': 'colorNeutralBackground1',
  '--wcp-color-surface-alt': 'colorNeutralBackground3',
  '--wcp-color-text': 'colorNeutralForeground1',
  '--wcp-color-text-subtle': 'colorNeutralForeground2',
  '--wcp-color-border': 'colorNeutralStroke1',
  '--wcp-color-danger': 'colorPaletteRedForeground1',
  '--wcp-color-danger-surface': 'colorPaletteRedBackground1',
  '--wcp-color-warning': 'colorPaletteDarkOrangeForeground1',
  '--wcp-color-warning-surface': 'colorPaletteDarkOrangeBackground1',
  '--wcp-color-success': 'colorPaletteGreenForeground1',
  '--wcp-color-bubble-inbound': 'colorNeutralBackground1',
  '--wcp-color-bubble-outbound': 'colorBrandBackground2',
  '--wcp-color-read': 'colorBrandForeground1',
  '--wcp-color-highlight': 'colorPaletteYellowBackground2',
  '--wcp-radius': 'borderRadiusMedium',
};

/** A token's value as one CSS value: a string without characters that could end the declaration. */
function cssValue(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed && !/[;{}<>]/.test(trimmed) ? trimmed : undefined;
}

/**
 * The panel's custom properties for the tokens the theme has; `{}` without a theme (the panel
 * then keeps its own light or dark defaults).
 */
export function panelThemeVariables(tokenTheme: Readonly<Record<string, unknown>> | null | undefined): Record<string, string> {
  const variables: Record<string, string> = {};
  if (!tokenTheme) return variables;
  for (const [property, token] of Object.entries(FLUENT_TOKEN_MAP)) {
    const value = cssValue(tokenTheme[token]);
    if (value) variables[property] = value;
  }
  return variables;
}
