import { css, html } from 'lit';
import { localized, msg, str } from '@lit/localize';
import { customElement, property } from 'lit/decorators.js';
import type { Message } from '@wcp/protocol';
import { formatDateTime } from '../lib/time.js';
import { tokens } from '../styles/tokens.styles.js';
import { ModalDialog } from './modal-dialog.js';
import { dialogStyles } from '../styles/dialog.styles.js';
import { supervisorDialogStyles } from './supervisor-dialog.styles.js';

/**
 * A read-only transcript for a supervisor: every message, oldest first, with its time and
 * who wrote it; attachments by file name. Customer text is bound as text, never as HTML.
 *
 * @fires {DialogDismissEvent} wcp-dialog-dismiss - Close or Escape
 */
@localized()
@customElement('wcp-transcript-dialog')
export class WcpTranscriptDialog extends ModalDialog {
  static override styles = [
    tokens,
    dialogStyles,
    supervisorDialogStyles,
    css`
      ol {
        list-style: none;
        margin: 0 0 12px;
        padding: 0;
        max-height: 60vh;
        overflow: auto;
        display: grid;
        gap: 8px;
      }
      li {
        border-inline-start: 3px solid var(--_border);
        padding-inline-start: 8px;
      }
      li.outbound {
        border-color: var(--_brand);
      }
      .meta {
        color: var(--_text-subtle);
        font-size: 12px;
      }
      .body {
        white-space: pre-wrap;
        overflow-wrap: anywhere;
        margin: 0;
      }
    `,
  ];

  @property() customer = '';
  /** Oldest first; null while loading. */
  @property({ attribute: false }) messages: readonly Message[] | null = null;
  /** Agent ids to names, for who wrote an outbound message. */
  @property({ attribute: false }) agentNames: ReadonlyMap<string, string> = new Map();
  @property() error = '';

  override render() {
    return html`<dialog aria-labelledby="title" @cancel=${this.onCancel}>
      <h2 id="title">${msg(str`Transcript of the conversation with ${this.customer}`)}</h2>
      ${this.error ? html`<p role="alert">${this.error}</p>` : this.renderMessages()}
      <div class="actions">
        <button type="button" @click=${this.dismiss}>${msg('Close')}</button>
      </div>
    </dialog>`;
  }

  private renderMessages() {
    if (this.messages === null) return html`<p role="status">${msg('Loading…')}</p>`;
    if (this.messages.length === 0) return html`<p>${msg('No messages yet.')}</p>`;
    return html`<ol aria-label=${msg('Conversation transcript')} tabindex="0">
      ${this.messages.map(
        (m) => html`<li class=${m.direction}>
          <div class="meta">${this.author(m)} · <time datetime=${m.createdAt}>${formatDateTime(m.createdAt)}</time></div>
          ${m.body ? html`<p class="body">${m.body}</p>` : null}
          ${m.media.map((media) => html`<p class="body">${msg(str`Attachment: ${media.filename ?? media.contentType}`)}</p>`)}
        </li>`,
      )}
    </ol>`;
  }

  private author(m: Message): string {
    if (m.direction === 'inbound') return this.customer;
    return (m.agentId && this.agentNames.get(m.agentId)) || msg('Agent');
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'wcp-transcript-dialog': WcpTranscriptDialog;
  }
}
