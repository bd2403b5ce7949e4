import { msg } from '@lit/localize';

/** Why nothing can be sent to a customer who opted out: the composer, the template picker and a `422 opted_out` all show this. */
export function optedOutNotice(): string {
  return msg('The customer opted out of WhatsApp messages from this number (they sent STOP) or blocked it. Nothing can be sent until they write again; after STOP, until they send START.');
}
