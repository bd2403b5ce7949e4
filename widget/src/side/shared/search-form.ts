import { msg } from '@lit/localize';
import { html, nothing } from 'lit';

export interface SearchFormOptions {
  /** Accessible name of the search landmark, e.g. "Knowledge". */
  name: string;
  /** Visible label of the query box. */
  label: string;
  inputId: string;
  query: string;
  busy: boolean;
  onQuery(text: string): void;
  onSubmit(e: SubmitEvent): void;
  /** Further fields between the query box and the button (e.g. a type filter). */
  extra?: unknown;
}

/** The side pane's search box: a labelled query, optional filters, and Search (disabled while busy or empty). */
export function searchForm(o: SearchFormOptions) {
  return html`<form role="search" aria-label=${o.name} @submit=${o.onSubmit}>
    <div class="row">
      <div class="grow">
        <label for=${o.inputId}>${o.label}</label>
        <input
          id=${o.inputId}
          type="search"
          autocomplete="off"
          .value=${o.query}
          @input=${(e: Event) => o.onQuery((e.target as HTMLInputElement).value)}
        />
      </div>
      ${o.extra ?? nothing}
      <button type="submit" class="primary" ?disabled=${o.busy || o.query.trim() === ''}>${msg('Search')}</button>
    </div>
  </form>`;
}
