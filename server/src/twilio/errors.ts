/**
 * What a Twilio error means for the agent and for the outbox: a sentence the agent
 * can act on, whether sending again later may succeed, and whether WhatsApp's
 * 24-hour window is the cause (then only a template can go out).
 * Titles follow Twilio's error dictionary (twilio.com/docs/api/errors).
 */
import { WINDOW_EXPIRED_MESSAGE } from '@wcp/protocol/values';

export interface TwilioErrorDescription {
  message: string;
  retryable: boolean;
  windowClosed: boolean;
}

interface Entry {
  message: string;
  retryable?: boolean;
  windowClosed?: boolean;
  /** For the agent, on a failed or undelivered message: what happened and what to do next. */
  title?: string;
  action?: string;
}

/** What an agent reads on a failed or undelivered message (@wcp/protocol MessageError). */
export interface AgentError {
  code: number;
  title: string;
  action: string;
}

const KNOWN: Readonly<Record<number, Entry>> = {
  20003: {
    message:
      'Twilio refused the relay\'s credentials ("Authenticate"). An administrator must check TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN.',
  },
  20429: { message: 'Twilio is rate limiting requests ("Too Many Requests"). The message will be sent again shortly.', retryable: true },
  21211: {
    message: 'Invalid \'To\' Phone Number: the customer\'s number is not a valid phone number.',
    title: 'The customer\'s phone number is not valid.',
    action: 'Correct the number in the CRM record (international format, e.g. +44 7700 900123) and start a new conversation.',
  },
  21408: {
    message: 'Twilio is not permitted to send to this customer\'s region ("Permission to send an SMS has not been enabled for the region").',
    title: 'Twilio may not send to the customer\'s country.',
    action: 'Ask an administrator to enable this country in Twilio\'s messaging geographic permissions, then retry.',
  },
  21610: {
    message:
      'Attempt to send to unsubscribed recipient: the customer has opted out of messages from this number and must message you first.',
    title: 'The customer opted out of messages from this number.',
    action: 'Do not message them; nothing can be sent until the customer writes START.',
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
  63003: {
    message: 'Channel could not find To address: the customer\'s number is not on WhatsApp.',
    title: 'The customer\'s number is not on WhatsApp.',
    action: 'Check the number with the customer, or reach them by phone or email.',
  },
  63005: {
    message: 'Channel did not accept given content: WhatsApp refused this message\'s content.',
    title: 'WhatsApp refused the content of this message.',
    action: 'Change the text or the attachment and send again.',
  },
  63007: {
    message:
      'Twilio could not find a Channel with the specified From address: the business number is not a WhatsApp sender. An administrator must check TWILIO_WHATSAPP_FROM.',
  },
  63014: {
    message: 'The customer blocked this business or opted out of its messages, so WhatsApp did not deliver this one.',
    title: 'The customer blocked this business or opted out.',
    action: 'Do not message them; you can answer once the customer writes to you again.',
  },
  63016: {
    message: WINDOW_EXPIRED_MESSAGE,
    windowClosed: true,
    title: 'The 24-hour window to reply has closed.',
    action: 'Send an approved template; when the customer answers, you can write freely again.',
  },
  63018: {
    message: 'Rate limit exceeded for Channel: WhatsApp is throttling this number. The message will be sent again shortly.',
    retryable: true,
    title: 'WhatsApp is limiting how fast this number sends.',
    action: 'Wait a few minutes, then retry the message.',
  },
  63019: {
    message: 'Media failed to download: WhatsApp could not fetch the attachment. Check the file and send it again.',
    title: 'WhatsApp could not download the attachment.',
    action: 'Check the file\'s type and size, attach it again and send.',
  },
  63021: {
    message: 'Channel invalid content error: WhatsApp refused this message\'s content.',
    title: 'WhatsApp found the message\'s content invalid.',
    action: 'Simplify the message (plain text, no unusual characters or formatting) and send again.',
  },
  63024: {
    message: 'Invalid message recipient: the customer\'s number is not an active WhatsApp account.',
    title: 'The customer\'s number is not an active WhatsApp account.',
    action: 'Confirm the number with the customer, or reach them another way.',
  },
  63032: {
    message: 'We cannot send this message to this user because of a WhatsApp limitation.',
    title: 'WhatsApp will not deliver messages to this customer.',
    action: 'WhatsApp restricts this user (for example their region or settings); reach them another way.',
  },
  63049: {
    message: 'Meta chose not to deliver this WhatsApp marketing message.',
    title: 'Meta chose not to deliver this marketing message.',
    action: 'Meta limits how many marketing messages a customer gets; try later, or use a utility template if this is about their order or account.',
  },
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

/** Twilio's error says WhatsApp refused the reply as outside the 24-hour window (63016): it has closed. */
export function closesWindow(code: number | null): boolean {
  return describeTwilioError(code).windowClosed;
}

/** What an agent can do about a failed or undelivered message; unknown codes point at Twilio's own page. */
export function agentErrorOf(code: number): AgentError {
  const known = KNOWN[code];
  if (known?.title && known.action) return { code, title: known.title, action: known.action };
  return {
    code,
    title: known ? known.message : `Twilio error ${code}.`,
    action: `See https://www.twilio.com/docs/api/errors/${code} for what it means and what to do.`,
  };
}
