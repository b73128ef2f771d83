// A conversation is a tree of messages (each has a parent; an edit or a regenerate adds a sibling). The
// thread and what Kimi is sent are one path of it: the current leaf and its ancestors. Pure functions over
// a conversation's rows, which are read whole anyway (the history is sent on every turn).

export interface TreeRow {
  id: string;
  parentId: string | null;
  seq: bigint;
}

/** The path from the root to `leafId`, oldest first; empty when the leaf is not among the rows. */
export function pathTo<T extends TreeRow>(rows: readonly T[], leafId: string | null | undefined): T[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const path: T[] = [];
  // Bounded by the row count: a cycle (impossible through the app's writes) cannot loop forever.
  for (let row = leafId ? byId.get(leafId) : undefined; row && path.length <= rows.length; row = row.parentId ? byId.get(row.parentId) : undefined) {
    path.push(row);
  }
  return path.reverse();
}

/** The newest leaf at or under `id` (the branch a switch to `id` shows), or undefined when `id` is not a row. */
export function newestLeafUnder<T extends TreeRow>(rows: readonly T[], id: string): T | undefined {
  const children = childrenByParent(rows);
  let node = rows.find((r) => r.id === id);
  // Follow the newest child down: the branch the user last added to under this message.
  for (let next = node && children.get(node.id)?.at(-1), steps = 0; next && steps < rows.length; next = children.get(next.id)?.at(-1), steps++) {
    node = next;
  }
  return node;
}

/** The path the thread shows: to the remembered leaf, or (none remembered, or it is gone) to the newest message's. */
export function currentPath<T extends TreeRow>(rows: readonly T[], leafId: string | null | undefined): T[] {
  const path = pathTo(rows, leafId);
  if (path.length > 0) return path;
  const newest = rows.reduce<T | undefined>((a, r) => (a && a.seq > r.seq ? a : r), undefined);
  return pathTo(rows, newest?.id);
}

/** Each message's siblings (itself included, oldest first), for the messages that have more than one. */
export function siblingsOf(rows: readonly TreeRow[]): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const group of childrenByParent(rows).values()) {
    if (group.length < 2) continue;
    const ids = group.map((r) => r.id);
    for (const id of ids) result.set(id, ids);
  }
  return result;
}

/** Children per parent id (roots under ''), oldest first. */
function childrenByParent<T extends TreeRow>(rows: readonly T[]): Map<string, T[]> {
  const sorted = [...rows].sort((a, b) => (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0));
  const children = new Map<string, T[]>();
  for (const row of sorted) {
    const key = row.parentId ?? '';
    const list = children.get(key);
    if (list) list.push(row);
    else children.set(key, [row]);
  }
  return children;
}
