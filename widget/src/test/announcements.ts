/**
 * What a screen reader would read out of a shadow tree as it changes: the text of each node added
 * inside a live region (an element with `aria-live`, else role `log`, `status` or `alert`; an
 * explicit `aria-live="off"` silences the role), as Chromium passes such additions on.
 */
const LIVE_ROLES = new Set(['log', 'status', 'alert']);

function liveRegionOf(node: Node, root: Node): Element | null {
  for (let at: Node | null = node; at && at !== root; at = at.parentNode) {
    if (!(at instanceof Element)) continue;
    const live = at.getAttribute('aria-live');
    if (live !== null) return live === 'off' ? null : at;
    if (LIVE_ROLES.has(at.getAttribute('role') ?? '')) return at;
  }
  return null;
}

export interface Announcements {
  /** Each addition's text, whitespace collapsed, in order. */
  readonly texts: string[];
  stop(): void;
}

export function recordAnnouncements(root: ShadowRoot): Announcements {
  const texts: string[] = [];
  const observer = new MutationObserver((records) => {
    for (const record of records) {
      const added = record.type === 'characterData' ? [record.target] : [...record.addedNodes];
      for (const node of added) {
        const text = (node.textContent ?? '').replace(/\s+/g, ' ').trim();
        if (text && liveRegionOf(node, root)) texts.push(text);
      }
    }
  });
  observer.observe(root, { childList: true, subtree: true, characterData: true });
  return { texts, stop: () => observer.disconnect() };
}
