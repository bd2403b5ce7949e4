import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { localized, msg } from '@lit/localize';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { Note } from '@wcp/protocol';
import { AddNoteEvent } from '../../events/index.js';
import { formatDateTime } from '../shared/format.js';
import { sideTheme } from '../shared/theme.styles.js';
import { notesStyles } from './wcp-notes.styles.js';

/**
 * Notes on the conversation: the list (newest first: author, time, text) and a box to add one.
 * Ctrl+Enter (or ⌘+Enter) adds the note too. The draft is cleared on submit and put back if
 * the panel then reports an `error`.
 *
 * @fires {AddNoteEvent} wcp-add-note - with the trimmed `body`
 * @csspart list - the list of notes
 * @cssprop --wcp-color-brand - accent colour (buttons, focus)
 * @cssprop --wcp-color-border - card borders
 */
@localized()
@customElement('wcp-notes')
export class NotesElement extends LitElement {
  static override styles = [sideTheme, notesStyles];

  @property({ attribute: false }) notes: Note[] = [];
  /** A note is being saved: "Add note" is disabled. */
  @property({ type: Boolean }) busy = false;
  /** Message shown as an alert, e.g. "Could not save the note." */
  @property() error = '';

  @state() private draft = '';
  private lastSubmitted = '';

  @query('textarea') private textarea!: HTMLTextAreaElement;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('notes')) this.lastSubmitted = '';
    if (changed.has('error') && this.error && this.draft === '' && this.lastSubmitted) {
      this.draft = this.lastSubmitted;
    }
  }

  override render() {
    const sorted = [...this.notes].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    return html`
      <h2 id="heading">${msg('Notes')}</h2>
      <form @submit=${this.onSubmit}>
        <label for="note">${msg('New note')}</label>
        <textarea
          id="note"
          .value=${this.draft}
          @input=${(e: Event) => (this.draft = (e.target as HTMLTextAreaElement).value)}
          @keydown=${this.onKeydown}
        ></textarea>
        <div class="actions">
          <button class="primary" type="submit" ?disabled=${this.busy || this.draft.trim() === ''}>
            ${msg('Add note')}
          </button>
        </div>
      </form>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      <div class="list">
        ${sorted.length === 0
          ? html`<p class="empty">${msg('No notes yet.')}</p>`
          : html`<ul part="list" class="stack" aria-labelledby="heading">
              ${sorted.map(
                (note) => html`<li class="card note">
                  <div class="meta">
                    <strong>${note.agentName}</strong>
                    <time class="subtle" datetime=${note.createdAt}>${formatDateTime(note.createdAt)}</time>
                  </div>
                  <p dir="auto">${note.body}</p>
                </li>`,
              )}
            </ul>`}
      </div>
    `;
  }

  private onKeydown(e: KeyboardEvent) {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      this.submit();
    }
  }

  private onSubmit(e: SubmitEvent) {
    e.preventDefault();
    this.submit();
  }

  private submit() {
    const body = this.draft.trim();
    if (!body || this.busy) return;
    this.lastSubmitted = this.draft;
    this.draft = '';
    this.dispatchEvent(new AddNoteEvent(body));
    this.textarea.focus();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'wcp-notes': NotesElement;
  }
}
