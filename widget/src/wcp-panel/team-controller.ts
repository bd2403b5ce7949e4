import { msg, str } from '@lit/localize';
import { html, nothing } from 'lit';
import type { Conversation, RelayEvent } from '@wcp/protocol';
import { canHandOver } from '@wcp/protocol/states';
import type { ConsultEvent } from '../events/consult-event.js';
import type { TransferEvent } from '../events/transfer-event.js';
import { messageOf } from '../lib/error-text.js';
import type { RelayClient } from '../relay/relay-client.js';
import { RelayError } from '../relay/relay-error.js';
import { consultantNames, isConsulting, type PanelStore } from '../state/panel-store.js';
import type { WcpConsultDialog } from '../wcp-consult-dialog/wcp-consult-dialog.js';
import type { WcpTransferDialog } from '../wcp-transfer-dialog/wcp-transfer-dialog.js';
import '../wcp-consult-dialog/wcp-consult-dialog.js';
import '../wcp-transfer-dialog/wcp-transfer-dialog.js';

/** What the team controller needs from `<wcp-panel>` besides the store. */
export interface TeamHostOptions {
  relay(): RelayClient | null;
  transferDialog(): WcpTransferDialog | null;
  consultDialog(): WcpConsultDialog | null;
  /** The conversation left the agent's tabs (transferred, or a consult it left): focus goes somewhere useful. */
  handedOver?(): void;
}

/** States in which the holder has accepted the conversation and may hand it over or consult. */
const ACCEPTED_STATES = new Set<Conversation['state']>(['active', 'waiting', 'wrapup']);

/**
 * Team work in the panel: the conversation header's Transfer and Consult buttons and their
 * dialogs, the consult's marker and "End consult", and the agent's queues and colleagues.
 * It calls the relay and dispatches what happened to the panel store; the relay's refusals
 * show in the dialog that asked, in plain words (`teamErrorText`).
 */
export class TeamController {
  constructor(
    private readonly store: PanelStore,
    private readonly options: TeamHostOptions,
  ) {}

  /** Queues and colleagues, at sign-in. Both are optional: without them the panel still works. */
  start(relay: RelayClient): void {
    void this.loadQueues(relay);
    void this.loadColleagues(relay);
  }

  /** A queue the agent works, worked, or now works was changed by a supervisor: the list is read again. */
  onRelayEvent(event: RelayEvent): void {
    const relay = this.options.relay();
    if (relay && event.type === 'queue' && event.data.reconfigured) void this.loadQueues(relay);
  }

  /** The latest read of the agent's queues: an older answer arriving after a newer one is dropped. */
  private queuesRead = 0;

  private async loadQueues(relay: RelayClient): Promise<void> {
    const read = ++this.queuesRead;
    try {
      const queues = await relay.queues();
      if (read === this.queuesRead) this.store.dispatch({ type: 'queues', queues });
    } catch {
      // The counts are a hint; `queue` events cannot fill an empty list, the next sign-in will.
    }
  }

  private async loadColleagues(relay: RelayClient): Promise<void> {
    try {
      this.store.dispatch({ type: 'colleagues', colleagues: await relay.agents() });
    } catch (error) {
      this.store.dispatch({ type: 'teamForm', error: msg(str`Colleagues could not be loaded: ${messageOf(error)}`) });
    }
  }

  /** Opens a dialog at once with what is known, then refreshes who can take a conversation now (and, to transfer, where). */
  private async openDialog(dialog: WcpTransferDialog | WcpConsultDialog | null): Promise<void> {
    const relay = this.options.relay();
    if (!dialog || !relay) return;
    this.store.dispatch({ type: 'teamForm', busy: false, error: '' });
    await dialog.show();
    const transferring = dialog === this.options.transferDialog();
    await Promise.all([this.loadColleagues(relay), this.loadQueues(relay), transferring ? this.loadTransferQueues(relay) : undefined]);
  }

  private async loadTransferQueues(relay: RelayClient): Promise<void> {
    try {
      this.store.dispatch({ type: 'transferQueues', queues: await relay.queues('all') });
    } catch {
      // The agent's own queues are offered meanwhile (renderDialogs).
    }
  }

  async transfer(conversationId: string, event: TransferEvent): Promise<void> {
    const relay = this.options.relay();
    if (!relay) return;
    await this.request(
      () => relay.transfer(conversationId, { ...event.destination, ...(event.note ? { note: event.note } : {}) }),
      () => {
        this.options.transferDialog()?.close(false);
        this.store.dispatch({ type: 'handedOver', conversationId });
        this.options.handedOver?.();
      },
      'transfer',
    );
  }

  async consult(conversationId: string, event: ConsultEvent): Promise<void> {
    const relay = this.options.relay();
    if (!relay) return;
    await this.request(
      () => relay.startConsult(conversationId, event.agentId),
      async () => {
        this.options.consultDialog()?.close();
        await this.refresh(relay, conversationId);
      },
      'consult',
    );
  }

  /** The holder ends every consult on it; a consultant leaves its own, and the conversation leaves its tabs. */
  async endConsult(conversation: Conversation): Promise<void> {
    const relay = this.options.relay();
    if (!relay) return;
    const consulting = isConsulting(this.store.state, conversation);
    try {
      await relay.endConsult(conversation.id);
      if (consulting) {
        this.store.dispatch({ type: 'handedOver', conversationId: conversation.id });
        this.options.handedOver?.();
      } else await this.refresh(relay, conversation.id);
    } catch (error) {
      this.store.dispatch({ type: 'notice', text: msg(str`The consult could not be ended: ${messageOf(error)}`) });
    }
  }

  /** The relay tells the holder over its stream too; asking now shows the change without waiting for it. */
  private async refresh(relay: RelayClient, conversationId: string): Promise<void> {
    try {
      this.store.dispatch({ type: 'conversation', conversation: await relay.getConversation(conversationId) });
    } catch {
      // The `state` event brings it.
    }
  }

  private async request(call: () => Promise<void>, done: () => void | Promise<void>, kind: 'transfer' | 'consult'): Promise<void> {
    this.store.dispatch({ type: 'teamForm', busy: true, error: '' });
    try {
      await call();
      this.store.dispatch({ type: 'teamForm', busy: false });
      await done();
    } catch (error) {
      this.store.dispatch({ type: 'teamForm', busy: false, error: teamErrorText(kind, error) });
    }
  }

  // ---- render -------------------------------------------------------------------------

  /** The conversation header's team part: the holder's buttons and consults, or the consultant's marker. */
  renderHeader(conversation: Conversation) {
    const state = this.store.state;
    if (isConsulting(state, conversation)) {
      return html`<div class="team consulting" role="group" aria-label=${msg('Consult')}>
        <span class="consulting-marker">${msg('Consulting')}</span>
        <span class="hint">${msg('Read only: you can read and add notes. The customer does not see you.')}</span>
        <button @click=${() => void this.endConsult(conversation)}>${msg('End consult')}</button>
      </div>`;
    }
    if (!ACCEPTED_STATES.has(conversation.state) || conversation.assignedAgentId !== state.agent?.id) return nothing;
    const names = consultantNames(state, conversation);
    return html`<div class="team" role="group" aria-label=${msg('Team')}>
      ${canHandOver(conversation.state) // a wrap-up stays with its agent (the relay refuses the transfer)
        ? html`<button aria-haspopup="dialog" @click=${() => void this.openDialog(this.options.transferDialog())}>${msg('Transfer')}</button>`
        : nothing}
      <button aria-haspopup="dialog" @click=${() => void this.openDialog(this.options.consultDialog())}>${msg('Consult')}</button>
      ${names.length
        ? html`<span class="consultants">${msg(str`In consult with ${names.join(', ')}`)}</span>
            <button @click=${() => void this.endConsult(conversation)}>${msg('End consult')}</button>`
        : nothing}
    </div>`;
  }

  /** The two dialogs, for the selected conversation (the agent's own; none while consulting). */
  renderDialogs(conversation: Conversation | undefined) {
    if (!conversation) return nothing;
    const state = this.store.state;
    const colleagues = state.colleagues.filter((a) => a.id !== state.agent?.id);
    const id = conversation.id;
    return html`<wcp-transfer-dialog
        .agents=${colleagues}
        .queues=${state.transferQueues.length ? state.transferQueues : state.queues}
        ?busy=${state.teamForm.busy}
        .error=${state.teamForm.error}
        @wcp-transfer=${(e: TransferEvent) => void this.transfer(id, e)}
      ></wcp-transfer-dialog>
      <wcp-consult-dialog
        .agents=${colleagues.filter((a) => !conversation.consultants.includes(a.id))}
        ?busy=${state.teamForm.busy}
        .error=${state.teamForm.error}
        @wcp-consult=${(e: ConsultEvent) => void this.consult(id, e)}
      ></wcp-consult-dialog>`;
  }
}

/** The relay's refusal of a transfer or consult, in words the agent can act on. */
export function teamErrorText(kind: 'transfer' | 'consult', error: unknown): string {
  const code = error instanceof RelayError ? error.code : '';
  const status = error instanceof RelayError ? error.status : 0;
  if (code === 'agent_unavailable') {
    // A consult needs no free capacity: only an offline colleague is refused.
    return kind === 'transfer'
      ? msg('That agent is offline or cannot take another conversation now. Choose someone else or a queue.')
      : msg('That colleague is offline now. Choose another colleague.');
  }
  if (code === 'transfer_to_self') return msg('This conversation is already yours. Choose a colleague or a queue.');
  if (code === 'conversation_closed') return msg('This conversation is closed.');
  if (status === 404) {
    return kind === 'transfer'
      ? msg('That agent or queue no longer exists, or this conversation is no longer yours.')
      : msg('That agent no longer exists, or this conversation is no longer yours.');
  }
  return kind === 'transfer'
    ? msg(str`The conversation could not be transferred: ${messageOf(error)}`)
    : msg(str`The colleague could not be invited: ${messageOf(error)}`);
}
