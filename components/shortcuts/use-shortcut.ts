'use client';
import { useEffect, useRef } from 'react';
import { registerShortcut, type ShortcutHandler, type ShortcutId } from './registry';

/** Handles a shortcut while the component is mounted; the latest `handler` is always the one called. */
export function useShortcut(id: ShortcutId, handler: ShortcutHandler, options: { fallback?: boolean } = {}): void {
  const ref = useRef(handler);
  ref.current = handler;
  const fallback = options.fallback ?? false;
  useEffect(() => registerShortcut(id, () => ref.current(), { fallback }), [id, fallback]);
}
