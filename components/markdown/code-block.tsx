'use client';
import { useEffect, useRef, useState } from 'react';
import { useI18n } from '@/components/i18n-provider';
import { CheckIcon, CopyIcon } from '@/components/ui/icons';

type Hljs = typeof import('highlight.js/lib/common')['default'];
let hljsPromise: Promise<Hljs> | null = null;

/** highlight.js is loaded on demand, after the first code block renders: it stays out of the first-load bundle. */
function loadHljs(): Promise<Hljs> {
  hljsPromise ??= import('highlight.js/lib/common').then((m) => m.default);
  return hljsPromise;
}

const ALIASES: Record<string, string> = { js: 'javascript', ts: 'typescript', sh: 'bash', shell: 'bash', py: 'python', yml: 'yaml' };

export interface CodeBlockProps {
  code: string;
  /** From the fence's info string (```ts); empty when none. */
  language: string;
}

export function CodeBlock({ code, language }: CodeBlockProps) {
  const { t } = useI18n();
  const [highlighted, setHighlighted] = useState<{ code: string; html: string } | null>(null);
  const [copied, setCopied] = useState(false);
  const copiedTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    if (!language) return;
    let cancelled = false;
    // Debounced: a block that is still streaming is highlighted once it pauses, not on every token.
    const timer = setTimeout(() => {
      loadHljs()
        .then((hljs) => {
          if (cancelled) return;
          const lang = ALIASES[language] ?? language;
          if (!hljs.getLanguage(lang)) return;
          const html = hljs.highlight(code, { language: lang, ignoreIllegals: true }).value;
          setHighlighted({ code, html });
        })
        .catch(() => {});
    }, 120);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [code, language]);

  useEffect(() => () => clearTimeout(copiedTimer.current), []);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(code);
      setCopied(true);
      clearTimeout(copiedTimer.current);
      copiedTimer.current = setTimeout(() => setCopied(false), 2000);
    } catch {
      // Clipboard unavailable (insecure context): nothing to do.
    }
  };

  const current = highlighted && highlighted.code === code ? highlighted.html : null;

  return (
    <div className="not-prose overflow-hidden rounded-xl border border-line bg-code">
      <div className="flex items-center justify-between border-b border-line px-3 py-1 text-xs text-fg-faint">
        <span className="font-mono">{language || t('chat.code')}</span>
        <button type="button" onClick={copy} className="inline-flex items-center gap-1 rounded-md px-1.5 py-1 hover:bg-muted hover:text-fg">
          {copied ? <CheckIcon width={14} height={14} /> : <CopyIcon width={14} height={14} />}
          <span aria-live="polite">{copied ? t('chat.copied') : t('chat.copy')}</span>
        </button>
      </div>
      <pre className="overflow-x-auto p-3 text-[0.85rem] leading-relaxed">
        {current !== null ? (
          // highlight.js output: the code escaped, wrapped in <span class="hljs-…">. The only raw HTML we render.
          <code className="hljs font-mono" dangerouslySetInnerHTML={{ __html: current }} />
        ) : (
          <code className="font-mono">{code}</code>
        )}
      </pre>
    </div>
  );
}
