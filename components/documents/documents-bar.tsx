'use client';
// Everything about documents that sits above the composer: the chips and the context meter.
import { ContextMeter } from './context-meter';
import { DocumentChips } from './document-chips';
import type { DocumentsState } from './use-documents';

export interface DocumentsBarProps {
  documents: DocumentsState;
  conversationId: string;
  model: string;
  /** Changes when the thread does (message count, streaming state). */
  threadKey: string;
  /** Images attached in the composer, not yet sent (the meter counts them). */
  draftImageIds: readonly string[];
  onSwitchModel: (model: string) => void;
  modelLabel: (id: string) => string;
}

export function DocumentsBar({ documents, conversationId, model, threadKey, draftImageIds, onSwitchModel, modelLabel }: DocumentsBarProps) {
  return (
    <>
      <DocumentChips items={documents.items} onRetry={documents.retry} onRemove={documents.remove} />
      <ContextMeter
        conversationId={conversationId}
        model={model}
        refreshKey={`${documents.version}:${threadKey}`}
        draftImageIds={draftImageIds}
        onSwitchModel={onSwitchModel}
        modelLabel={modelLabel}
      />
    </>
  );
}
