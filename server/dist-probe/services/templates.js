import { DomainError } from "../domain/errors.js";
export const TEMPLATES_REFRESH_MS = 5 * 60 * 1000;
export const TEMPLATES_UNAVAILABLE_MESSAGE = "Twilio's Content API is not answering, so the templates cannot be loaded. Try again in a few minutes.";
export class TemplateCatalogue {
    transport;
    clock;
    cached = null;
    constructor(transport, clock) {
        this.transport = transport;
        this.clock = clock;
    }
    async list() {
        const now = this.clock.now();
        if (!this.cached || now - this.cached.at >= TEMPLATES_REFRESH_MS) {
            try {
                this.cached = { at: now, items: await this.transport.listTemplates(), stale: false };
            }
            catch {
                if (!this.cached)
                    throw new DomainError('templates_unavailable', TEMPLATES_UNAVAILABLE_MESSAGE);
                // Tried again when the next refresh is due, not on every request while Twilio is down.
                this.cached = { ...this.cached, at: now, stale: true };
            }
        }
        return { items: this.cached.items, stale: this.cached.stale };
    }
    async find(contentSid) {
        return (await this.list()).items.find((t) => t.contentSid === contentSid) ?? null;
    }
}
/** The text a template sends, for the transcript: {{1}} etc. replaced by the variables. */
export function renderTemplate(template, variables) {
    return template.body.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key) => variables[key] ?? whole);
}
/** Names of variables the template uses that were not given. */
export function missingVariables(template, variables) {
    const used = [...template.body.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]);
    return [...new Set(used)].filter((key) => !variables[key]?.trim());
}
//# sourceMappingURL=templates.js.map