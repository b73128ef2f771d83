// The message tree's pure functions: the path to a leaf, the newest leaf under a message, the current
// path when no leaf is remembered, and siblings.
import { expect, it } from 'vitest';
import { currentPath, newestLeafUnder, pathTo, siblingsOf, type TreeRow } from '@/lib/chat/tree';

// q1 → a1 → q2 → a2 ; q1 → a1b (regenerated) ; q1b (edit of q1, a new root) → a3
const rows: TreeRow[] = [
  { id: 'q1', parentId: null, seq: 1n },
  { id: 'a1', parentId: 'q1', seq: 2n },
  { id: 'q2', parentId: 'a1', seq: 3n },
  { id: 'a2', parentId: 'q2', seq: 4n },
  { id: 'a1b', parentId: 'q1', seq: 5n },
  { id: 'q1b', parentId: null, seq: 6n },
  { id: 'a3', parentId: 'q1b', seq: 7n },
];
const ids = (list: TreeRow[]) => list.map((r) => r.id);

it('walks from a leaf to the root, oldest first', () => {
  expect(ids(pathTo(rows, 'a2'))).toEqual(['q1', 'a1', 'q2', 'a2']);
  expect(ids(pathTo(rows, 'a1b'))).toEqual(['q1', 'a1b']);
  expect(pathTo(rows, 'missing')).toEqual([]);
  expect(pathTo(rows, null)).toEqual([]);
});

it('a switch lands on the newest leaf under the chosen message', () => {
  expect(newestLeafUnder(rows, 'q1')?.id).toBe('a1b');
  expect(newestLeafUnder(rows, 'a1')?.id).toBe('a2');
  expect(newestLeafUnder(rows, 'q1b')?.id).toBe('a3');
  expect(newestLeafUnder(rows, 'nope')).toBeUndefined();
});

it('with no remembered leaf (or a missing one) the current path ends at the newest message', () => {
  expect(ids(currentPath(rows, undefined))).toEqual(['q1b', 'a3']);
  expect(ids(currentPath(rows, 'gone'))).toEqual(['q1b', 'a3']);
  expect(ids(currentPath(rows, 'a2'))).toEqual(['q1', 'a1', 'q2', 'a2']);
  expect(currentPath([], null)).toEqual([]);
});

it('lists siblings (oldest first) only where there are several', () => {
  const siblings = siblingsOf(rows);
  expect(siblings.get('a1')).toEqual(['a1', 'a1b']);
  expect(siblings.get('a1b')).toEqual(['a1', 'a1b']);
  expect(siblings.get('q1')).toEqual(['q1', 'q1b']);
  expect(siblings.has('q2')).toBe(false);
  expect(siblings.has('a3')).toBe(false);
});

it('a cycle (never written by the app) cannot loop forever', () => {
  const cyclic: TreeRow[] = [
    { id: 'x', parentId: 'y', seq: 1n },
    { id: 'y', parentId: 'x', seq: 2n },
  ];
  expect(pathTo(cyclic, 'x').length).toBeLessThanOrEqual(3);
  expect(newestLeafUnder(cyclic, 'x')).toBeDefined();
});
