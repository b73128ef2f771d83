import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { SharedThread } from '@/components/share/shared-thread';
import { getCurrentUser, requireUser } from '@/lib/auth/session';
import { readShare } from '@/lib/share/shares';

// Read per request: a revoked link must stop working at once.
export const dynamic = 'force-dynamic';

const load = cache(readShare);

interface Props {
  params: Promise<{ id: string }>;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const shared = await load((await params).id);
  // A link for signed-in users says nothing (not even its title) to anyone else.
  const visible = shared && (shared.visibility === 'link' || (await getCurrentUser())?.pending === false);
  return { title: visible ? shared.title || undefined : undefined, robots: { index: false, follow: false } };
}

/** A shared snapshot (/s/:id): read-only, outside the chat shell, nothing of the owner but the snapshot. */
export default async function SharedPage({ params }: Props) {
  const { id } = await params;
  const shared = await load(id);
  if (!shared) notFound();
  if (shared.visibility === 'users') await requireUser(`/s/${id}`);
  return <SharedThread title={shared.title} createdAt={shared.createdAt} messages={shared.messages} />;
}
