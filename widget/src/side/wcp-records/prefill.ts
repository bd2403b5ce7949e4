import { msg, str } from '@lit/localize';
import type { Customer } from '@wcp/protocol';
import type { CrmContact, CrmRecordRef, NewRecord } from '../../ports/crm-port.js';

export interface ContactDraft {
  firstname: string;
  lastname: string;
  mobilephone: string;
  emailaddress1: string;
}

export interface CaseDraft {
  title: string;
  description: string;
}

/**
 * A new contact from the WhatsApp profile: "Maria Campbell" → Maria / Campbell, the number as
 * mobile. A one-word profile name is taken as the first name; the agent types the last name
 * (which Dataverse requires).
 */
export function contactDraftFrom(customer: Customer | null): ContactDraft {
  const [first = '', ...rest] = (customer?.profileName ?? '').trim().split(/\s+/).filter(Boolean);
  return { firstname: first, lastname: rest.join(' '), mobilephone: customer?.phone ?? '', emailaddress1: '' };
}

export function caseDraftFrom(customer: Customer | null, contact: CrmContact | null): CaseDraft {
  const who = contact?.fullName ?? customer?.profileName ?? customer?.phone ?? msg('customer');
  return { title: msg(str`WhatsApp conversation with ${who}`), description: '' };
}

/** Only the columns the agent filled go to the CRM. */
function filled(fields: object): Record<string, string> {
  return Object.fromEntries(
    Object.entries(fields)
      .map(([key, value]) => [key, String(value).trim()])
      .filter(([, value]) => value !== ''),
  );
}

export function newContact(draft: ContactDraft): NewRecord {
  return { entityType: 'contact', fields: filled(draft) };
}

export function newCase(draft: CaseDraft, customerRecord: CrmRecordRef | null): NewRecord {
  return customerRecord
    ? { entityType: 'incident', fields: filled(draft), customer: customerRecord }
    : { entityType: 'incident', fields: filled(draft) };
}
