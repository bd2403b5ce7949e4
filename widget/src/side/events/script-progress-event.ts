/** Which script is chosen for a conversation and which of its steps are done. */
export interface ScriptProgress {
  scriptId: string | null;
  doneStepIds: string[];
}

/** The agent chose a script or ticked a step; carries the whole new progress to store per conversation. */
export class ScriptProgressEvent extends Event {
  static readonly type = 'wcp-script-progress';
  constructor(readonly progress: ScriptProgress) {
    super(ScriptProgressEvent.type, { bubbles: true, composed: true });
  }
}
