/** Which script is chosen for a conversation and which of its steps are done. */
export interface ScriptProgress {
  scriptId: string | null;
  doneStepIds: string[];
}

/** The agent chose a script or ticked a step; carries the whole new progress to store per conversation. */
export class ScriptProgressEvent extends Event {
  static readonly eventName = 'wcp-script-progress';
  constructor(readonly progress: ScriptProgress) {
    super(ScriptProgressEvent.eventName, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'wcp-script-progress': ScriptProgressEvent;
  }
}
