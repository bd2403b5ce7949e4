/**
 * Writes to Dataverse's Web API (OData v4): an upsert is a PATCH to `<entityset>(<id>)`
 * without If-Match, which creates the row or updates it — a retry can never make a second
 * one. Answers are sorted as Microsoft documents them: 204 done; 401 a token to renew (once);
 * 429 and 5xx, or no answer, worth retrying (honouring Retry-After); other 4xx will not
 * succeed as they are (403 names the role the application user lacks).
 */
import type { DataverseConfig } from '../config.ts';
import { ClientCredentials, TokenError } from './token.ts';
import { retryAfterMs } from '../domain/retry-after.ts';

export type WriteOutcome =
  | { kind: 'done' }
  | { kind: 'retry'; retryAfterMs: number | null; error: string }
  /** `code`: Dataverse's error code, when it gave one (e.g. RECORD_DOES_NOT_EXIST). */
  | { kind: 'failed'; error: string; code?: string };

/** A row the request names (a lookup's `@odata.bind`) does not exist: 404 with this code. */
export const RECORD_DOES_NOT_EXIST = '0x80040217';
/** The row is read-only (CannotUpdateBecauseItIsReadOnly): an activity completed or canceled. */
export const READ_ONLY = '0x8004022e';

const API = '/api/data/v9.2';

export class DataverseClient {
  private readonly credentials: ClientCredentials;

  constructor(private readonly config: DataverseConfig) {
    this.credentials = new ClientCredentials(config);
  }

  async upsert(entitySet: string, id: string, row: Record<string, unknown>): Promise<WriteOutcome> {
    for (let renewed = false; ; renewed = true) {
      let response: Response;
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
      } catch (error) {
        if (error instanceof TokenError) return error.permanent ? { kind: 'failed', error: error.message } : { kind: 'retry', retryAfterMs: null, error: error.message };
        return { kind: 'retry', retryAfterMs: null, error: `Dataverse did not answer: ${(error as Error).message}` };
      }
      if (response.status === 204 || response.status === 200 || response.status === 201) return { kind: 'done' };
      const { reason, code } = await odataError(response);
      if (response.status === 401 && !renewed) {
        this.credentials.forget();
        continue;
      }
      if (response.status === 429 || response.status >= 500) return { kind: 'retry', retryAfterMs: retryAfterMs(response.headers.get('retry-after'), Date.now()), error: `Dataverse ${response.status}: ${reason}` };
      if (response.status === 403) {
        return {
          kind: 'failed',
          error: `Dataverse 403: ${reason} — give the relay's application user a security role with Create and Write on WhatsApp conversations (wcp_whatsappconversation) and Append To on contacts, accounts and cases.`,
        };
      }
      return { kind: 'failed', error: `Dataverse ${response.status}: ${reason}`, ...(code ? { code } : {}) };
    }
  }
}

/** OData's `{ "error": { "code", "message" } }`, else the status text. */
async function odataError(response: Response): Promise<{ reason: string; code: string | undefined }> {
  const body = (await response.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
  return { reason: body?.error?.message ?? response.statusText ?? 'no reason given', code: body?.error?.code };
}

