/**
 * ComponentFramework context -> plain settings for `<wcp-panel>` and its relay connection.
 * Pure: no DOM, no I/O, so it is tested with a mock context (test/map-context.test.ts).
 */
import { controlText } from '@wcp/widget/control-text';
import type { IInputs } from './generated/ManifestTypes';
import { panelThemeVariables } from './fluent-theme.ts';
import { toE164 } from './phone.ts';
import { panelLanguageOf, type PanelLanguage } from './user-locale.ts';

/**
 * The manifest's properties as the context hands them over: the part of pcf-scripts' `IInputs`
 * (generated from ControlManifest.Input.xml) this module reads, so a renamed or retyped property
 * is a type error here.
 */
export type PanelInputs = { [K in keyof IInputs]: Pick<IInputs[K], 'raw'> } & { phone: Pick<IInputs['phone'], 'formatted'> };

/** `context.mode.contextInfo` is filled on a model-driven form but is not in the typings. */
interface FormContextInfo {
  entityId?: string;
  entityTypeName?: string;
  entityRecordName?: string;
}

/** The slice of ComponentFramework.Context this module reads. */
export interface PanelContext {
  parameters: PanelInputs;
  userSettings: Pick<ComponentFramework.UserSettings, 'userId' | 'userName'> & Partial<Pick<ComponentFramework.UserSettings, 'languageId'>>;
  mode: Pick<ComponentFramework.Mode, 'isControlDisabled'> & { contextInfo?: FormContextInfo };
  fluentDesignLanguage?: { isDarkTheme?: boolean; tokenTheme?: Readonly<Record<string, unknown>> };
}

export interface FormRecord {
  entityType: string;
  id: string;
  name: string;
  fields: Record<string, string>;
}

export type AuthSettings =
  | { mode: 'dev'; agentId: string; agentName: string }
  /** Tenant, app registration and scope are the relay's settings: its sign-in page uses them. */
  | { mode: 'entra' };

/** Everything `<wcp-panel>` gets from the form, except the relay client and the CRM port. */
export interface PanelProps {
  /** E.164, or '' when the column is empty or not an international number. */
  phone: string;
  /** null: no saved record (set on the panel too, so one that goes away is cleared). */
  record: FormRecord | null;
  /** '': the panel's own choice (the agent's language). */
  templateLanguage: string;
  theme: 'light' | 'dark';
  /** The CRM user's language (`userSettings.languageId`). */
  locale: PanelLanguage;
}

export interface ControlSettings {
  relayUrl: string;
  auth: AuthSettings;
  panel: PanelProps;
  agent: { id: string; name: string };
  knowledgeUrlTemplate?: string;
  /** The form's Fluent theme as the panel's `--wcp-*` custom properties (`{}` without one). */
  themeVariables: Record<string, string>;
  /** Shown above the panel, e.g. a phone column that is not in international format. */
  notice?: string;
}

export type MapResult = { ok: true; settings: ControlSettings } | { ok: false; error: string };

export function mapContext(context: PanelContext): MapResult {
  const params = context.parameters;
  const relayUrl = validateRelayUrl(params.relayUrl.raw);
  if (!relayUrl.ok) return relayUrl;

  const agent = agentOf(context.userSettings);
  const auth = authSettings(params, agent);
  if (!auth.ok) return auth;

  const rawPhone = text(params.phone.raw);
  const phone = toE164(rawPhone);
  const record = formRecord(context.mode.contextInfo, rawPhone);
  const templateLanguage = text(params.templateLanguage?.raw);
  const knowledgeUrlTemplate = text(params.knowledgeUrlTemplate?.raw);

  const settings: ControlSettings = {
    relayUrl: relayUrl.url,
    auth: auth.settings,
    agent,
    panel: {
      phone: phone ?? '',
      theme: context.fluentDesignLanguage?.isDarkTheme ? 'dark' : 'light',
      locale: panelLanguageOf(context.userSettings.languageId),
      record: record ?? null,
      templateLanguage: templateLanguage ?? '',
    },
    ...(knowledgeUrlTemplate ? { knowledgeUrlTemplate } : {}),
    themeVariables: panelThemeVariables(context.fluentDesignLanguage?.tokenTheme),
  };
  if (rawPhone && !phone) {
    settings.notice = controlText.phoneNotInternational(rawPhone);
  }
  return { ok: true, settings };
}

/** An absolute https URL without query or fragment; plain http only for a relay on this machine. */
export function validateRelayUrl(raw: string | null | undefined): { ok: true; url: string } | { ok: false; error: string } {
  const value = text(raw);
  if (!value) {
    return { ok: false, error: controlText.noRelayUrl() };
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { ok: false, error: controlText.relayUrlInvalid(value) };
  }
  const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) {
    return { ok: false, error: controlText.relayUrlNotHttps(value) };
  }
  if (url.search || url.hash || url.username || url.password) {
    return { ok: false, error: controlText.relayUrlHasExtras(value) };
  }
  return { ok: true, url: `${url.origin}${url.pathname.replace(/\/+$/, '')}` };
}

function authSettings(
  params: PanelInputs,
  agent: { id: string; name: string },
): { ok: true; settings: AuthSettings } | { ok: false; error: string } {
  const mode = text(params.authMode?.raw) ?? 'entra';
  if (mode === 'dev') return { ok: true, settings: { mode: 'dev', agentId: agent.id, agentName: agent.name } };
  if (mode !== 'entra') return { ok: false, error: controlText.unknownAuthMode(mode) };
  return { ok: true, settings: { mode: 'entra' } };
}

function formRecord(info: FormContextInfo | undefined, rawPhone: string | undefined): FormRecord | undefined {
  const id = info?.entityId ? normalizeGuid(info.entityId) : '';
  // A record that is not saved yet has no id: nothing to link or prefill from.
  if (!info?.entityTypeName || !id) return undefined;
  return {
    entityType: info.entityTypeName,
    id,
    name: info.entityRecordName ?? '',
    fields: rawPhone ? { phone: rawPhone } : {},
  };
}

/** Shown as the agent's name when the context gives neither a user name nor a user id. */
export const DEFAULT_AGENT_NAME = 'Dynamics 365 user';

/**
 * The signed-in user as the relay's agent. The PCF test harness (pcf-start) gives an empty
 * userName (and the relay refuses a blank name), so a missing or blank name falls back to the
 * user id, and failing that to DEFAULT_AGENT_NAME.
 */
export function agentOf(user: Partial<Pick<ComponentFramework.UserSettings, 'userId' | 'userName'>>): { id: string; name: string } {
  const id = normalizeGuid(user.userId ?? '').trim();
  return { id, name: text(user.userName) ?? (id || DEFAULT_AGENT_NAME) };
}

/** Dataverse hands out `{GUID}` in upper case in places; the Web API and the relay use bare lower case. */
export function normalizeGuid(id: string): string {
  return id.replace(/[{}]/g, '').toLowerCase();
}

function text(value: string | null | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
