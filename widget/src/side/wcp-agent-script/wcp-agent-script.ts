import { LitElement, html, nothing } from 'lit';
import { localized, msg, str } from '@lit/localize';
import { customElement, property } from 'lit/decorators.js';
import type { AgentScript } from '@wcp/protocol';
import { InsertTextEvent, ScriptProgressEvent, type ScriptProgress } from '../../events/index.js';
import { sideTheme } from '../shared/theme.styles.js';
import { agentScriptStyles } from './wcp-agent-script.styles.js';

/**
 * The agent script for the conversation: choose a script, tick its steps as done, insert a
 * step's text into the composer. Controlled: it shows `progress` and raises the whole new
 * progress on every change; the panel keeps it per conversation and passes it back.
 *
 * @fires {ScriptProgressEvent} wcp-script-progress - the chosen script and done steps
 * @fires {InsertTextEvent} wcp-insert-text - a step's text, `source: 'script'`
 * @csspart steps - the list of steps
 * @cssprop --wcp-color-brand - accent colour
 */
@localized()
@customElement('wcp-agent-script')
export class AgentScriptElement extends LitElement {
  static override styles = [sideTheme, agentScriptStyles];

  @property({ attribute: false }) scripts: AgentScript[] = [];
  @property({ attribute: false }) progress: ScriptProgress = { scriptId: null, doneStepIds: [] };

  /** The chosen script, else the first one. */
  private get script(): AgentScript | undefined {
    return this.scripts.find((s) => s.id === this.progress.scriptId) ?? this.scripts[0];
  }

  override render() {
    const script = this.script;
    if (!script) return html`<h2>${msg('Agent script')}</h2><p class="empty">${msg('No agent scripts.')}</p>`;
    const done = new Set(script.id === this.progress.scriptId ? this.progress.doneStepIds : []);
    const doneCount = script.steps.filter((s) => done.has(s.id)).length;
    return html`
      <h2>${msg('Agent script')}</h2>
      ${this.scripts.length > 1
        ? html`<div class="picker">
            <label for="script">${msg('Script')}</label>
            <select id="script" @change=${this.onChooseScript}>
              ${this.scripts.map((s) => html`<option value=${s.id} .selected=${s.id === script.id}>${s.name}</option>`)}
            </select>
          </div>`
        : html`<p>${script.name}</p>`}
      <p class="progress subtle">${msg(str`${doneCount} of ${script.steps.length} steps done`)}</p>
      <ol part="steps" class="stack" aria-label=${msg(str`Steps of ${script.name}`)}>
        ${script.steps.map((step) => {
          const isDone = done.has(step.id);
          return html`<li class="card ${isDone ? 'done' : ''}">
            <div class="step">
              <label>
                <input type="checkbox" .checked=${isDone} @change=${(e: Event) => this.onTick(script, step.id, (e.target as HTMLInputElement).checked)} />
                <span class="title">${step.title}</span>
              </label>
              ${step.text
                ? html`<button type="button" aria-label=${msg(str`Insert: ${step.title}`)} @click=${() => this.dispatchEvent(new InsertTextEvent(step.text ?? '', 'script'))}>
                    ${msg('Insert')}
                  </button>`
                : nothing}
            </div>
            ${step.text ? html`<p class="text subtle">${step.text}</p>` : nothing}
          </li>`;
        })}
      </ol>
    `;
  }

  private onChooseScript(e: Event) {
    const scriptId = (e.target as HTMLSelectElement).value;
    this.dispatchEvent(new ScriptProgressEvent({ scriptId, doneStepIds: [] }));
  }

  private onTick(script: AgentScript, stepId: string, checked: boolean) {
    const current = new Set(script.id === this.progress.scriptId ? this.progress.doneStepIds : []);
    if (checked) current.add(stepId);
    else current.delete(stepId);
    // In script order, so the stored progress reads like the script.
    const doneStepIds = script.steps.map((s) => s.id).filter((id) => current.has(id));
    this.dispatchEvent(new ScriptProgressEvent({ scriptId: script.id, doneStepIds }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'wcp-agent-script': AgentScriptElement;
  }
}
