'use client';
// The chat's Markdown with its renderer (react-markdown and remark-gfm, about 150 KB, and the parsing of every
// answer on the page) out of the page's first load. The server renders each answer as before. The browser
// hydrates it as it is, an element whose content React leaves alone, while the renderer loads after the page
// is interactive; then the answer is rendered again in React's hands, with the same output (no jump).
import { memo, useEffect, useState } from 'react';

type Renderer = typeof import('./markdown').Markdown;

let loading: Promise<Renderer> | undefined;
const load = (): Promise<Renderer> => {
  loading ??= import('./markdown').then((module) => (loaded = module.Markdown));
  return loading;
};
// The server requires it directly; the build drops this branch, and the require, from the browser's bundle
// (`typeof window` is a build-time constant there).
let loaded: Renderer | undefined = typeof window === 'undefined' ? (require('./markdown') as typeof import('./markdown')).Markdown : undefined;

/** Fetches the renderer, so that an answer rendered in the browser (a new chat's first) need not wait for it. */
export function preloadMarkdown(): void {
  void load();
}

/**
 * One object for every render: React sets innerHTML only when this prop changes, and hydrates an element with
 * it without looking at its content, so the server's HTML stays as it is.
 */
const KEEP_SERVER_HTML = { __html: '' };

export const Markdown = memo(function DeferredMarkdown({ text }: { text: string }) {
  const [Rendered, setRendered] = useState<Renderer | undefined>(() => loaded);
  useEffect(() => {
    if (Rendered) return;
    let active = true;
    void load().then((renderer) => active && setRendered(() => renderer));
    return () => {
      active = false;
    };
  }, [Rendered]);
  if (Rendered) return <Rendered text={text} />;
  // The same element as the renderer's root (markdown.tsx), so hydration matches it.
  // biome-ignore lint/security/noDangerouslySetInnerHtml: an empty constant; it sets no HTML, it keeps the server's.
  return <div className="prose-chat" dangerouslySetInnerHTML={KEEP_SERVER_HTML} suppressHydrationWarning />;
});
