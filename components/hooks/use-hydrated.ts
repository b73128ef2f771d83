'use client';
// False in the server's HTML and during hydration, true once React runs in the browser. A button rendered
// by the server can be clicked before its handler exists (a slow device, a big thread) and the click is
// lost: controls that act only through JavaScript stay disabled until then.
import { useSyncExternalStore } from 'react';

const subscribe = () => () => {};

export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}
