/**
 * Holds one state value that only `reduce` changes, and tells subscribers after each change.
 * The panel subscribes to re-render; its controllers subscribe to start the I/O a change calls for.
 */
export class Store<S, A> {
  private current: S;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly reduce: (state: S, action: A) => S,
    initial: S,
  ) {
    this.current = initial;
  }

  get state(): S {
    return this.current;
  }

  dispatch(action: A): void {
    const next = this.reduce(this.current, action);
    if (next === this.current) return;
    this.current = next;
    for (const listener of [...this.listeners]) listener();
  }

  /** Returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
