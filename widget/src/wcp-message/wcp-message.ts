import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { localized, msg, str } from '@lit/localize';
import { customElement, property, state } from 'lit/decorators.js';
import type { MediaItem, Message, MessageContact, MessageError, MessageLocation } from '@wcp/protocol';
import { isNotDelivered } from '@wcp/protocol/status-order';
import { CreateRecordEvent } from '../events/create-record-event.js';
import { MediaRequestEvent } from '../events/media-request-event.js';
import { ReplyToEvent } from '../events/reply-to-event.js';
import { RetryMessageEvent } from '../events/retry-message-event.js';
import { ShowMessageEvent } from '../events/show-message-event.js';
import { formatBytes } from '../lib/attachment.js';
import { clockIcon, documentIcon } from '../lib/icons.js';
import { linkify } from '../lib/linkify.js';
import { colleagueAuthor, type MessageAuthors, NO_AUTHORS } from '../lib/message-authors.js';
import { formatPhone } from '../lib/phone.js';
import { formatDateTime, formatTimeOrDateTime } from '../lib/time.js';
import { contactDraftFrom, newContact } from '../side/wcp-records/prefill.js';
import type { ThreadMessage } from '../wcp-thread/wcp-thread.js';
import { phoneText } from '../lib/phone-html.js';

export { messageStyles } from './wcp-message.styles.js';

function statusLabel(status: Message['status']): string | undefined {
  switch (status) {
    case 'queued':
    case 'sending':
      return msg('Sending');
    case 'sent':
      return msg('Sent');
    case 'delivered':
      return msg('Delivered');
    case 'read':
      return msg('Read');
    default:
      return undefined;
  }
}

/** Twilio's page for an error code: what it means, for codes the relay has no plain words for. */
export function twilioErrorUrl(code: number): string {
  return `https://www.twilio.com/docs/api/errors/${code}`;
}

/** OpenStreetMap centred on the point with a marker: a link only, no tiles loaded into the panel. */
export function mapUrl(location: MessageLocation): string {
  const { latitude: lat, longitude: lon } = location;
  return `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=16/${lat}/${lon}`;
}

/** What WhatsApp sent that the panel cannot show, in the agent's words: never an empty bubble. */
function unsupportedText(messageType: string | undefined): string {
  if (messageType?.toLowerCase() === 'reaction') return msg('The customer sent a reaction, which the panel cannot show.');
  return msg(str`The customer sent a WhatsApp message the panel cannot show (${messageType ?? 'unknown'}).`);
}

/**
 * Location, contact cards, button taps and placeholders have no text of their own: the relay
 * stores a plain-English summary as their body for search and the CRM, which the bubble replaces.
 */
function hasOwnText(message: Message): boolean {
  return message.direction === 'outbound' || !(message.location || message.contacts || message.button || message.unsupported);
}

/**
 * One transcript entry: the bubble of a customer's or agent's message with every WhatsApp
 * kind it can carry (quote, media and voice notes, location, contact cards, a tapped button,
 * quick-reply buttons, forwarded mark, placeholder for what cannot be shown), its time and
 * delivery ticks, and what to do when it failed.
 *
 * It renders into its parent's tree, not a shadow root of its own: `<wcp-thread>` virtualises
 * thousands of these, and a shadow root per bubble would cost for nothing. The host adopts
 * `messageStyles`. No timers and no searching here: the thread hands in the quoted message and
 * the question a button tap answers (`lib/message-links.ts`).
 *
 * @fires {ReplyToEvent} wcp-reply-to - quote this message in the reply
 * @fires {RetryMessageEvent} wcp-retry-message - retry this failed outbound message
 * @fires {MediaRequestEvent} wcp-media-request - a media item needs its bytes
 * @fires {ShowMessageEvent} wcp-show-message - show the quoted message or the question a button answers
 * @fires {CreateRecordEvent} wcp-create-record - create a CRM contact from a shared contact card
 * @cssprop --wcp-color-bubble-inbound - customer bubbles
 * @cssprop --wcp-color-bubble-outbound - agent bubbles
 * @cssprop --wcp-color-read - the read ticks
 */
@localized()
@customElement('wcp-message')
export class WcpMessage extends LitElement {
  @property({ attribute: false }) message!: ThreadMessage;
  /** The customer's name for labels and quotes. */
  @property({ attribute: 'customer-name' }) customerName = '';
  /** blob: URLs by media url; '' marks a media item that could not be loaded (it offers "Try again"). */
  @property({ attribute: false }) mediaUrls: ReadonlyMap<string, string> = new Map();
  /** The message `replyTo` quotes, when it is in the loaded transcript (the quote then links to it). */
  @property({ attribute: false }) quoted: Message | undefined = undefined;
  /** For a button tap: the agent's message that offered the button, when loaded. */
  @property({ attribute: false }) question: Message | undefined = undefined;
  /** Briefly marked after the agent followed a link to it; it takes the focus. */
  @property({ type: Boolean, reflect: true }) highlighted = false;
  /** False where the agent cannot write to the customer (consulting): no "Reply" to offer. */
  @property({ type: Boolean }) replyable = true;
  /** Who the reader is and colleagues' names: a colleague's message is labelled with its author. */
  @property({ attribute: false }) authors: MessageAuthors = NO_AUTHORS;

  /** What happened to "Start WhatsApp conversation", said in the card of the number it was for. */
  @state() private contactNotice: { phone: string; text: string } | null = null;
  private readonly requested = new Set<string>();

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('highlighted') && this.highlighted) this.querySelector<HTMLElement>('.row')?.focus({ preventScroll: true });
  }

  private get customer(): string {
    return this.customerName || msg('Customer');
  }

  override render() {
    const message = this.message;
    const outbound = message.direction === 'outbound';
    const failed = isNotDelivered(message.status);
    return html`
      <div
        class="row ${outbound ? 'outbound' : 'inbound'} ${failed ? 'failed' : ''} ${this.highlighted ? 'highlighted' : ''}"
        data-message-id=${message.id}
        tabindex=${this.highlighted ? '-1' : nothing}
      >
        <div class="message">
          ${this.renderSender(message)}
          ${message.forwarded ? html`<p class="forwarded">${msg('Forwarded')}</p>` : nothing}
          ${message.replyTo && !message.button ? this.renderQuote(message.replyTo) : nothing}
          ${message.media.map((item) => this.renderMedia(item, outbound))}
          ${message.location ? this.renderLocation(message.location) : nothing}
          ${message.contacts?.map((contact) => this.renderContact(contact))}
          ${message.button ? this.renderChoice(message.button.text) : nothing}
          ${message.unsupported ? html`<p class="placeholder-text">${unsupportedText(message.messageType)}</p>` : nothing}
          ${message.body && hasOwnText(message) ? html`<p class="body" dir="auto">${this.renderText(message.body)}</p>` : nothing}
          ${message.template && !message.body ? html`<p class="body">${msg('Template message')}</p>` : nothing}
          ${outbound && message.buttons?.length
            ? html`<ul class="buttons" aria-label=${msg('Quick-reply buttons')}>
                ${message.buttons.map((b) => html`<li>${b.title}</li>`)}
              </ul>`
            : nothing}
          <div class="meta">
            <time datetime=${message.createdAt} title=${formatDateTime(message.createdAt)}>${formatTimeOrDateTime(message.createdAt)}</time>
            ${outbound ? this.renderStatus(message) : nothing}
            ${message.pending || !this.replyable
              ? nothing
              : // Named, not written: the excerpt in the button's text would be a second copy of the message's words on the page.
                html`<button
                  class="reply"
                  aria-label=${msg(str`Reply to “${replyExcerpt(message)}”`, { desc: 'A Reply button’s name for screen readers: the start of the message replied to' })}
                  @click=${() => this.dispatchEvent(new ReplyToEvent(message))}
                >
                  ${msg('Reply')}
                </button>`}
          </div>
          ${failed ? this.renderFailure(message) : nothing}
        </div>
      </div>
    `;
  }

  /** Who wrote it, for a screen reader; a colleague's message (a transfer, a consult) names them on screen too. */
  private renderSender(message: ThreadMessage) {
    if (message.direction !== 'outbound') return html`<span class="visually-hidden">${msg(str`${this.customer}:`)}</span>`;
    const colleague = colleagueAuthor(this.authors, message.agentId);
    return colleague === null
      ? html`<span class="visually-hidden">${msg('You:')}</span>`
      : html`<p class="author" dir="auto">${colleague}<span class="visually-hidden">:</span></p>`;
  }

  /** An agent message's sender as a quote names it: "You" or the colleague who wrote it. */
  private agentSender(message: Message): string {
    return colleagueAuthor(this.authors, message.agentId) ?? msg('You');
  }

  /** Who is quoted and the first line of what they wrote; a link to it when it is loaded. */
  private renderQuote(replyTo: NonNullable<Message['replyTo']>) {
    const quoted = this.quoted;
    const sender = quoted ? (quoted.direction === 'outbound' ? this.agentSender(quoted) : this.customer) : null;
    const text = (replyTo.body ?? quoted?.body ?? '').split('\n', 1)[0]!.trim() || msg('a message');
    const content = html`<span class="visually-hidden">${msg('Replying to:')}</span>${sender ? html`<span class="quote-sender">${sender}</span>` : nothing}<span
        class="quote-text"
        dir="auto"
        >${text}</span
      >`;
    if (!quoted) return html`<div class="quote">${content}</div>`;
    return html`<button class="quote" @click=${() => this.dispatchEvent(new ShowMessageEvent(quoted.id))}>
      ${content}<span class="visually-hidden">${msg('(show the original message)')}</span>
    </button>`;
  }

  private renderLocation(location: MessageLocation) {
    const title = location.label ?? location.address ?? msg('Shared location');
    return html`<div class="card location" role="group" aria-label=${msg(str`Location: ${title}`)}>
      <p class="card-title">${title}</p>
      ${location.label && location.address ? html`<p>${location.address}</p>` : nothing}
      <p class="coordinates">${location.latitude}, ${location.longitude}</p>
      <a href=${mapUrl(location)} target="_blank" rel="noopener noreferrer">${msg('Open in map')}</a>
    </div>`;
  }

  private renderContact(contact: MessageContact) {
    const phone = contact.phones[0];
    return html`<div class="card contact" role="group" aria-label=${msg(str`Contact: ${contact.name}`)}>
      <p class="card-title" dir="auto">${contact.name}</p>
      ${contact.phones.length
        ? html`<ul class="phones">${contact.phones.map((p) => html`<li>${phoneText(formatPhone(p))}</li>`)}</ul>`
        : html`<p>${msg('No phone number')}</p>`}
      <div class="card-actions">
        <button ?disabled=${!phone} @click=${() => phone && void this.startConversation(phone)}>${msg('Start WhatsApp conversation')}</button>
        <button @click=${() => this.createContact(contact)}>${msg('Create contact')}</button>
      </div>
      <p class="card-notice" role="status">${this.contactNotice && this.contactNotice.phone === phone ? this.contactNotice.text : ''}</p>
    </div>`;
  }

  /**
   * The relay cannot open a conversation to a new number (that needs a template sent outside
   * any window, and it has no route for it): the number is copied so the agent can use it.
   */
  private async startConversation(phone: string): Promise<void> {
    const shown = formatPhone(phone);
    try {
      await navigator.clipboard.writeText(phone);
      this.contactNotice = { phone, text: msg(str`${shown} copied. The panel cannot start a new WhatsApp conversation yet.`) };
    } catch {
      this.contactNotice = { phone, text: msg(str`The panel cannot start a new WhatsApp conversation yet; the number is ${shown}.`) };
    }
  }

  private createContact(contact: MessageContact) {
    const draft = contactDraftFrom({ profileName: contact.name, phone: contact.phones[0] ?? '', waId: null });
    this.dispatchEvent(new CreateRecordEvent(newContact(draft), false));
  }

  /** A tapped button: the customer's choice, linked to the question it answers when that is loaded. */
  private renderChoice(text: string) {
    const question = this.question;
    return html`
      ${question
        ? html`<button class="quote" @click=${() => this.dispatchEvent(new ShowMessageEvent(question.id))}>
            <span class="visually-hidden">${msg('In answer to:')}</span><span class="quote-sender">${this.agentSender(question)}</span><span
              class="quote-text"
              >${question.body.split('\n', 1)[0] || msg('a message')}</span
            ><span class="visually-hidden">${msg('(show the question)')}</span>
          </button>`
        : nothing}
      <p class="choice">${msg(str`Chose: ${text}`)}</p>
    `;
  }

  private renderFailure(message: ThreadMessage) {
    const error: MessageError | undefined = message.error;
    const code = error?.code ?? message.errorCode;
    return html`<div class="error">
      ${error
        ? html`<p><strong>${error.title}</strong> ${this.renderText(error.action)}</p>`
        : html`<span>${message.errorMessage ? msg(str`Not delivered: ${message.errorMessage}`) : msg('Not delivered')}${message.errorCode ? ` (${message.errorCode})` : ''}</span>`}
      ${code ? html`<a href=${twilioErrorUrl(code)} target="_blank" rel="noopener noreferrer">${msg(str`Twilio error ${code}`)}</a>` : nothing}
      <button @click=${() => this.dispatchEvent(new RetryMessageEvent(message.id))}>${msg('Retry')}</button>
    </div>`;
  }

  private renderStatus(message: ThreadMessage) {
    if (message.pending) return html`<span class="tick">${msg('Waiting to send')}</span>`;
    const label = statusLabel(message.status);
    if (!label) return nothing;
    const ticks = message.status === 'queued' || message.status === 'sending' ? clockIcon : message.status === 'sent' ? '✓' : '✓✓';
    // Named by its title alone (a tooltip too): an aria-label beside the same title was read twice, as name and description.
    return html`<span class="tick ${message.status}" role="img" title=${label}>${ticks}</span>`;
  }

  private renderText(text: string) {
    // A link is isolated, left to right (`dir`): a direction control typed before it must not
    // draw the address backwards (linkify keeps controls out of the link text itself).
    return linkify(text).map((part) =>
      part.href ? html`<a href=${part.href} dir="ltr" target="_blank" rel="noopener noreferrer">${part.text}</a>` : part.text,
    );
  }

  private renderMedia(media: MediaItem, outbound: boolean) {
    const src = this.mediaUrls.get(media.url);
    const name = media.filename ?? media.contentType;
    if (src === undefined) {
      this.requestMedia(media);
      return html`<div class="media placeholder">${msg(str`Loading ${name}…`)}</div>`;
    }
    if (src === '') {
      // A failed load is often a passing one (Twilio slow or briefly down): the agent can ask again.
      const again = () => this.dispatchEvent(new MediaRequestEvent(media));
      return html`<div class="media placeholder">${msg(str`${name} could not be loaded.`)} <button type="button" @click=${again}>${msg('Try again')}</button></div>`;
    }
    const kind = media.contentType.split('/')[0];
    if (kind === 'image') {
      return html`<div class="media"><img src=${src} alt=${media.filename ?? (outbound ? msg('Image from you') : msg(str`Image from ${this.customer}`))} /></div>`;
    }
    if (kind === 'audio') return html`<div class="media"><audio controls src=${src} aria-label=${msg(str`Audio: ${name}`)}></audio></div>`;
    if (kind === 'video') return html`<div class="media"><video controls src=${src} aria-label=${msg(str`Video: ${name}`)}></video></div>`;
    return html`<div class="media">
      <a href=${src} download=${media.filename ?? ''} target="_blank" rel="noopener noreferrer">${documentIcon} ${name}${media.size ? ` (${formatBytes(media.size)})` : ''}</a>
    </div>`;
  }

  /** Asked once per item by this bubble, after the render that found it missing (the panel skips what it has). */
  private requestMedia(media: MediaItem) {
    if (this.requested.has(media.url)) return;
    this.requested.add(media.url);
    queueMicrotask(() => this.dispatchEvent(new MediaRequestEvent(media)));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'wcp-message': WcpMessage;
  }
}

/** How many characters of a message its Reply button names: enough to tell one from the next, short enough to hear. */
const REPLY_EXCERPT_CHARS = 40;

/** The start of the message a Reply button is for: each button is told apart by it (all of them were "Reply to this message"). */
function replyExcerpt(message: Message): string {
  const text = message.body.replace(/\s+/g, ' ').trim();
  if (!text) return msg('attachment');
  return text.length > REPLY_EXCERPT_CHARS ? `${[...text].slice(0, REPLY_EXCERPT_CHARS).join('').trimEnd()}…` : text;
}
