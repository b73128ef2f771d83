'use client';
// Export downloads, made in the browser from the server's JSON export: the JSON file as it is, or Markdown
// of the current path with the reader's language for its headings.
import { exportConversation } from '@/components/api/library-client';
import type { Translate } from '@/lib/i18n';

function fileName(title: string, extension: string): string {
  const printable = [...title].filter((c) => c.charCodeAt(0) >= 0x20).join('');
  const base =
    printable
      .replace(/[\\/:*?"<>|]+/g, ' ')
      .trim()
      .slice(0, 80) || 'conversation';
  return `${base}.${extension}`;
}

function download(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Downloads the conversation; false when the export failed. */
export async function downloadConversation(id: string, format: 'markdown' | 'json', t: Translate): Promise<boolean> {
  const result = await exportConversation(id);
  if (!result.ok) return false;
  const file = result.value;
  if (format === 'json') {
    download(fileName(file.conversation.title, 'json'), 'application/json', `${JSON.stringify(file, null, 2)}\n`);
  } else {
    // The format's module (zod schemas) loads with the first Markdown export, not with every chat page.
    const { toMarkdown } = await import('@/lib/chat/transfer-format');
    const markdown = toMarkdown(file, {
      untitled: t('chat.untitled'),
      you: t('library.you'),
      assistant: t('library.assistant'),
      imagesOmitted: (count) => t('library.imagesOmitted', { count }),
    });
    download(fileName(file.conversation.title, 'md'), 'text/markdown', markdown);
  }
  return true;
}
