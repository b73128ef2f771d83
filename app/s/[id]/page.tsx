import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { SharedThread } from '@/components/share/shared-thread';
import { requireUser } from '@/lib/auth/session';
import { readShare, type SharedConversation } from '@/lib/share/shares';

// Read per request: a revoked link must stop working at once.
export const dynamic = 'force-dynamic';

/**
 * The snapshot if this visitor may read it: unknown, revoked and deleted are a 404; a link for signed-in
 * users sends anyone else to sign in (and a pending account to its waiting page). Once per request.
 */
const visibleShare = cache(async (id: string): Promise<SharedConversation> => {
  const shared = await readShare(id);
  if (!shared) notFound();
  if (shared.visibility === 'users') await requireUser(`/s/${id}`);
  return shared;
});

interface Props {
  params: Promise<{ id: string }>;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const shared = await visibleShare((await params).id);
  return { title: shared.title || undefined, robots: { index: false, follow: false } };
}

/** A shared snapshot (/s/:id): read-only, outside the chat shell, nothing of the owner but the snapshot. */
export default async function SharedPage({ params }: Props) {
  const shared = await visibleShare((await params).id);
  return <SharedThread title={shared.title} createdAt={shared.createdAt} messages={shared.messages} />;
}
