'use client';
// The chat on `/`. Its first message moves the address to /c/{id} with history.replaceState (the router
// keeps the page it has), so a later "New chat" back to `/` can come back to this very page: a fresh id
// then, so the chat remounts empty instead of adding to the conversation just created.
import { usePathname } from 'next/navigation';
import { useEffect, useState } from 'react';
import { Chat, type ChatProps } from './chat';
import { onSidebar } from './events';

export function NewChat({ id: serverId, ...props }: Omit<ChatProps, 'isNew' | 'initialMessages'>) {
  const pathname = usePathname();
  const [id, setId] = useState(serverId);
  const [seenPath, setSeenPath] = useState(pathname);
  // A refused first message gives `/` back itself: that chat stays (its text is back in the composer).
  const [unlisted, setUnlisted] = useState<string | null>(null);
  useEffect(
    () =>
      onSidebar((event) => {
        if (event.type === 'remove') setUnlisted(event.id);
      }),
    [],
  );
  // Adjusted during render (no effect, no flash of the old thread). A new page from the server has a new
  // id and remounts this component (the page keys it by id).
  if (seenPath !== pathname) {
    setSeenPath(pathname);
    if (pathname === '/' && unlisted === id) setUnlisted(null);
    else if (pathname === '/') setId(crypto.randomUUID());
  }
  return <Chat key={id} id={id} isNew initialMessages={[]} {...props} />;
}
