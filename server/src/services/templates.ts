/**
 * The WhatsApp templates (every one, with its category and approval status), from the
 * transport, refreshed at most every 5 minutes on the relay's clock. When a refresh fails the
 * last good list is served, marked stale, until the next refresh is due; with no list yet the
 * answer is 502 templates_unavailable — never a 500.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../domain/clock.ts';
import { DomainError } from '../domain/errors.ts';
import type { MessageTemplate } from '@wcp/protocol';
import type { Transport } from '../transport/port.ts';

export const TEMPLATES_REFRESH_MS = 5 * 60 * 1000;

export const TEMPLATES_UNAVAILABLE_MESSAGE = "Twilio's Content API is not answering, so the templates cannot be loaded. Try again in a few minutes.";

export class TemplateCatalogue {
  private cached: { at: number; items: MessageTemplate[]; stale: boolean } | null = null;

  constructor(
    private readonly transport: Transport,
    private readonly clock: Clock,
    private readonly log: Pick<FastifyBaseLogger, 'warn'>,
  ) {}

  async list(): Promise<{ items: MessageTemplate[]; stale: boolean }> {
    const now = this.clock.now();
    if (!this.cached || now - this.cached.at >= TEMPLATES_REFRESH_MS) {
      try {
        this.cached = { at: now, items: await this.transport.listTemplates(), stale: false };
      } catch (err) {
        // The agent sees "unavailable" or a stale list; the operator needs Twilio's reason.
        this.log.warn({ err }, this.cached ? 'templates not refreshed from Twilio: the last list is served, marked stale' : 'templates not loaded from Twilio');
        if (!this.cached) throw new DomainError('templates_unavailable', TEMPLATES_UNAVAILABLE_MESSAGE);
        // Tried again when the next refresh is due, not on every request while Twilio is down.
        this.cached = { ...this.cached, at: now, stale: true };
      }
    }
    return { items: this.cached.items, stale: this.cached.stale };
  }

  async find(contentSid: string): Promise<MessageTemplate | null> {
    return (await this.list()).items.find((t) => t.contentSid === contentSid) ?? null;
  }
}

/** The text a template sends, for the transcript: {{1}} etc. replaced by the variables. */
export function renderTemplate(template: MessageTemplate, variables: Record<string, string>): string {
  return template.body.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key: string) => variables[key] ?? whole);
}

/** The variable names a template's body uses, each once. */
function usedVariables(template: MessageTemplate): string[] {
  return [...new Set([...template.body.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]!))];
}

/** Names of variables the template uses that were not given. */
export function missingVariables(template: MessageTemplate, variables: Record<string, string>): string[] {
  return usedVariables(template).filter((key) => !variables[key]?.trim());
}

/**
 * WhatsApp refuses a template whose parameter text has a line break, a tab or more than four
 * spaces in a row (Meta's template parameter rules): Twilio takes the send and it fails later,
 * after the agent has moved on — refused up front instead.
 */
const UNSENDABLE_IN_VARIABLE = /[\r\n\t]| {5}/;

/** Names of variables the template uses whose values WhatsApp would refuse. */
export function unsendableVariables(template: MessageTemplate, variables: Record<string, string>): string[] {
  return usedVariables(template).filter((key) => UNSENDABLE_IN_VARIABLE.test(variables[key] ?? ''));
}
