'use client';
// Images in the composer and the thread (issue 14): attach by paperclip, drop or paste; each is uploaded at
// once (POST /api/images, checked by content on the server) and shows as a thumbnail chip until sent; a sent
// message shows its images, loaded from the owner-only route GET /api/images/:id.
import type { FileUIPart } from 'ai';
import { useCallback, useState } from 'react';
import { routes, uploadImage } from '@/components/api/client';
import { useI18n } from '@/components/i18n-provider';
import { MAX_IMAGES_PER_MESSAGE } from '@/lib/chat/limits';
import type { ChatUIMessage } from '@/lib/chat/types';

const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/webp', 'image/gif']);

export const isImageFile = (file: File) => file.type.startsWith('image/');

interface Pending {
  key: string;
  name: string;
  preview: string;
  id?: string;
  mediaType: string;
  error?: string;
}

export function useImageAttachments() {
  const { t } = useI18n();
  const [pending, setPending] = useState<Pending[]>([]);

  const add = useCallback(
    (files: File[]) => {
      for (const file of files) {
        const key = crypto.randomUUID();
        const item: Pending = { key, name: file.name || 'image', preview: URL.createObjectURL(file), mediaType: file.type };
        setPending((current) => {
          if (current.length >= MAX_IMAGES_PER_MESSAGE) return [...current, { ...item, error: t('images.tooMany', { max: MAX_IMAGES_PER_MESSAGE }) }];
          return [...current, item];
        });
        if (!IMAGE_TYPES.has(file.type)) {
          setPending((current) => current.map((p) => (p.key === key ? { ...p, error: t('images.unsupported') } : p)));
          continue;
        }
        void uploadImage(file).then((result) =>
          setPending((current) =>
            current.map((p) => {
              if (p.key !== key || p.error) return p;
              if (!result.ok)
                return { ...p, error: t(`images.errors.${result.error.code}` as never, result.error.params ?? {}) || t('images.failed') };
              return { ...p, id: result.value.id, mediaType: `image/${result.value.format}` };
            }),
          ),
        );
      }
    },
    [t],
  );

  const remove = useCallback((key: string) => setPending((current) => current.filter((p) => p.key !== key)), []);
  const clear = useCallback(() => setPending([]), []);
  const ready = pending.every((p) => p.id || p.error);
  const parts = (): FileUIPart[] =>
    pending.flatMap((p) => (p.id ? [{ type: 'file' as const, mediaType: p.mediaType, url: routes.image(p.id), filename: p.name }] : []));

  /** The uploaded ones' ids, for the context meter. */
  const ids = pending.flatMap((p) => (p.id ? [p.id] : []));

  return { pending, add, remove, clear, ready, parts, ids };
}

export function ImageChips({ images }: { images: ReturnType<typeof useImageAttachments> }) {
  const { t } = useI18n();
  if (images.pending.length === 0) return null;
  return (
    <ul aria-label={t('images.attached')} className="flex flex-wrap gap-2">
      {images.pending.map((p) => (
        <li key={p.key} className="relative flex items-center gap-2 rounded-lg border border-line bg-surface p-1 pr-2 text-xs">
          {/* biome-ignore lint/performance/noImgElement: a local blob preview, not an optimisable asset */}
          <img src={p.preview} alt={p.name} className="size-10 rounded object-cover" />
          <span className="flex flex-col">
            <span className="max-w-32 truncate">{p.name}</span>
            {p.error ? (
              <span role="alert" className="text-red-700 dark:text-red-300">
                {p.error}
              </span>
            ) : p.id ? null : (
              <span className="text-fg-soft">{t('images.uploading')}</span>
            )}
          </span>
          <button
            type="button"
            onClick={() => images.remove(p.key)}
            aria-label={t('images.remove', { name: p.name })}
            className="px-1 text-fg-soft hover:text-fg"
          >
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}

/** A sent message's images (only its owner can load them). */
export function MessageImages({ message }: { message: ChatUIMessage }) {
  const files = message.parts.filter((p): p is FileUIPart => p.type === 'file' && p.mediaType.startsWith('image/'));
  if (files.length === 0) return null;
  return (
    <div className="flex max-w-[85%] flex-wrap justify-end gap-2">
      {files.map((file) => (
        // biome-ignore lint/performance/noImgElement: served by an authorised route, not an optimisable asset
        <img key={file.url} src={file.url} alt={file.filename ?? ''} className="max-h-48 max-w-64 rounded-xl border border-line object-contain" />
      ))}
    </div>
  );
}
