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
