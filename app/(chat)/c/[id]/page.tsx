import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { Chat } from '@/components/chat/chat';
import { readWebSearchEnabled } from '@/lib/admin/settings';
import { requireUser } from '@/lib/auth/session';
import { getConversationDetail, isUuid } from '@/lib/chat/conversations';
import { modelCatalogView } from '@/lib/chat/models';
import { config } from '@/lib/config';
import { db } from '@/lib/db';
import { documentsOf } from '@/lib/documents/service';

// Once per request: the metadata and the page both need the conversation (the newest page of its thread;
// the baseline's `all`: every message).
const loadConversation = cache((userId: string, id: string, all: boolean) =>
  getConversationDetail(userId, id, all ? { page: Number.POSITIVE_INFINITY } : {}),
);

interface Props {
  params: Promise<{ id: string }>;
  /** `?thread=all`: every message rendered at once — the thread benchmark's baseline, served only with BENCH_BASELINE_ROUTES. */
  searchParams?: Promise<{ thread?: string }>;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  const user = await requireUser(`/c/${id}`);
  const detail = await loadConversation(user.id, id, false);
  return { title: detail?.title || undefined };
}

export default async function ConversationPage({ params, searchParams }: Props) {
  const { id } = await params;
  const renderAll = config().bench.baselineRoutes && (await searchParams)?.thread === 'all';
  const user = await requireUser(`/c/${id}`);
  const [detail, documents, { models }, webSearchAvailable] = await Promise.all([
    loadConversation(user.id, id, renderAll),
    // Only this user's rows; the conversation itself is checked by loadConversation (404 when not theirs).
    isUuid(id) ? documentsOf(user.id, id) : [],
    modelCatalogView(),
    db().then(readWebSearchEnabled),
  ]);
  if (!detail) notFound();
  return (
    <Chat
      key={detail.id}
      id={detail.id}
      isNew={false}
      initialMessages={detail.messages}
      initialDocuments={documents}
      olderCount={detail.olderCount}
      initialSettings={detail.settings}
      models={models}
      retiredModel={detail.retiredModel}
      isAdmin={user.role === 'admin'}
      resume={detail.streaming}
      webSearchAvailable={webSearchAvailable}
      windowed={!renderAll}
    />
  );
}
