// The conversation export format (JSON, version 1) and its Markdown rendering. Browser-safe: zod and pure
// functions. The format is documented in the README (Export and import); `parentId` makes it a tree, so a
// conversation with branches exports whole; a plain conversation's messages each point at the one before.
import { z } from 'zod';

export { MAX_IMPORT_BYTES } from './limits';

export const EXPORT_FORMAT = 'kimi-chat.conversation';
export const EXPORT_VERSION = 1;
export const MAX_IMPORT_MESSAGES = 1_000;
/** One text part, at most: answers can be longer than what a user may type. */
const MAX_PART_CHARS = 1_000_000;

const partSchema = z.object({ type: z.enum(['text', 'reasoning']), text: z.string().max(MAX_PART_CHARS) });

export const exportedMessageSchema = z.object({
  /** Unique within the file; never reused on import (the new conversation gets new ids). */
  id: z.string().min(1).max(100),
  /** The message this one answers or follows; null for the first. Always an earlier message of the file. */
  parentId: z.string().min(1).max(100).nullable(),
  role: z.enum(['user', 'assistant']),
  createdAt: z.iso.datetime({ offset: true }),
  /** The model that answered (assistant messages). */
  model: z.string().max(100).nullable().optional(),
  status: z.enum(['complete', 'stopped', 'interrupted', 'error']).default('complete'),
  parts: z.array(partSchema).max(50),
  /** Images attached to the message: not in the file (they are not exported); only how many there were. */
  imagesOmitted: z.number().int().min(0).max(100).default(0),
});
export type ExportedMessage = z.infer<typeof exportedMessageSchema>;

export const conversationExportSchema = z
  .object({
    format: z.literal(EXPORT_FORMAT),
    version: z.literal(EXPORT_VERSION),
    exportedAt: z.iso.datetime({ offset: true }),
    conversation: z.object({
      title: z.string().max(1_000),
      model: z.string().min(1).max(100),
      systemPrompt: z.string().max(20_000).default(''),
      thinking: z.boolean().default(true),
      reasoningEffort: z.enum(['low', 'high', 'max']).nullable().default(null),
      webSearch: z.boolean().default(false),
      createdAt: z.iso.datetime({ offset: true }),
      /** Documents attached to the conversation: names only; their text is not exported. */
      documentsOmitted: z.array(z.string().max(255)).max(1_000).default([]),
    }),
    messages: z.array(exportedMessageSchema).max(MAX_IMPORT_MESSAGES),
  })
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.messages.forEach((m, index) => {
      if (seen.has(m.id)) ctx.addIssue({ code: 'custom', message: `duplicate message id at ${index}`, path: ['messages', index, 'id'] });
      if (m.parentId !== null && !seen.has(m.parentId)) {
        ctx.addIssue({ code: 'custom', message: `parentId must name an earlier message (at ${index})`, path: ['messages', index, 'parentId'] });
      }
      seen.add(m.id);
    });
  });
export type ConversationExport = z.infer<typeof conversationExportSchema>;

const textOf = (m: ExportedMessage) =>
  m.parts
    .filter((p) => p.type === 'text')
    .map((p) => p.text)
    .join('');

/** The path that ends at the last message of the file: the conversation as it was last shown. */
export function currentPath(messages: readonly ExportedMessage[]): ExportedMessage[] {
  const byId = new Map(messages.map((m) => [m.id, m]));
  const path: ExportedMessage[] = [];
  for (let m = messages.at(-1); m; m = m.parentId ? byId.get(m.parentId) : undefined) path.push(m);
  return path.reverse();
}

export interface MarkdownLabels {
  untitled: string;
  you: string;
  assistant: string;
  imagesOmitted: (count: number) => string;
}

/** The current path as Markdown: a heading per message, answers as they were written (they are Markdown). */
export function toMarkdown(file: ConversationExport, labels: MarkdownLabels): string {
  const out = [`# ${file.conversation.title || labels.untitled}`, ''];
  for (const m of currentPath(file.messages)) {
    out.push(m.role === 'user' ? `## ${labels.you}` : `## ${labels.assistant}${m.model ? ` (${m.model})` : ''}`, '');
    if (m.imagesOmitted > 0) out.push(`_${labels.imagesOmitted(m.imagesOmitted)}_`, '');
    out.push(textOf(m).trim(), '');
  }
  return out.join('\n');
}
