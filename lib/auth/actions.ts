'use server';
import { redirect } from 'next/navigation';
import { signOut } from './index';

/** Ends the session (clears the cookie) and goes to the sign-in page. For a `<form action={signOutAction}>`. */
export async function signOutAction(): Promise<void> {
  // redirect: false, then a relative redirect: Auth.js would name an absolute URL built from the Host header.
  await signOut({ redirect: false });
  redirect('/sign-in');
}
