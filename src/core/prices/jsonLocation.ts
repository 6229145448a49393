// Maps a validation error's path to the place in the JSON file it is about, for the Problems panel.
import { findNodeAtLocation } from 'jsonc-parser';
import type { Node } from 'jsonc-parser';

/** `models[3].prices[0].input` → the node, or its nearest existing ancestor (a missing field marks its object). */
export function nodeForPath(root: Node, path: string): Node | undefined {
  const segments: (string | number)[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) segments.push(m[2] !== undefined ? Number(m[2]) : m[1]);
  if (root.type === 'array' && segments[0] === 'models') segments.shift();
  for (let n = segments.length; n >= 0; n--) {
    const node = findNodeAtLocation(root, segments.slice(0, n));
    if (node) return node.parent?.type === 'property' && n === segments.length ? node.parent : node;
  }
  return undefined;
}

