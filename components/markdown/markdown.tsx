'use client';
import { isValidElement, memo, type ReactElement, type ReactNode, useMemo } from 'react';
import ReactMarkdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { useI18n } from '@/components/i18n-provider';
import type { Translate } from '@/lib/i18n';
import { splitBlocks } from './blocks';
import { CodeBlock } from './code-block';
import { LINK_REL, safeHref } from './safe-url';

const REMARK_PLUGINS = [remarkGfm];

function textOf(node: ReactNode): string {
  if (typeof node === 'string' || typeof node === 'number') return String(node);
  if (Array.isArray(node)) return node.map(textOf).join('');
  if (isValidElement(node)) return textOf((node as ReactElement<{ children?: ReactNode }>).props.children);
  return '';
}

function buildComponents(t: Translate): Components {
  return {
    // Links: only http(s) and mailto, opened in a new tab without referrer; anything else is plain text.
    a({ href, children }) {
      const safe = safeHref(href);
      if (!safe) return <span>{children}</span>;
      return (
        <a href={safe} target="_blank" rel={LINK_REL}>
          {children}
        </a>
      );
    },
    // Images are never fetched from arbitrary hosts: they become links.
    img({ src, alt }) {
      const safe = safeHref(typeof src === 'string' ? src : null);
      const label = t('chat.image', { alt: alt || (typeof src === 'string' ? src : '') });
      if (!safe) return <span>{label}</span>;
      return (
        <a href={safe} target="_blank" rel={LINK_REL}>
          {label}
        </a>
      );
    },
    pre({ children }) {
      const child = Array.isArray(children) ? children[0] : children;
      if (isValidElement(child)) {
        const props = (child as ReactElement<{ className?: string; children?: ReactNode }>).props;
        const language = /language-([\w#+.-]+)/.exec(props.className ?? '')?.[1] ?? '';
        return <CodeBlock code={textOf(props.children).replace(/\n$/, '')} language={language} />;
      }
      return <pre>{children}</pre>;
    },
  };
}

const Block = memo(function Block({ text, components }: { text: string; components: Components }) {
  // No rehype-raw: raw HTML in the answer is shown as text, never parsed.
  return (
    <ReactMarkdown remarkPlugins={REMARK_PLUGINS} components={components}>
      {text}
    </ReactMarkdown>
  );
});

/**
 * Renders an answer as safe Markdown. The text is split into blocks, each memoised: while streaming,
 * only the last block re-renders.
 */
export function Markdown({ text }: { text: string }) {
  const { t } = useI18n();
  const components = useMemo(() => buildComponents(t), [t]);
  const blocks = useMemo(() => splitBlocks(text), [text]);
  return (
    <div className="prose-chat">
      {blocks.map((block, i) => (
        <Block key={i} text={block} components={components} />
      ))}
    </div>
  );
}
