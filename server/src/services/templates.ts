/** The approved WhatsApp templates, from the transport, cached briefly. */
import type { Clock } from '../domain/clock.ts';
import type { MessageTemplate } from '@wcp/protocol';
import type { Transport } from '../transport/port.ts';

const CACHE_MS = 5 * 60 * 1000;

export class TemplateCatalogue {
  private cached: { at: number; items: MessageTemplate[] } | null = null;

  constructor(
    private readonly transport: Transport,
    private readonly clock: Clock,
  ) {}

  async list(): Promise<MessageTemplate[]> {
    const now = this.clock.now();
    if (!this.cached || now - this.cached.at > CACHE_MS) {
      this.cached = { at: now, items: await this.transport.listTemplates() };
    }
    return this.cached.items;
  }

  async find(contentSid: string): Promise<MessageTemplate | null> {
    return (await this.list()).find((t) => t.contentSid === contentSid) ?? null;
  }
}

/** The text a template sends, for the transcript: {{1}} etc. replaced by the variables. */
export function renderTemplate(template: MessageTemplate, variables: Record<string, string>): string {
  return template.body.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key: string) => variables[key] ?? whole);
}

/** Names of variables the template uses that were not given. */
export function missingVariables(template: MessageTemplate, variables: Record<string, string>): string[] {
  const used = [...template.body.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]!);
  return [...new Set(used)].filter((key) => !variables[key]?.trim());
}
