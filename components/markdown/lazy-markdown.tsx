'use client';
// The chat's Markdown renderer (react-markdown and remark-gfm, about 150 KB, and the parsing of every answer on
// the page) out of the chat page's first load. The server renders each answer in full, in place, as before.
// The browser hydrates an answer as the element the server sent, leaving its HTML as it is, and renders it in
// React's hands (the same output) once the renderer has loaded at the next idle moment: the rest of the page,
// the message box first of all, is usable without waiting for it. No Suspense boundary: React's server
// renderer would send large boundaries out of place (a fallback first, the answer later in the stream).
import { memo, useEffect, useState, useSyncExternalStore } from 'react';
import { whenIdle } from '@/components/hooks/when-idle';

type Renderer = typeof import('./markdown').Markdown;

let loading: Promise<Renderer> | undefined;
const load = (): Promise<Renderer> => {
  loading ??= import('./markdown').then(
    (module) => (loaded = module.Markdown),
    (error: unknown) => {
      loading = undefined; // a failed download (a redeploy, the network) is tried again by the next answer
      throw error;
    },
  );
  return loading;
};
// The server has the renderer from the start (the build drops this branch, and its import, from the browser's
// bundle, where `typeof window` is a constant).
let loaded: Renderer | undefined = typeof window === 'undefined' ? (await import('./markdown')).Markdown : undefined;

/** Fetches the renderer at the next idle moment, so that an answer first rendered in the browser need not wait. */
export function preloadMarkdown(): void {
  void whenIdle()
    .then(load)
    .catch(() => {});
}

/**
 * Resolves once the renderer has loaded (or could not be). Messages fetched to be rendered in the browser (an
 * older page, another branch) wait for it, so they appear formatted at once: re-rendered later, their height
 * would change under a reader who has just been scrolled to one of them.
 */
export function markdownReady(): Promise<void> {
  return load().then(
    () => {},
    () => {},
  );
}

const noSubscription = () => () => {};
/**
 * One object for every render: React sets innerHTML only when this prop changes, and hydrates an element with
 * it without looking at its content, so the server's HTML stays as it is.
 */
const KEEP_SERVER_HTML = { __html: '' };

export const Markdown = memo(function DeferredMarkdown({ text }: { text: string }) {
  // True while hydrating (the server's snapshot), false once React runs in the browser.
  const hydrating = useSyncExternalStore(
    noSubscription,
    () => false,
    () => true,
  );
  // The text of the server's HTML, for an answer that was hydrated: shown as it is until the renderer has loaded.
  const [serverText] = useState(() => (hydrating ? text : null));
  const [Rendered, setRendered] = useState<Renderer | undefined>(() => loaded);
  useEffect(() => {
    if (Rendered) return;
    let active = true;
    // Answers the server rendered wait for an idle moment; an answer new in the browser needs it now.
    (serverText === null ? load() : whenIdle().then(load)).then(
      (renderer) => active && setRendered(() => renderer),
      () => {}, // not loaded: the answer stays readable as it is (server HTML or plain text)
    );
    return () => {
      active = false;
    };
  }, [Rendered, serverText]);

  if (Rendered) return <Rendered text={text} />;
  // The same element as the renderer's root (markdown.tsx), so hydration matches it.
  // biome-ignore lint/security/noDangerouslySetInnerHtml: an empty constant; it sets no HTML, it keeps the server's.
  if (serverText === text) return <div className="prose-chat" dangerouslySetInnerHTML={KEEP_SERVER_HTML} suppressHydrationWarning />;
  // New in the browser, or changed since the server's HTML (a live answer): its text as is, for that moment.
  return <div className="prose-chat whitespace-pre-wrap">{text}</div>;
});
