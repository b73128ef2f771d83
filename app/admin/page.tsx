import { redirect } from 'next/navigation';
import { requireAdmin } from '@/lib/auth/session';

export default async function AdminIndex(): Promise<never> {
  await requireAdmin('/admin/usage');
  redirect('/admin/usage');
}
