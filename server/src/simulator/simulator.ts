/**
 * Simulator mode: fake customer phones for a relay without a Twilio account. Customer
 * messages and delivery receipts are signed like Twilio's and go through the real
 * /twilio/inbound and /twilio/status routes, so the product runs end to end.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { stringify } from 'node:querystring';
import type { Config } from '../config.ts';
import type { OffsetClock } from '../domain/clock.ts';
import type { MessageStatus, MessageTemplate } from '@wcp/protocol';
import type { MessageRow, Store } from '../store/port.ts';
import type { OutboundSend, SendOutcome, Transport } from '../transport/port.ts';
import { signTwilioRequest, type WebhookParams } from '../twilio/signature.ts';
import { publicMediaUrl } from '../routes/public-media.ts';

export const SIMULATOR_ACCOUNT_SID = `AC${'5'.repeat(32)}`;
const sid = (prefix: string) => `${prefix}${randomBytes(16).toString('hex')}`;

export interface CustomerMessage {
  from: string;
  profileName: string | null;
  body: string;
  /** Public token of a file uploaded to the simulator. */
  mediaToken?: string | null;
  /** Quote one of the agent's messages (its Twilio sid). */
  replyToSid?: string | null;
  /** Something other than text, as WhatsApp would send it (the demo shows each kind). */
  kind?: SimulatedKind | null;
  forwarded?: boolean;
  /** The customer tapped a Click-to-WhatsApp ad before writing. */
  referral?: { headline: string; body: string; sourceUrl: string } | null;
}

export type SimulatedKind =
  | { type: 'location'; latitude: number; longitude: number; address?: string; label?: string }
  | { type: 'contact'; name: string; phone: string }
  | { type: 'button'; text: string; payload: string }
  | { type: 'reaction'; emoji: string }
  | { type: 'unknown'; messageType: string };

export interface PhoneMessage {
  id: string;
  sid: string | null;
  direction: 'inbound' | 'outbound';
  body: string;
  status: MessageStatus;
  createdAt: number;
  media: { contentType: string; url: string }[];
  /** An agent reply's quick-reply buttons: the phone offers them to tap. */
  buttons: { id: string; title: string }[];
}

export class Simulator {
  private app: FastifyInstance | null = null;
  readonly transport: Transport;
  /** Delivery receipts still to come, so they can be flushed on shutdown. */
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly deps: { store: Store; clock: OffsetClock; config: Config; webhookAuthToken: string },
    private readonly receiptDelaysMs = { sent: 150, delivered: 500 },
  ) {
    this.transport = {
      name: 'simulator',
      send: (msg) => this.deliver(msg),
      findSent: async () => null,
      listTemplates: (): Promise<MessageTemplate[]> => this.deps.store.listTemplates(),
      // The simulated phone shows no typing bubble.
      sendTypingIndicator: async () => {},
    };
  }

  attach(app: FastifyInstance): void {
    this.app = app;
    app.addHook('preClose', async () => {
      for (const t of this.timers) clearTimeout(t);
      this.timers.clear();
    });
  }

  get businessPhone(): string {
    return this.deps.config.simulatorBusinessPhone;
  }

  /** A customer's phone sends a WhatsApp message to the business. Returns the webhook's HTTP status. */
  async sendFromCustomer(message: CustomerMessage): Promise<{ statusCode: number; messageSid: string }> {
    const messageSid = sid(message.mediaToken ? 'MM' : 'SM');
    const params: Record<string, string> = {
      SmsMessageSid: messageSid,
      SmsSid: messageSid,
      MessageSid: messageSid,
      AccountSid: SIMULATOR_ACCOUNT_SID,
      MessagingServiceSid: '',
      From: `whatsapp:${message.from}`,
      To: `whatsapp:${this.businessPhone}`,
      Body: message.body,
      NumMedia: message.mediaToken ? '1' : '0',
      NumSegments: '1',
      SmsStatus: 'received',
      ApiVersion: '2010-04-01',
      WaId: message.from.slice(1),
      ProfileName: message.profileName ?? '',
      MessageType: message.mediaToken ? 'image' : 'text',
      ChannelMetadata: JSON.stringify({ type: 'whatsapp', data: { context: { ProfileName: message.profileName ?? '', WaId: message.from.slice(1) } } }),
    };
    if (message.mediaToken) {
      const media = await this.deps.store.getMediaByPublicToken(message.mediaToken, this.deps.clock.now());
      if (!media) throw new Error('The attachment has expired; attach it again.');
      params.MediaUrl0 = publicMediaUrl(this.deps.config.publicUrl, message.mediaToken);
      params.MediaContentType0 = media.contentType;
    }
    if (message.replyToSid) params.OriginalRepliedMessageSid = message.replyToSid;
    if (!message.profileName) delete params.ProfileName;
    if (message.kind) Object.assign(params, await this.kindParams(message.kind));
    if (message.forwarded) params.Forwarded = 'true';
    if (message.referral) {
      Object.assign(params, {
        ReferralSourceType: 'ad',
        ReferralSourceId: '120200000000000',
        ReferralSourceUrl: message.referral.sourceUrl,
        ReferralHeadline: message.referral.headline,
        ReferralBody: message.referral.body,
        ReferralCtwaClid: sid('ARA'),
        ReferralNumMedia: '0',
      });
    }
    const statusCode = await this.postSigned('/twilio/inbound', params);
    return { statusCode, messageSid };
  }

  /** Twilio's parameters for a message other than text (names from Twilio's WhatsApp webhook). */
  private async kindParams(kind: SimulatedKind): Promise<Record<string, string>> {
    switch (kind.type) {
      case 'location':
        return {
          MessageType: 'location',
          Latitude: String(kind.latitude),
          Longitude: String(kind.longitude),
          ...(kind.address ? { Address: kind.address } : {}),
          ...(kind.label ? { Label: kind.label } : {}),
        };
      case 'contact': {
        // WhatsApp shares a contact as a vCard 3.0 attachment, the number's WhatsApp id in waid.
        const card = ['BEGIN:VCARD', 'VERSION:3.0', `FN:${kind.name.replace(/([,;\\])/g, '\\$1')}`, `TEL;type=CELL;waid=${kind.phone.slice(1)}:${kind.phone}`, 'END:VCARD'].join('\r\n');
        const token = randomBytes(16).toString('hex');
        await this.deps.store.saveUpload({
          bytes: new TextEncoder().encode(card),
          contentType: 'text/vcard',
          filename: 'contact.vcf',
          publicToken: token,
          publicExpiresAt: this.deps.clock.now() + 30 * 24 * 3600_000,
          agentId: 'simulator',
        });
        return { MessageType: 'contacts', NumMedia: '1', MediaUrl0: publicMediaUrl(this.deps.config.publicUrl, token), MediaContentType0: 'text/vcard' };
      }
      case 'button':
        return { MessageType: 'button', Body: kind.text, ButtonText: kind.text, ButtonPayload: kind.payload };
      case 'reaction':
        return { MessageType: 'reaction', Body: '', Reaction: kind.emoji };
      case 'unknown':
        return { MessageType: kind.messageType, Body: '' };
    }
  }

  /** The customer opened the chat: every delivered agent message becomes read. */
  async markRead(customerPhone: string): Promise<void> {
    for (const m of await this.phoneMessages(customerPhone)) {
      if (m.direction === 'outbound' && m.sid && m.status === 'delivered') await this.receipt(m.sid, m.id, 'read');
    }
  }

  async phoneMessages(customerPhone: string): Promise<PhoneMessage[]> {
    const supervisor = { agentId: 'simulator', supervisor: true };
    const conversations = await this.deps.store.listCustomerConversations(supervisor, customerPhone);
    const all: MessageRow[] = [];
    for (const c of conversations) {
      let before: string | null = null;
      do {
        const page = await this.deps.store.listMessages(c.id, before, 200);
        all.push(...page.items);
        before = page.next;
      } while (before);
    }
    all.sort((a, b) => a.createdAt - b.createdAt);
    return all.map((m) => ({
      id: m.id,
      sid: m.twilioSid,
      direction: m.direction,
      body: m.body,
      status: m.status,
      createdAt: m.createdAt,
      media: m.media.map((x) => ({ contentType: x.contentType, url: `/simulator/api/media/${encodeURIComponent(x.id)}` })),
      buttons: m.whatsapp?.buttons ?? [],
    }));
  }

  /** Bytes behind a media URL the simulator handed out (public token URLs on this relay). */
  async mediaBytes(sourceUrl: string): Promise<Uint8Array | null> {
    // Matched by path, not by origin: PUBLIC_URL may differ since the message came in (a relay
    // started with PORT=0 and restarted on a fixed port); the token is what identifies the file.
    let path: string;
    try {
      path = new URL(sourceUrl).pathname;
    } catch {
      return null;
    }
    const basePath = new URL(this.deps.config.publicUrl).pathname.replace(/\/+$/, '');
    const match = /^\/media\/([^/]+)$/.exec(path.startsWith(`${basePath}/`) ? path.slice(basePath.length) : '');
    if (!match) return null;
    const media = await this.deps.store.getMediaByPublicToken(decodeURIComponent(match[1]!), this.deps.clock.now());
    return media ? this.deps.store.getMediaBytes(media.id) : null;
  }

  advanceClock(ms: number): number {
    this.deps.clock.advance(ms);
    return this.deps.clock.offset;
  }

  get clockOffsetMs(): number {
    return this.deps.clock.offset;
  }

  /** The simulated WhatsApp takes the message and later reports sent and delivered. */
  private async deliver(msg: OutboundSend): Promise<SendOutcome> {
    const messageSid = sid(msg.mediaUrls?.length ? 'MM' : 'SM');
    this.later(this.receiptDelaysMs.sent, () => this.receipt(messageSid, msg.messageId, 'sent'));
    this.later(this.receiptDelaysMs.delivered, () => this.receipt(messageSid, msg.messageId, 'delivered'));
    return { kind: 'sent', sid: messageSid, status: 'queued', errorCode: null, errorMessage: null };
  }

  private later(ms: number, fn: () => Promise<unknown>): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn().catch((err: unknown) => this.app?.log.warn({ err }, 'simulated receipt failed'));
    }, ms);
    this.timers.add(t);
  }

  private receipt(messageSid: string, messageId: string, status: 'sent' | 'delivered' | 'read'): Promise<number> {
    return this.postSigned(`/twilio/status?messageId=${encodeURIComponent(messageId)}`, {
      MessageSid: messageSid,
      SmsSid: messageSid,
      AccountSid: SIMULATOR_ACCOUNT_SID,
      MessageStatus: status,
      SmsStatus: status,
      From: `whatsapp:${this.businessPhone}`,
      ApiVersion: '2010-04-01',
    });
  }

  private async postSigned(pathWithQuery: string, params: WebhookParams & Record<string, string>): Promise<number> {
    if (!this.app) throw new Error('The simulator is not attached to the relay.');
    const url = `${this.deps.config.publicUrl}${pathWithQuery}`;
    const response = await this.app.inject({
      method: 'POST',
      url: pathWithQuery,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signTwilioRequest(this.deps.webhookAuthToken, url, params) },
      payload: stringify(params),
    });
    return response.statusCode;
  }
}
