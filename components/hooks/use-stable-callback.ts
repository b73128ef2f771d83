'use client';
// A function whose identity never changes but which always runs the latest `fn`. The thread passes its
// handlers to every memoised message: handlers rebuilt on each streamed chunk (they close over the
// messages) would re-render every message on every chunk, and on the Send click before the request leaves.
import { useCallback, useLayoutEffect, useRef } from 'react';

export function useStableCallback<Args extends unknown[], Result>(fn: (...args: Args) => Result): (...args: Args) => Result {
  const latest = useRef(fn);
  useLayoutEffect(() => {
    latest.current = fn;
  });
  return useCallback((...args: Args) => latest.current(...args), []);
}
