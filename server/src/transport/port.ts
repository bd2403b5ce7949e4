/** The Transport port: how the relay hands a message to WhatsApp (Twilio or the simulator). */
import type { MessageStatus, MessageTemplate } from '@wcp/protocol';

export interface OutboundSend {
  messageId: string;             // our id; goes into the status callback URL as ?messageId=
  from: string;                  // business number, E.164
  to: string;                    // customer, E.164
  body?: string;
  mediaUrls?: string[];          // public URLs Twilio fetches
  template?: { contentSid: string; variables: Record<string, string> };
  /** Quick-reply buttons under `body` (a session reply inside the window). */
  buttons?: { id: string; title: string }[];
  statusCallbackUrl: string;
}

/** A message Twilio holds, as its Message resource says: the status and, once it failed, Twilio's error code and text. */
export interface TwilioMessageState {
  sid: string;
  status: MessageStatus;
  errorCode: number | null;
  errorMessage: string | null;
}

export type SendOutcome =
  | ({ kind: 'sent' } & TwilioMessageState)
  | { kind: 'retry'; code: number | null; message: string; retryAfterMs?: number }
  | { kind: 'failed'; code: number | null; message: string };

export interface Transport {
  readonly name: 'twilio' | 'simulator';
  send(msg: OutboundSend): Promise<SendOutcome>;
  /**
   * After a crash mid-send: did Twilio already take this message? (matches To/From/DateSent>=since
   * and body or contentSid, the earliest first). `recordedElsewhere` says which sids the relay
   * already holds for another message: two identical replies ("ok", two photos) sent within a
   * second match each other, and a sid is one message's only.
   */
  findSent(msg: OutboundSend, since: Date, recordedElsewhere?: (sid: string) => Promise<boolean>): Promise<TwilioMessageState | null>;
  listTemplates(): Promise<MessageTemplate[]>;
  /** WhatsApp's typing indicator for the customer's message `messageSid` (it also marks that message read); rejects when Twilio refuses. */
  sendTypingIndicator(messageSid: string): Promise<void>;
}
