// The parts the two pages share: reading callbackUrl, skipping the form when already signed in, the header.
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { safeCallbackPath } from '@/lib/auth/redirects';
import { getCurrentUser } from '@/lib/auth/session';

export type AuthSearchParams = Promise<Record<string, string | string[] | undefined>>;

/** The sanitized return path; a signed-in visitor is sent straight there. */
export async function callbackOrRedirect(searchParams: AuthSearchParams): Promise<string> {
  const { callbackUrl } = await searchParams;
  const path = safeCallbackPath(Array.isArray(callbackUrl) ? callbackUrl[0] : callbackUrl);
  if (await getCurrentUser()) redirect(path);
  return path;
}

/** Link to the other auth page, keeping the return path. */
export function hrefWithCallback(page: '/sign-in' | '/sign-up', callbackUrl: string): string {
  return callbackUrl === '/' ? page : `${page}?${new URLSearchParams({ callbackUrl })}`;
}

export function AuthHeader({ title, subtitle }: { title: string; subtitle: string }) {
  return (
    <div className="mb-6">
      <h1 className="text-xl font-semibold text-fg">{title}</h1>
      <p className="mt-1 text-sm text-fg-soft">{subtitle}</p>
    </div>
  );
}

export function SwitchLink({ prompt, label, href }: { prompt: string; label: string; href: string }) {
  return (
    <p className="mt-6 text-center text-sm text-fg-soft">
      {prompt}{' '}
      <Link href={href} className="font-medium text-accent underline-offset-4 hover:underline">
        {label}
      </Link>
    </p>
  );
}
