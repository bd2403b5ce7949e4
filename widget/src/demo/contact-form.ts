import type { CrmContact, CrmRecordRef } from '../ports/crm-port.js';
import type { MemoryCrm } from './memory-crm.js';

/**
 * The Contact form around the panel: header, fields, cases and the timeline of linked
 * conversations, redrawn from the in-memory CRM. Everything is set as text (no innerHTML),
 * so the page works under a strict CSP and seed or customer text cannot inject markup.
 */
export class ContactForm {
  constructor(
    private readonly doc: Document,
    private readonly crm: MemoryCrm,
  ) {}

  show(contact: CrmContact | null): void {
    const title = contact?.fullName ?? 'New Contact';
    this.text('record-title', title);
    this.text('record-avatar', initials(title));
    this.doc.title = `Contact: ${title} – Dynamics 365 (demo)`;
    this.value('field-fullname', contact?.fullName);
    this.value('field-mobilephone', contact?.phone);
    this.value('field-email', contact?.email);
    this.value('field-account', contact?.accountName);
    this.value('field-city', contact?.city);
    this.list(
      'cases',
      contact ? this.crm.casesOf(contact.id).map((c) => [c.name, c.subtitle ?? '']) : [],
      'No cases for this contact.',
    );
    this.list(
      'timeline',
      contact
        ? this.crm
            .linksOf(contact.id)
            .map((a) => [a.subject, `${new Date(a.createdAt).toLocaleString()}${a.summary ? ` · ${a.summary}` : ''}`])
        : [],
      'No note about a WhatsApp conversation on this contact.',
    );
  }

  /** The form's notification bar, e.g. after "Open" on a case. */
  notify(message: string): void {
    const bar = this.doc.getElementById('notification');
    if (!bar) return;
    bar.textContent = message;
    bar.hidden = message === '';
  }

  describe(record: CrmRecordRef): string {
    const label = record.entityType === 'incident' ? 'Case' : record.entityType === 'account' ? 'Account' : 'Record';
    return `${label} opened: ${record.name}`;
  }

  private text(id: string, text: string) {
    const el = this.doc.getElementById(id);
    if (el) el.textContent = text;
  }

  private value(id: string, value: string | undefined) {
    const el = this.doc.getElementById(id) as HTMLInputElement | null;
    if (el) el.value = value ?? '';
  }

  private list(id: string, rows: string[][], empty: string) {
    const ul = this.doc.getElementById(id);
    if (!ul) return;
    ul.replaceChildren(
      ...(rows.length
        ? rows.map(([main, meta]) => {
            const li = this.doc.createElement('li');
            li.append(main ?? '');
            if (meta) {
              const span = this.doc.createElement('span');
              span.className = 'meta';
              span.textContent = meta;
              li.append(span);
            }
            return li;
          })
        : [Object.assign(this.doc.createElement('li'), { className: 'empty', textContent: empty })]),
    );
  }
}

function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w.charAt(0).toUpperCase())
    .join('');
}
