'use client';
// Files dropped anywhere on the chat attach to it; a visible overlay says so while dragging.
import { type ReactNode, useRef, useState } from 'react';
import { useI18n } from '@/components/i18n-provider';
import { cn } from '@/components/ui/cn';

const hasFiles = (e: React.DragEvent) => e.dataTransfer.types.includes('Files');

export function DocumentDropZone({ onFiles, className, children }: { onFiles: (files: File[]) => void; className?: string; children: ReactNode }) {
  const { t } = useI18n();
  const [over, setOver] = useState(false);
  // dragenter/dragleave fire for every child: count them.
  const depth = useRef(0);
  return (
    <div
      className={cn('relative', className)}
      onDragEnter={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        depth.current += 1;
        setOver(true);
      }}
      onDragOver={(e) => {
        if (hasFiles(e)) e.preventDefault();
      }}
      onDragLeave={() => {
        depth.current = Math.max(0, depth.current - 1);
        if (depth.current === 0) setOver(false);
      }}
      onDrop={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        depth.current = 0;
        setOver(false);
        onFiles([...e.dataTransfer.files]);
      }}
    >
      {children}
      {over ? (
        <div
          role="status"
          className="pointer-events-none absolute inset-2 z-20 grid place-items-center rounded-2xl border-2 border-dashed border-accent bg-surface/85 text-sm font-medium text-fg"
        >
          {t('documents.dropHere')}
        </div>
      ) : null}
    </div>
  );
}
