/**
 * The contact cards a customer shares on WhatsApp arrive as a `text/vcard` attachment
 * (vCard 3.0 from WhatsApp; 2.1 and 4.0 from other sources). This reads what the panel
 * shows — each card's formatted name and phone numbers in E.164 — and nothing else.
 * Pure: the bytes are fetched by the caller. RFC 6350: lines folded with a leading space
 * or tab, `\,` `\;` `\n` escapes, an optional `group.` before the property name, and
 * vCard 2.1's QUOTED-PRINTABLE values.
 */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import type { MessageContact } from '@wcp/protocol';

/** More cards than anyone shares at once; the rest are ignored. */
const MAX_CARDS = 20;
const MAX_PHONES = 10;

interface Property {
  name: string;
  params: Map<string, string>;
  value: string;
}

/** Where a number without a country code is read: a country, or only a calling code. */
type Home = CountryCode | { callingCode: string };

/**
 * The cards a customer shared, numbers without a country code read as in the customer's own
 * country (from their E.164 number). A number libphonenumber places in no one country (a
 * range it does not know, such as +44 7700 900…) still gives its calling code.
 */
export function parseSharedVCards(text: string, customerPhone: string): MessageContact[] {
  const own = parsePhoneNumberFromString(customerPhone);
  return parseVCards(text, own?.country ?? (own ? { callingCode: own.countryCallingCode } : undefined));
}

/** The cards in a vCard file, each with a name (never empty) and its phones in E.164; numbers without a country code are read as in `home`. */
export function parseVCards(text: string, home?: Home): MessageContact[] {
  const contacts: MessageContact[] = [];
  let card: Property[] | null = null;
  for (const line of unfold(text)) {
    const property = parseLine(line);
    if (!property) continue;
    if (property.name === 'BEGIN' && property.value.toUpperCase() === 'VCARD') card = [];
    else if (property.name === 'END' && property.value.toUpperCase() === 'VCARD' && card) {
      contacts.push(contactOf(card, home));
      card = null;
      if (contacts.length === MAX_CARDS) break;
    } else card?.push(property);
  }
  return contacts;
}

function contactOf(card: Property[], home?: Home): MessageContact {
  const fn = card.find((p) => p.name === 'FN');
  const n = card.find((p) => p.name === 'N');
  const org = card.find((p) => p.name === 'ORG');
  const phones: string[] = [];
  for (const tel of card.filter((p) => p.name === 'TEL')) {
    const phone = e164(tel, home);
    if (phone && !phones.includes(phone) && phones.length < MAX_PHONES) phones.push(phone);
  }
  const name = (fn && unescapeText(fn.value)) || (n && nameFromN(n.value)) || (org && unescapeText(org.value.split(';')[0] ?? '')) || phones[0] || 'Contact';
  return { name: name.trim(), phones };
}

/** WhatsApp names the number's WhatsApp id (`waid=`): that is the E.164 number without its plus. */
function e164(tel: Property, home?: Home): string | null {
  const waid = tel.params.get('WAID');
  if (waid && /^[1-9]\d{6,14}$/.test(waid)) return `+${waid}`;
  const raw = tel.value.replace(/^tel:/i, '').split(';')[0]!.trim();
  const parsed = parsePhoneNumberFromString(raw, typeof home === 'object' ? { defaultCallingCode: home.callingCode } : { defaultCountry: home });
  return parsed?.isPossible() ? parsed.number : null;
}

/** N is `family;given;additional;prefix;suffix`: shown as "prefix given additional family suffix". */
function nameFromN(value: string): string {
  const [family = '', given = '', additional = '', prefix = '', suffix = ''] = splitUnescaped(value).map(unescapeText);
  return [prefix, given, additional, family, suffix].filter(Boolean).join(' ');
}

function unfold(text: string): string[] {
  const lines: string[] = [];
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    if (/^[ \t]/.test(line) && lines.length) lines[lines.length - 1] += line.slice(1);
    else lines.push(line);
  }
  return lines;
}

/** `[group.]NAME[;param=value...]:value`; null for a line that is not a property. */
function parseLine(line: string): Property | null {
  const colon = line.indexOf(':');
  if (colon <= 0) return null;
  const [head = '', ...rawParams] = line.slice(0, colon).split(';');
  const name = head.slice(head.lastIndexOf('.') + 1).toUpperCase();
  const params = new Map<string, string>();
  for (const param of rawParams) {
    const eq = param.indexOf('=');
    // vCard 2.1 allows bare types: TEL;CELL:...
    if (eq < 0) params.set('TYPE', param);
    else params.set(param.slice(0, eq).toUpperCase(), param.slice(eq + 1).replace(/^"|"$/g, ''));
  }
  let value = line.slice(colon + 1);
  if (params.get('ENCODING')?.toUpperCase() === 'QUOTED-PRINTABLE') value = decodeQuotedPrintable(value);
  return { name, params, value };
}

function splitUnescaped(value: string): string[] {
  return value.split(/(?<!\\);/);
}

function unescapeText(value: string): string {
  return value.replace(/\\([nN,;\\])/g, (_whole, c: string) => (c === 'n' || c === 'N' ? '\n' : c)).trim();
}

function decodeQuotedPrintable(value: string): string {
  const bytes: number[] = [];
  const text = value.replace(/=$/, '');
  for (let i = 0; i < text.length; i += 1) {
    const hex = text[i] === '=' ? text.slice(i + 1, i + 3) : '';
    if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(...Buffer.from(text[i]!, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}
