/**
 * Debian's Chromium driven by playwright-core (no browser download), plus the small
 * helpers every e2e test uses: pages for agents and customers, screenshots, axe.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { ROOT } from './relay.ts';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = join(ROOT, 'test-output/e2e');
const AXE_PATH = join(ROOT, 'node_modules/axe-core/axe.min.js');

/** Default bound for every expectation and action (the whole suite stays well under 3 minutes). */
export const TIMEOUT_MS = 10_000;

/**
 * Polls `check` until it returns true (or a value other than false/undefined/null), failing
 * after `timeoutMs` with `what` and the last error. playwright-core has no `expect`.
 */
export async function until<T>(what: string, check: () => Promise<T | false | null | undefined>, timeoutMs = TIMEOUT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = null;
  for (;;) {
    try {
      const value = await check();
      if (value !== false && value !== null && value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for: ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Waits until the locator matches exactly one visible element. */
export async function visible(locator: Locator, timeoutMs = TIMEOUT_MS): Promise<Locator> {
  await locator.waitFor({ state: 'visible', timeout: timeoutMs });
  return locator;
}

export async function hidden(locator: Locator, timeoutMs = TIMEOUT_MS): Promise<void> {
  await locator.waitFor({ state: 'hidden', timeout: timeoutMs });
}

export async function count(what: string, locator: Locator, expected: number, timeoutMs = TIMEOUT_MS): Promise<void> {
  await until(`${what}: ${expected}`, async () => (await locator.count()) === expected, timeoutMs);
}

/**
 * Headless Chromium. `launch()` gives every run a fresh temporary user-data-dir (Playwright
 * creates and removes it), so no profile state leaks between runs.
 */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    timeout: 30_000,
  });
}

/** A separate context (own storage) per person: each agent and the customer have their own "device". */
export async function newPerson(
  browser: Browser,
  viewport = { width: 1280, height: 900 },
  options: { bypassCSP?: boolean } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  // bypassCSP only where axe is injected (the relay's CSP forbids inline scripts, rightly).
  const context = await browser.newContext({ viewport, locale: 'en-GB', timezoneId: 'Europe/London', bypassCSP: options.bypassCSP ?? false });
  context.setDefaultTimeout(TIMEOUT_MS);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  pageErrors.set(page, errors);
  return { context, page };
}

const pageErrors = new WeakMap<Page, string[]>();
/** Uncaught errors the page threw (a test can assert there were none). */
export function errorsOf(page: Page): string[] {
  return pageErrors.get(page) ?? [];
}

export async function screenshot(page: Page, name: string, options: { fullPage?: boolean; locator?: Locator } = {}): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  if (options.locator) await options.locator.screenshot({ path, animations: 'disabled' });
  else await page.screenshot({ path, fullPage: options.fullPage ?? false, animations: 'disabled' });
}

// ---- the agent's demo page ------------------------------------------------------------

/** Opens the demo CRM form as the given agent and waits for the panel to be connected. */
export async function openAgent(page: Page, base: string, agent: 'agent-1' | 'agent-2' | 'supervisor' = 'agent-1', phone?: string): Promise<void> {
  const query = new URLSearchParams({ agent });
  if (phone) query.set('phone', phone);
  await page.goto(`${base}/?${query}`);
  await visible(presence(page));
}

export function presence(page: Page): Locator {
  return page.getByRole('combobox', { name: /^Presence/ });
}

export async function setPresence(page: Page, label: 'Available' | 'Busy' | 'Do not disturb' | 'Away' | 'Offline'): Promise<void> {
  const value = { Available: 'available', Busy: 'busy', 'Do not disturb': 'dnd', Away: 'away', Offline: 'offline' }[label];
  await presence(page).selectOption(value);
  // The relay confirmed it: the panel's status dot follows the agent's presence.
  await visible(page.locator(`wcp-presence .dot.${value}`));
}

export function incoming(page: Page): Locator {
  return page.getByRole('alertdialog', { name: 'Incoming WhatsApp conversation' });
}

export function transcript(page: Page): Locator {
  return page.getByRole('log', { name: 'Conversation transcript' });
}

/** A message bubble in the agent's transcript by (part of) its text. */
export function agentMessage(page: Page, text: string): Locator {
  return transcript(page).locator('[data-message-id]').filter({ hasText: text });
}

export function composerBox(page: Page): Locator {
  return page.getByRole('textbox', { name: 'Message', exact: true });
}

export async function agentSend(page: Page, text: string): Promise<void> {
  await composerBox(page).fill(text);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
}

// ---- the keyboard ---------------------------------------------------------------------

/** The focused element (through shadow roots) as a screen reader would name it: its label or its text. */
export async function focusedName(page: Page): Promise<string> {
  return page.evaluate(() => {
    let active = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    if (!active || active === document.body) return '(the page)';
    const labelledBy = active.getAttribute('aria-labelledby');
    const root = active.getRootNode() as Document | ShadowRoot;
    const name = active.getAttribute('aria-label') ?? (labelledBy ? root.getElementById(labelledBy)?.textContent : null) ?? (active as HTMLElement).innerText ?? '';
    return name.replace(/\s+/g, ' ').trim();
  });
}

/** Presses Tab (or Shift+Tab) until the focused element's name matches, at most `limit` times. */
export async function tabTo(page: Page, name: string | RegExp, options: { backwards?: boolean; limit?: number } = {}): Promise<void> {
  const matches = (text: string) => (typeof name === 'string' ? text === name : name.test(text));
  const seen: string[] = [];
  for (let i = 0; i < (options.limit ?? 60); i++) {
    const now = await focusedName(page);
    if (matches(now)) return;
    seen.push(now);
    await page.keyboard.press(options.backwards ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`Tab never reached ${String(name)}; focus went through: ${seen.join(' | ')}`);
}

// ---- the customer's phone (simulator page) --------------------------------------------

export async function openPhone(page: Page, base: string, phone: string, profileName: string): Promise<void> {
  await page.goto(`${base}/simulator/?${new URLSearchParams({ phone, name: profileName })}`);
  await until(`the phone page is set to ${phone}`, async () => (await page.getByLabel('Phone number (E.164)').inputValue()) === phone);
}

export function phoneChat(page: Page): Locator {
  return page.getByRole('log', { name: 'WhatsApp chat' });
}

export function phoneMessage(page: Page, text: string): Locator {
  return phoneChat(page).locator('[data-message-id]').filter({ hasText: text });
}

export async function customerSend(page: Page, text: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Message', exact: true }).fill(text);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await visible(phoneMessage(page, text));
}

// ---- axe ------------------------------------------------------------------------------

export interface AxeViolation {
  id: string;
  impact: 'minor' | 'moderate' | 'serious' | 'critical' | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/**
 * Runs axe-core in the page (shadow DOM included) and returns the serious and critical
 * violations. The page's context needs `bypassCSP` (see newPerson) for the script tag.
 */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE_PATH });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations;
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export function describeViolations(violations: AxeViolation[]): string {
  return violations
    .map((v) => `${v.impact} ${v.id}: ${v.help}\n${v.nodes.map((n) => `  ${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`).join('\n')}`)
    .join('\n');
}
