import { msg, str } from '@lit/localize';
import { formattingLocale } from '../i18n/locale.js';

/**
 * Intl formats for the current formatting locale (the panel's language in the browser's region), made once per locale and options: making one
 * costs a fraction of a millisecond, and the composer's counter and every transcript row
 * format on each render (a send re-renders the composer several times; test/bench/README.md).
 */
const formats = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

function numberFormat(options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const locale = formattingLocale();
  const key = `n${locale}${JSON.stringify(options)}`;
  let format = formats.get(key) as Intl.NumberFormat | undefined;
  if (!format) formats.set(key, (format = new Intl.NumberFormat(locale, options)));
  return format;
}

function dateFormat(options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const locale = formattingLocale();
  const key = `d${locale}${JSON.stringify(options)}`;
  let format = formats.get(key) as Intl.DateTimeFormat | undefined;
  if (!format) formats.set(key, (format = new Intl.DateTimeFormat(locale, options)));
  return format;
}

/** "4:05" / "1:02:03" for countdowns of seconds (digits in the panel locale's numbering). */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const plain = numberFormat({ useGrouping: false });
  const two = numberFormat({ useGrouping: false, minimumIntegerDigits: 2 });
  return `${h > 0 ? `${plain.format(h)}:` : ''}${(h > 0 ? two : plain).format(m)}:${two.format(s)}`;
}

/** "20 h 5 min" / "42 min" for the reply window. */
export function formatDuration(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  const number = numberFormat({ useGrouping: false });
  const h = number.format(Math.floor(minutes / 60));
  const m = number.format(minutes % 60);
  if (minutes < 60) return msg(str`${m} min`);
  return minutes % 60 === 0 ? msg(str`${h} h`) : msg(str`${h} h ${m} min`);
}

/** A count in the panel locale's digits and grouping ("1,024 of 4,096 characters"). */
export function formatCount(count: number): string {
  return numberFormat({}).format(count);
}

/** A calendar day as written in the panel locale ("3 December 2026"), for a `YYYY-MM-DD` date. */
export function formatDay(day: string): string {
  return dateFormat({ dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
}

export function formatTime(iso: string): string {
  return dateFormat({ hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
}

/** The time of day ("14:32") for a moment on today's date, else the date and time: "at 14:32" tomorrow would mislead. */
export function formatTimeOrDateTime(iso: string, now = Date.now()): string {
  return new Date(iso).toDateString() === new Date(now).toDateString() ? formatTime(iso) : formatDateTime(iso);
}

/** Medium date and short time in the panel locale; the input as given when it is not a date. */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateFormat({ dateStyle: 'medium', timeStyle: 'short' }).format(date);
}
