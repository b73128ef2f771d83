// Liveness of the app and its database, for load balancers and the start script. No auth, never cached.
import { db } from '@/lib/db';

export const dynamic = 'force-dynamic';

export async function GET(): Promise<Response> {
  try {
    const prisma = await db();
    await prisma.$queryRaw`SELECT 1`;
    return Response.json({ ok: true, db: 'up' });
  } catch (error) {
    // The body stays terse for anonymous callers; the reason goes to the server log.
    console.error(`[health] database down: ${error instanceof Error ? error.message : String(error)}`);
    return Response.json({ ok: false, db: 'down' }, { status: 503 });
  }
}
