/** Messages between the relay and the SQLite store's thread, and errors made to cross it. */
import { DomainError, type DomainErrorCode } from '../../domain/errors.ts';
import type { Store } from '../port.ts';

/** Every Store method but `kind` (a constant) runs in the store's thread. */
export type StoreMethod = { [K in keyof Store]-?: NonNullable<Store[K]> extends (...args: never[]) => unknown ? K : never }[keyof Store];

export interface StoreCall {
  id: number;
  method: StoreMethod;
  args: unknown[];
}

export type StoreReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: WireError };

/**
 * Each way across the thread boundary, messages travel in batches: every call the relay makes
 * in one turn of its event loop is one postMessage to the store's thread, and every reply the
 * store's thread has ready in one tick (a group commit answers all its webhooks at once) is one
 * postMessage back. Each message costs a wake-up of the other thread and a dispatch there,
 * whatever it carries (test/bench/README.md, "Seventh session").
 */
export type StoreCallBatch = StoreCall[];
export type StoreReplyBatch = StoreReply[];

/**
 * Collects items and posts them together when `schedule` fires: in order, one message. An
 * item that cannot cross (structured clone refuses it, e.g. a function) must not sink its
 * batch-mates: the batch is then posted again one item at a time and only the refused ones
 * go to `refused`, each with its own error.
 */
export function batchPoster<T>(post: (items: T[]) => void, schedule: (flush: () => void) => void, refused: (item: T, error: unknown) => void): (item: T) => void {
  let queued: T[] = [];
  const flush = () => {
    const items = queued;
    queued = [];
    try {
      post(items);
    } catch {
      for (const item of items) {
        try {
          post([item]);
        } catch (error) {
          refused(item, error);
        }
      }
    }
  };
  return (item) => {
    if (queued.push(item) === 1) schedule(flush);
  };
}

export interface WireError {
  name: string;
  message: string;
  /** DomainError's code (not_found, window_expired ...) or SQLite's (SQLITE_CONSTRAINT_UNIQUE ...). */
  code?: string;
  domain: boolean;
  stack?: string;
}

export function toWireError(error: unknown): WireError {
  if (error instanceof DomainError) return { name: error.name, message: error.message, code: error.code, domain: true };
  const e = error instanceof Error ? error : new Error(String(error));
  const code = (e as { code?: unknown }).code;
  return { name: e.name, message: e.message, ...(typeof code === 'string' ? { code } : {}), domain: false, ...(e.stack ? { stack: e.stack } : {}) };
}

/** The error as the caller would have seen it from an in-process store: DomainErrors keep their class. */
export function fromWireError(wire: WireError): Error {
  if (wire.domain) return new DomainError(wire.code as DomainErrorCode, wire.message);
  const error = Object.assign(new Error(wire.message), wire.code === undefined ? {} : { code: wire.code });
  error.name = wire.name;
  if (wire.stack) error.stack = wire.stack;
  return error;
}
