import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { localized, msg, str } from '@lit/localize';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { Message, QuickReply, QuickReplyButton } from '@wcp/protocol';
import { CancelReplyEvent } from '../events/cancel-reply-event.js';
import { DraftChangeEvent } from '../events/draft-change-event.js';
import { OpenTemplatesEvent } from '../events/open-templates-event.js';
import { SendMessageEvent } from '../events/send-message-event.js';
import { TypingEvent } from '../events/typing-event.js';
import { ACCEPTED_FILE_TYPES, attachmentProblem, DEFAULT_MAX_ATTACHMENT_BYTES, formatBytes } from '../lib/attachment.js';
import { optedOutNotice } from '../lib/opt-out.js';
import { fillPlaceholders, unfilledPlaceholders, type PlaceholderContext } from '../lib/placeholders.js';
import { WHATSAPP_MAX_BUTTON_TITLE_CHARS, WHATSAPP_MAX_BUTTONS, repeatedButtonTitle, whatsappBodyLength, whatsappBodyLimit } from '../lib/protocol-values.js';
import { formatCount } from '../lib/time.js';
import { tokens } from '../styles/tokens.styles.js';
import { attachIcon } from '../lib/icons.js';
import { styles } from './wcp-composer.styles.js';

/**
 * The message composer: textbox "Message" (Enter sends, Shift+Enter adds a line),
 * "Attach file" (type and size checked before anything is uploaded, one file per message,
 * an upload progress bar), "Send template", "Add buttons" (up to 3 quick-reply buttons under
 * the text), a reply-to chip, and quick replies: `/` at the start opens a filterable list whose
 * placeholders ({customer.name}, {customer.firstName}, {agent.name}, {record.<field>}) are
 * filled on insert. A character counter follows WhatsApp's 1,600 limit; Send stays disabled,
 * saying why, while the text is too long, a placeholder is unfilled or a button has no title,
 * and everything is disabled with the opt-out notice while the customer has opted out.
 *
 * @fires {TypingEvent} wcp-typing - the agent typed (the panel throttles what reaches the relay)
 * @fires {SendMessageEvent} wcp-send - text and/or the attached file
 * @fires {DraftChangeEvent} wcp-draft-change - the text changed
 * @fires {OpenTemplatesEvent} wcp-open-templates - "Send template" pressed
 * @fires {CancelReplyEvent} wcp-cancel-reply - the reply-to quote removed
 * @csspart textbox - the message textarea
 * @cssprop --wcp-color-brand - Send button and focus
 */
@localized()
@customElement('wcp-composer')
export class WcpComposer extends LitElement {
  static override styles = [tokens, styles];

  /** The conversation written to: the attachment and buttons belong to it and go when it changes. */
  @property({ attribute: 'conversation-id' }) conversationId = '';
  @property() draft = '';
  @property({ attribute: false }) replyTo: Message | null = null;
  @property({ attribute: false }) quickReplies: readonly QuickReply[] = [];
  @property({ attribute: false }) placeholderContext: PlaceholderContext = { customerName: '', agentName: '', record: {} };
  @property({ type: Number, attribute: 'max-attachment-bytes' }) maxAttachmentBytes = DEFAULT_MAX_ATTACHMENT_BYTES;
  @property({ type: Boolean }) disabled = false;
  /** True while an attachment uploads or a send is on its way. */
  @property({ type: Boolean }) busy = false;
  /** A message from the panel (e.g. an upload failed); shown as an alert. */
  @property() error = '';
  /** The customer opted out (STOP): nothing can be sent, and the notice says why. */
  @property({ type: Boolean, attribute: 'opted-out' }) optedOut = false;
  /** The attachment's upload, 0…1; null when none is under way. */
  @property({ attribute: false }) uploadProgress: number | null = null;

  @state() private attachment: File | null = null;
  @state() private attachError = '';
  @state() private quickOpen = false;
  @state() private activeIndex = 0;
  /** Quick-reply button titles under the text; null while the agent has not added any. */
  @state() private buttons: string[] | null = null;

  @query('textarea') private textarea!: HTMLTextAreaElement;
  @query('input[type="file"]') private fileInput!: HTMLInputElement;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('conversationId') && changed.get('conversationId') !== undefined) {
      this.attachment = null;
      this.attachError = '';
      this.buttons = null;
    }
  }

  override focus(options?: FocusOptions): void {
    this.textarea?.focus(options);
  }

  /**
   * Inserts text at the caret (knowledge articles, script steps), filling placeholders, as words
   * of its own: a space where it would otherwise touch the words before or after it.
   */
  insertText(text: string): void {
    const area = this.textarea;
    const start = area ? area.selectionStart : this.draft.length;
    const end = area ? area.selectionEnd : this.draft.length;
    const before = this.draft.slice(0, start);
    const after = this.draft.slice(end);
    const apart = (a: string, b: string) => (a !== '' && b !== '' && !/\s/.test(a) && !/\s/.test(b) ? ' ' : '');
    let filled = fillPlaceholders(text, this.placeholderContext);
    filled = apart(before.slice(-1), filled.slice(0, 1)) + filled + apart(filled.slice(-1), after.slice(0, 1));
    this.setDraft(before + filled + after);
    void this.updateComplete.then(() => {
      this.textarea.focus();
      this.textarea.setSelectionRange(start + filled.length, start + filled.length);
    });
  }

  /** The "/" query while the quick-reply list applies, else null. */
  private get quickQuery(): string | null {
    const match = /^\/(\S*)$/.exec(this.draft);
    return match ? match[1]!.toLowerCase() : null;
  }

  private get quickMatches(): QuickReply[] {
    const query = this.quickQuery ?? '';
    return this.quickReplies.filter(
      (reply) =>
        reply.title.toLowerCase().includes(query) ||
        reply.tags.some((tag) => tag.toLowerCase().includes(query)) ||
        reply.body.toLowerCase().includes(query),
    );
  }

  /** The text as it would reach the customer: placeholders filled, trimmed. */
  private get outgoingBody(): string {
    return fillPlaceholders(this.draft, this.placeholderContext).trim();
  }

  /** The text's limit: a caption's with a file attached or buttons added, a message's without (the relay's rule). */
  private get bodyLimit(): number {
    return whatsappBodyLimit({ media: this.attachment !== null, buttons: this.buttons !== null });
  }

  /** Why Send is disabled although there is something to send; '' when it is not. */
  private sendBlockedReason(body: string): string {
    const length = whatsappBodyLength(body);
    const limit = this.bodyLimit;
    if (length > limit) {
      const over = formatCount(length - limit);
      return msg(str`Too long for WhatsApp: remove ${over} characters to send.`);
    }
    const missing = unfilledPlaceholders(this.draft, this.placeholderContext);
    if (missing.length > 0) return msg(str`Fill in ${missing.join(', ')} before sending`);
    if (this.buttons) {
      if (!body) return msg('Write the message the buttons go under.');
      if (this.buttons.some((title) => !title.trim())) return msg('Give every button a title, or remove it.');
      const repeated = repeatedButtonTitle(this.buttons);
      if (repeated !== null) return msg(str`Give each button its own title: “${repeated}” is on two.`);
    }
    return '';
  }

  override render() {
    const showQuick = this.quickOpen && this.quickQuery !== null;
    const matches = showQuick ? this.quickMatches : [];
    const active = matches[Math.min(this.activeIndex, matches.length - 1)];
    const closed = this.disabled || this.optedOut;
    const body = this.outgoingBody;
    const length = whatsappBodyLength(body);
    const hasContent = body.length > 0 || this.attachment !== null;
    const blocked = hasContent ? this.sendBlockedReason(body) : '';
    const canSend = !closed && !this.busy && hasContent && !blocked;
    const limit = this.bodyLimit;
    const nearLimit = length >= limit - NEAR_LIMIT_CHARS;
    return html`
      ${this.optedOut ? html`<p class="opted-out" role="status">${optedOutNotice()}</p>` : nothing}
      ${this.replyTo
        ? html`<div class="chip">
            <span>${msg(str`Replying to: ${this.replyTo.body || msg('attachment')}`)}</span>
            <button @click=${() => this.dispatchEvent(new CancelReplyEvent())}>${msg('Cancel reply')}</button>
          </div>`
        : nothing}
      ${this.attachment
        ? html`<div class="chip">
            <span>${attachIcon} ${this.attachment.name} (${formatBytes(this.attachment.size)})</span>
            <button ?disabled=${this.busy} @click=${this.removeAttachment}>${msg('Remove attachment')}</button>
          </div>`
        : nothing}
      ${this.attachment && this.uploadProgress !== null
        ? html`<progress max="1" .value=${this.uploadProgress} aria-label=${msg(str`Uploading ${this.attachment.name}`)}></progress>`
        : nothing}
      ${showQuick
        ? html`<ul role="listbox" id="quick-replies" aria-label=${msg('Quick replies')}>
            ${matches.length === 0
              ? html`<li class="none" role="option" aria-disabled="true" aria-selected="false">${msg('No quick replies match')}</li>`
              : matches.map(
                  (reply, index) => html`<li
                    role="option"
                    id=${`qr-${index}`}
                    aria-selected=${String(reply === active)}
                    @mousedown=${(e: Event) => e.preventDefault()}
                    @click=${() => this.pickQuickReply(reply)}
                  >
                    ${reply.title}<small>${fillPlaceholders(reply.body, this.placeholderContext)}</small>
                  </li>`,
                )}
          </ul>`
        : nothing}
      <textarea
        part="textbox"
        aria-label=${msg('Message')}
        aria-describedby=${closed ? nothing : 'typing-help'}
        placeholder=${closed ? '' : msg('Type a message. / for quick replies')}
        aria-controls=${showQuick ? 'quick-replies' : nothing}
        aria-activedescendant=${showQuick && active ? `qr-${matches.indexOf(active)}` : nothing}
        .value=${this.draft}
        ?disabled=${closed}
        @input=${this.onInput}
        @keydown=${this.onKeyDown}
      ></textarea>
      <div class="meta">
        ${closed
          ? // Nothing can be typed: no promise of quick replies or of "typing…" the customer would see.
            html`<p></p>`
          : html`<p id="typing-help" class="help">${msg('While you type, the customer sees "typing…" and their latest message is marked read.')}</p>`}
        <span class="counter ${length > limit ? 'over' : ''}" aria-live=${nearLimit ? 'polite' : 'off'}
          >${msg(str`${formatCount(length)} of ${formatCount(limit)} characters`)}</span
        >
      </div>
      ${this.buttons ? this.renderButtons(closed) : nothing}
      ${this.attachError || this.error ? html`<p class="error" role="alert">${this.attachError || this.error}</p>` : nothing}
      ${blocked && !closed ? html`<p id="send-blocked" class="blocked">${blocked}</p>` : nothing}
      <div class="actions">
        <input type="file" hidden accept=${ACCEPTED_FILE_TYPES} @change=${this.onFileChosen} />
        <button ?disabled=${closed || this.busy || this.buttons !== null} @click=${() => this.fileInput.click()}>${msg('Attach file')}</button>
        ${this.buttons === null
          ? html`<button class="add-buttons" ?disabled=${closed || this.attachment !== null} @click=${this.addButtons}>${msg('Add buttons')}</button>`
          : nothing}
        <button ?disabled=${closed} @click=${() => this.dispatchEvent(new OpenTemplatesEvent())}>${msg('Send template')}</button>
        <button class="primary send" ?disabled=${!canSend} aria-describedby=${blocked && !closed ? 'send-blocked' : nothing} @click=${this.send}>
          ${msg('Send')}
        </button>
      </div>
    `;
  }

  private renderButtons(closed: boolean) {
    const titles = this.buttons ?? [];
    return html`<fieldset class="reply-buttons">
      <legend>${msg('Quick-reply buttons')}</legend>
      ${titles.map((title, index) => {
        const number = index + 1;
        return html`<div class="reply-button">
          <label>
            <span>${msg(str`Button ${number}`)}</span>
            <input
              type="text"
              maxlength=${WHATSAPP_MAX_BUTTON_TITLE_CHARS}
              aria-describedby=${`button-count-${index}`}
              .value=${title}
              ?disabled=${closed}
              @input=${(e: InputEvent) => this.setButton(index, (e.target as HTMLInputElement).value)}
            />
          </label>
          <span class="counter" id=${`button-count-${index}`}
            >${msg(str`${formatCount(title.length)} of ${formatCount(WHATSAPP_MAX_BUTTON_TITLE_CHARS)} characters`)}</span
          >
          <button aria-label=${msg(str`Remove button ${number}`)} @click=${() => this.removeButton(index)}>${msg('Remove')}</button>
        </div>`;
      })}
      <button ?disabled=${closed || titles.length >= WHATSAPP_MAX_BUTTONS} @click=${this.addButton}>${msg('Add another button')}</button>
    </fieldset>`;
  }

  private addButtons() {
    this.buttons = [''];
    void this.focusButton(0);
  }

  private addButton() {
    if (!this.buttons || this.buttons.length >= WHATSAPP_MAX_BUTTONS) return;
    this.buttons = [...this.buttons, ''];
    void this.focusButton(this.buttons.length - 1);
  }

  private setButton(index: number, title: string) {
    this.buttons = (this.buttons ?? []).map((t, i) => (i === index ? title : t));
  }

  /** Removing the last button closes the list and focus goes back to "Add buttons". */
  private async removeButton(index: number) {
    const rest = (this.buttons ?? []).filter((_, i) => i !== index);
    this.buttons = rest.length ? rest : null;
    if (rest.length) return this.focusButton(Math.min(index, rest.length - 1));
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>('.add-buttons')?.focus();
  }

  private async focusButton(index: number) {
    await this.updateComplete;
    this.renderRoot.querySelectorAll<HTMLInputElement>('.reply-button input')[index]?.focus();
  }

  private setDraft(draft: string) {
    this.draft = draft;
    this.dispatchEvent(new DraftChangeEvent(draft));
  }

  private onInput(event: InputEvent) {
    this.setDraft((event.target as HTMLTextAreaElement).value);
    if (this.draft.trim()) this.dispatchEvent(new TypingEvent());
    this.quickOpen = this.quickQuery !== null;
    this.activeIndex = 0;
  }

  private onKeyDown(event: KeyboardEvent) {
    const listOpen = this.quickOpen && this.quickQuery !== null;
    if (listOpen) {
      const matches = this.quickMatches;
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        const step = event.key === 'ArrowDown' ? 1 : -1;
        this.activeIndex = (this.activeIndex + step + matches.length) % Math.max(1, matches.length);
        return;
      }
      if (event.key === 'Escape') {
        event.preventDefault();
        event.stopPropagation();
        this.quickOpen = false;
        return;
      }
      if ((event.key === 'Enter' || event.key === 'Tab') && !event.shiftKey) {
        const pick = matches[Math.min(this.activeIndex, matches.length - 1)];
        if (pick) {
          event.preventDefault();
          this.pickQuickReply(pick);
          return;
        }
      }
    }
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      this.send();
    }
  }

  private pickQuickReply(reply: QuickReply) {
    this.quickOpen = false;
    this.setDraft(fillPlaceholders(reply.body, this.placeholderContext));
    void this.updateComplete.then(() => {
      this.textarea.focus();
      this.textarea.setSelectionRange(this.draft.length, this.draft.length);
    });
  }

  private onFileChosen() {
    const file = this.fileInput.files?.[0];
    this.fileInput.value = '';
    if (!file) return;
    this.chooseFile(file);
  }

  /** Stages a file for the next send after checking WhatsApp's type list and the size limit. */
  chooseFile(file: File): void {
    const problem = attachmentProblem(file, this.maxAttachmentBytes);
    this.attachError = problem ?? '';
    this.attachment = problem ? this.attachment : file;
  }

  private removeAttachment() {
    this.attachment = null;
    this.textarea.focus();
  }

  private send() {
    if (this.disabled || this.optedOut || this.busy) return;
    const body = this.outgoingBody;
    if ((!body && !this.attachment) || this.sendBlockedReason(body)) return;
    const buttons: QuickReplyButton[] = (this.buttons ?? []).map((title, index) => ({ id: `button-${index + 1}`, title: title.trim() }));
    this.buttons = null;
    this.dispatchEvent(new SendMessageEvent(body, this.attachment, this.replyTo?.id ?? null, buttons));
  }

  /** Called by the panel once a send is accepted: the attachment is gone, the draft is whatever the panel sets. */
  clearAttachment(): void {
    this.attachment = null;
    this.attachError = '';
  }
}

/** Within this many characters of the limit the counter is announced (politely) as it changes. */
const NEAR_LIMIT_CHARS = 100;

declare global {
  interface HTMLElementTagNameMap {
    'wcp-composer': WcpComposer;
  }
}
