import { a11ySnapshot } from '@web/test-runner-commands';

interface AxNode {
  role?: string;
  name?: string;
  children?: AxNode[];
}

/**
 * The names of every element of `role` on the page, as Chromium's accessibility tree gives them
 * to a screen reader: where the parts of a name run together or gain stray spaces, these show it
 * (an element's textContent does not).
 */
export async function spokenNames(role: string): Promise<string[]> {
  const names: string[] = [];
  const walk = (node: AxNode) => {
    if (node.role === role) names.push(node.name ?? '');
    node.children?.forEach(walk);
  };
  // Typed as void by the commands package; it resolves to the snapshot.
  walk((await a11ySnapshot({})) as unknown as AxNode);
  return names;
}
