import { html, LitElement, nothing } from 'lit';
import { localized, msg, str } from '@lit/localize';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { Message, QuickReply } from '@wcp/protocol';
import { CancelReplyEvent } from '../events/cancel-reply-event.js';
import { DraftChangeEvent } from '../events/draft-change-event.js';
import { OpenTemplatesEvent } from '../events/open-templates-event.js';
import { SendMessageEvent } from '../events/send-message-event.js';
import { ACCEPTED_FILE_TYPES, attachmentProblem, DEFAULT_MAX_ATTACHMENT_BYTES, formatBytes } from '../lib/attachment.js';
import { fillPlaceholders, type PlaceholderContext } from '../lib/placeholders.js';
import { tokens } from '../styles/tokens.styles.js';
import { attachIcon } from '../lib/icons.js';
import { styles } from './wcp-composer.styles.js';

/**
 * The message composer: textbox "Message" (Enter sends, Shift+Enter adds a line),
 * "Attach file" (type and size checked before anything is uploaded), "Send template",
 * a reply-to chip, and quick replies: `/` at the start opens a filterable list whose
 * placeholders ({customer.name}, {agent.name}, {record.<field>}) are filled on insert.
 *
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

  @state() private attachment: File | null = null;
  @state() private attachError = '';
  @state() private quickOpen = false;
  @state() private activeIndex = 0;

  @query('textarea') private textarea!: HTMLTextAreaElement;
  @query('input[type="file"]') private fileInput!: HTMLInputElement;

  override focus(options?: FocusOptions): void {
    this.textarea?.focus(options);
  }

  /** Inserts text at the caret (knowledge articles, script steps), filling placeholders. */
  insertText(text: string): void {
    const filled = fillPlaceholders(text, this.placeholderContext);
    const area = this.textarea;
    const start = area ? area.selectionStart : this.draft.length;
    const end = area ? area.selectionEnd : this.draft.length;
    this.setDraft(this.draft.slice(0, start) + filled + this.draft.slice(end));
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

  override render() {
    const showQuick = this.quickOpen && this.quickQuery !== null;
    const matches = showQuick ? this.quickMatches : [];
    const active = matches[Math.min(this.activeIndex, matches.length - 1)];
    const canSend = !this.disabled && !this.busy && (this.draft.trim().length > 0 || this.attachment !== null);
    return html`
      ${this.replyTo
        ? html`<div class="chip">
            <span>${msg(str`Replying to: ${this.replyTo.body || msg('attachment')}`)}</span>
            <button @click=${() => this.dispatchEvent(new CancelReplyEvent())}>${msg('Cancel reply')}</button>
          </div>`
        : nothing}
      ${this.attachment
        ? html`<div class="chip">
            <span>${attachIcon} ${this.attachment.name} (${formatBytes(this.attachment.size)})</span>
            <button @click=${this.removeAttachment}>${msg('Remove attachment')}</button>
          </div>`
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
        placeholder=${msg('Type a message. / for quick replies')}
        aria-controls=${showQuick ? 'quick-replies' : nothing}
        aria-activedescendant=${showQuick && active ? `qr-${matches.indexOf(active)}` : nothing}
        .value=${this.draft}
        ?disabled=${this.disabled}
        @input=${this.onInput}
        @keydown=${this.onKeyDown}
      ></textarea>
      ${this.attachError || this.error ? html`<p class="error" role="alert">${this.attachError || this.error}</p>` : nothing}
      <div class="actions">
        <input type="file" hidden accept=${ACCEPTED_FILE_TYPES} @change=${this.onFileChosen} />
        <button ?disabled=${this.disabled || this.busy} @click=${() => this.fileInput.click()}>${msg('Attach file')}</button>
        <button ?disabled=${this.disabled} @click=${() => this.dispatchEvent(new OpenTemplatesEvent())}>${msg('Send template')}</button>
        <button class="primary send" ?disabled=${!canSend} @click=${this.send}>${msg('Send')}</button>
      </div>
    `;
  }

  private setDraft(draft: string) {
    this.draft = draft;
    this.dispatchEvent(new DraftChangeEvent(draft));
  }

  private onInput(event: InputEvent) {
    this.setDraft((event.target as HTMLTextAreaElement).value);
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
    if (this.disabled || this.busy) return;
    const body = this.draft.trim();
    if (!body && !this.attachment) return;
    this.dispatchEvent(new SendMessageEvent(body, this.attachment, this.replyTo?.id ?? null));
  }

  /** Called by the panel once a send is accepted: the attachment is gone, the draft is whatever the panel sets. */
  clearAttachment(): void {
    this.attachment = null;
    this.attachError = '';
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'wcp-composer': WcpComposer;
  }
}
