import { ClientCredentials, TokenError } from "./token.js";
const API = '/api/data/v9.2';
export class DataverseClient {
    config;
    credentials;
    constructor(config) {
        this.config = config;
        this.credentials = new ClientCredentials(config);
    }
    async upsert(entitySet, id, row) {
        for (let renewed = false;; renewed = true) {
            let response;
            try {
                response = await fetch(`${this.config.url}${API}/${entitySet}(${id})`, {
                    method: 'PATCH',
                    headers: {
                        authorization: `Bearer ${await this.credentials.token()}`,
                        'content-type': 'application/json; charset=utf-8',
                        accept: 'application/json',
                        'odata-version': '4.0',
                        'odata-maxversion': '4.0',
                    },
                    body: JSON.stringify(row),
                    signal: AbortSignal.timeout(30_000),
                });
            }
            catch (error) {
                if (error instanceof TokenError)
                    return error.permanent ? { kind: 'failed', error: error.message } : { kind: 'retry', retryAfterMs: null, error: error.message };
                return { kind: 'retry', retryAfterMs: null, error: `Dataverse did not answer: ${error.message}` };
            }
            if (response.status === 204 || response.status === 200 || response.status === 201)
                return { kind: 'done' };
            const reason = await odataError(response);
            if (response.status === 401 && !renewed) {
                this.credentials.forget();
                continue;
            }
            if (response.status === 429 || response.status >= 500)
                return { kind: 'retry', retryAfterMs: retryAfter(response), error: `Dataverse ${response.status}: ${reason}` };
            if (response.status === 403) {
                return {
                    kind: 'failed',
                    error: `Dataverse 403: ${reason} — give the relay's application user a security role with Create and Write on WhatsApp conversations (wcp_whatsappconversation) and Append To on contacts, accounts and cases.`,
                };
            }
            return { kind: 'failed', error: `Dataverse ${response.status}: ${reason}` };
        }
    }
}
/** OData's `{ "error": { "code", "message" } }`, else the status text. */
async function odataError(response) {
    const body = (await response.json().catch(() => null));
    return body?.error?.message ?? response.statusText ?? 'no reason given';
}
/** Retry-After in seconds (Dataverse's service protection limits send seconds), or an HTTP date. */
function retryAfter(response) {
    const header = response.headers.get('retry-after');
    if (!header)
        return null;
    const seconds = Number(header);
    if (Number.isFinite(seconds))
        return Math.max(0, seconds * 1000);
    const at = Date.parse(header);
    return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}
//# sourceMappingURL=dataverse.js.map