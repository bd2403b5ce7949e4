import type { SendMessageRequest } from '@wcp/protocol';

/** A send the agent made that the relay has not confirmed yet. */
export interface OutboxItem {
  /** Idempotency key: the relay stores one message per clientId, however often it is posted. */
  clientId: string;
  conversationId: string;
  request: SendMessageRequest & { clientId: string };
  queuedAt: string;
}

/** The part of `Storage` the outbox needs (sessionStorage in the browser, a Map in tests). */
export type OutboxStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/**
 * Ordered queue of unconfirmed sends, persisted per agent so that a reload while offline
 * does not lose what the agent wrote. Items leave the queue only once the relay has answered.
 */
export class Outbox {
  private items: OutboxItem[];

  constructor(
    private readonly storage: OutboxStorage | null,
    private readonly key: string,
  ) {
    this.items = this.read();
  }

  list(): readonly OutboxItem[] {
    return this.items;
  }

  first(): OutboxItem | undefined {
    return this.items[0];
  }

  add(item: OutboxItem): void {
    if (this.items.some((queued) => queued.clientId === item.clientId)) return;
    this.items = [...this.items, item];
    this.write();
  }

  remove(clientId: string): void {
    this.items = this.items.filter((item) => item.clientId !== clientId);
    this.write();
  }

  private read(): OutboxItem[] {
    try {
      const raw = this.storage?.getItem(this.key);
      const parsed: unknown = raw ? JSON.parse(raw) : [];
      return Array.isArray(parsed) ? (parsed as OutboxItem[]).filter(isOutboxItem) : [];
    } catch {
      return [];
    }
  }

  private write(): void {
    try {
      if (this.items.length === 0) this.storage?.removeItem(this.key);
      else this.storage?.setItem(this.key, JSON.stringify(this.items));
    } catch {
      // Storage full or blocked (third-party iframe): the queue still works in memory.
    }
  }
}

function isOutboxItem(value: unknown): value is OutboxItem {
  if (!value || typeof value !== 'object') return false;
  const item = value as Partial<OutboxItem>;
  return typeof item.clientId === 'string' && typeof item.conversationId === 'string' && !!item.request;
}

export function outboxKey(agentKey: string): string {
  return `wcp-outbox:${agentKey}`;
}

/** The agent a bearer token belongs to (`oid` for Entra, `sub` otherwise); never verified here, only used as a storage key. */
export function agentKeyFromToken(token: string): string {
  try {
    const payload = token.split('.')[1];
    if (!payload) return 'agent';
    const claims = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as { oid?: unknown; sub?: unknown };
    const id = claims.oid ?? claims.sub;
    return typeof id === 'string' && id ? id : 'agent';
  } catch {
    return 'agent';
  }
}

export function newClientId(): string {
  return globalThis.crypto.randomUUID();
}
