import { html } from 'lit';
import { msg } from '@lit/localize';
import type { Disposition } from '@wcp/protocol';
import { dispositionLabel } from './dispositions.js';
import { WRAP_UP_SUMMARY_MAX_CHARS } from './protocol-values.js';

export interface WrapUpFieldsOptions {
  dispositions: readonly Disposition[];
  disposition: string;
  summary: string;
  summaryRows: number;
  onDisposition(id: string): void;
  onSummary(text: string): void;
}

/**
 * What closing a conversation asks for, wherever it is closed (the agent's wrap-up, a
 * supervisor's force close): combobox "Disposition" (required) and textbox "Summary".
 */
export function wrapUpFields(o: WrapUpFieldsOptions) {
  return html`<label
      >${msg('Disposition')}
      <select aria-label=${msg('Disposition')} required .value=${o.disposition} @change=${(e: Event) => o.onDisposition((e.target as HTMLSelectElement).value)}>
        <option value="">${msg('Choose…')}</option>
        ${o.dispositions.map((d) => html`<option value=${d.id} ?selected=${d.id === o.disposition}>${dispositionLabel(d.id, o.dispositions)}</option>`)}
      </select>
    </label>
    <label
      >${msg('Summary')}
      <textarea
        aria-label=${msg('Summary')}
        rows=${o.summaryRows}
        maxlength=${WRAP_UP_SUMMARY_MAX_CHARS}
        .value=${o.summary}
        @input=${(e: Event) => o.onSummary((e.target as HTMLTextAreaElement).value)}
      ></textarea>
    </label>`;
}
