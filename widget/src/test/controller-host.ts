import type { ReactiveControllerHost } from 'lit';

/** A host for a controller under test without the DOM: connected, and nothing to render. */
export function controllerHost(): ReactiveControllerHost & { isConnected: boolean } {
  return {
    isConnected: true,
    addController: () => undefined,
    removeController: () => undefined,
    requestUpdate: () => undefined,
    updateComplete: Promise.resolve(true),
  };
}
