'use client';
// The chat's Markdown renderer (react-markdown and remark-gfm, about 150 KB, and the parsing of every answer on
// the page) out of the chat page's first load. The server renders each answer in full, as before. In the
// browser each answer is its own Suspense boundary: React hydrates the rest of the page (the message box first
// of all) without waiting for the renderer, keeps the server's HTML of the answer on screen meanwhile, and
// hydrates the answer once the renderer has loaded (selective hydration: nothing is rendered twice).
import { type ComponentType, lazy, memo, Suspense, useState } from 'react';
import { whenIdle } from '@/components/hooks/when-idle';

type Renderer = typeof import('./markdown').Markdown;

let loaded: Renderer | undefined;
let loading: Promise<Renderer> | undefined;
const load = (): Promise<Renderer> => {
  loading ??= import('./markdown').then((module) => (loaded = module.Markdown));
  return loading;
};
/** Set once the chat has hydrated: the renderer asked for before then is for answers the server already shows. */
let hydrated = false;
const LazyRenderer = lazy(() =>
  // Answers on screen since the server's HTML wait for an idle moment, so the page is usable first.
  (hydrated ? load() : whenIdle().then(load)).then((renderer) => ({ default: renderer })),
);

/**
 * Called once the chat has hydrated. Fetches the renderer at the next idle moment, so that an answer first
 * rendered in the browser (a new chat's) need not wait for it.
 */
export function preloadMarkdown(): void {
  hydrated = true;
  void whenIdle().then(load);
}

// Memoised: a parent's re-render with the same text leaves a boundary that is still waiting to hydrate alone.
export const Markdown = memo(function LazyMarkdown({ text }: { text: string }) {
  // Once loaded (always, on the server after its first render) the renderer is used directly, so the server
  // sends the answer in place rather than after the page; chosen once, so an answer never remounts.
  const [Render] = useState<ComponentType<{ text: string }>>(() => loaded ?? LazyRenderer);
  return (
    // Seen only when an answer is first rendered in the browser before the renderer has arrived: its text as is.
    <Suspense fallback={<div className="prose-chat whitespace-pre-wrap">{text}</div>}>
      <Render text={text} />
    </Suspense>
  );
});
