import { msg } from '@lit/localize';

/** Why nothing can be sent to a customer who opted out: the composer, the template picker and a `422 opted_out` all show this. */
export function optedOutNotice(): string {
  return msg('The customer opted out of WhatsApp messages from this number (they sent STOP). They must send START to opt back in.');
}
