/**
 * What a Twilio error means for the agent and for the outbox: a sentence the agent
 * can act on, whether sending again later may succeed, and whether WhatsApp's
 * 24-hour window is the cause (then only a template can go out).
 * Titles follow Twilio's error dictionary (twilio.com/docs/api/errors).
 */
import { WINDOW_EXPIRED_MESSAGE } from '@wcp/protocol';

export interface TwilioErrorDescription {
  message: string;
  retryable: boolean;
  windowClosed: boolean;
}

interface Entry {
  message: string;
  retryable?: boolean;
  windowClosed?: boolean;
}

const KNOWN: Readonly<Record<number, Entry>> = {
  20003: {
    message:
      'Twilio refused the relay\'s credentials ("Authenticate"). An administrator must check TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN.',
  },
  20429: { message: 'Twilio is rate limiting requests ("Too Many Requests"). The message will be sent again shortly.', retryable: true },
  21211: { message: 'Invalid \'To\' Phone Number: the customer\'s number is not a valid phone number.' },
  21408: { message: 'Twilio is not permitted to send to this customer\'s region ("Permission to send an SMS has not been enabled for the region").' },
  21610: {
    message:
      'Attempt to send to unsubscribed recipient: the customer has opted out of messages from this number and must message you first.',
  },
  21614: { message: '\'To\' number is not a valid mobile number: the customer\'s number cannot receive WhatsApp messages.' },
  21617: { message: 'The message is too long for Twilio ("The concatenated message body exceeds the 1600 character limit"). Shorten it and send again.' },
  21655: { message: 'The ContentSid is invalid: this template no longer exists in Twilio. Choose another template.' },
  21656: { message: 'The ContentVariables parameter is invalid: check the template\'s variables.' },
  30003: { message: 'Unreachable destination handset: the customer\'s phone is off or out of coverage.' },
  30004: { message: 'Message blocked: the customer or their carrier blocked this message.' },
  30005: { message: 'Unknown destination handset: the customer\'s number is unknown or no longer in service.' },
  30006: { message: 'Landline or unreachable carrier: the customer\'s number cannot receive this message.' },
  30007: { message: 'Message filtered: the carrier filtered this message as possible spam.' },
  30008: { message: 'Unknown error: Twilio could not deliver this message and did not say why. Try again later.' },
  63003: { message: 'Channel could not find To address: the customer\'s number is not on WhatsApp.' },
  63005: { message: 'Channel did not accept given content: WhatsApp refused this message\'s content.' },
  63007: {
    message:
      'Twilio could not find a Channel with the specified From address: the business number is not a WhatsApp sender. An administrator must check TWILIO_WHATSAPP_FROM.',
  },
  63016: { message: WINDOW_EXPIRED_MESSAGE, windowClosed: true },
  63018: { message: 'Rate limit exceeded for Channel: WhatsApp is throttling this number. The message will be sent again shortly.', retryable: true },
  63019: { message: 'Media failed to download: WhatsApp could not fetch the attachment. Check the file and send it again.' },
  63021: { message: 'Channel invalid content error: WhatsApp refused this message\'s content.' },
  63024: { message: 'Invalid message recipient: the customer\'s number is not an active WhatsApp account.' },
  63032: { message: 'We cannot send this message to this user because of a WhatsApp limitation.' },
  63049: { message: 'Meta chose not to deliver this WhatsApp marketing message.' },
};

const UNREACHABLE = 'Could not reach Twilio (network error or timeout). The message will be sent again shortly.';

export function describeTwilioError(code: number | null, httpStatus?: number): TwilioErrorDescription {
  const known = code === null ? undefined : KNOWN[code];
  if (known) {
    return { message: known.message, retryable: known.retryable ?? false, windowClosed: known.windowClosed ?? false };
  }
  if (httpStatus === 429) return { message: KNOWN[20429]?.message ?? UNREACHABLE, retryable: true, windowClosed: false };
  if (httpStatus !== undefined && httpStatus >= 500) {
    return { message: `Twilio had a server error (HTTP ${httpStatus}). The message will be sent again shortly.`, retryable: true, windowClosed: false };
  }
  if (code === null && httpStatus === undefined) return { message: UNREACHABLE, retryable: true, windowClosed: false };
  const what = code === null ? `HTTP ${httpStatus}` : `error ${code}`;
  return { message: `Twilio could not send this message (${what}).`, retryable: false, windowClosed: false };
}
