// Runs once when the Next.js server starts: hands the gateway's node:http hot path to the start script
// (lib/gateway/hot-path.ts). Node.js runtime only.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const [{ serveNodeGateway }, { provideNodeGateway }] = await Promise.all([import('./lib/gateway/node-server'), import('./lib/gateway/hot-path')]);
  provideNodeGateway(serveNodeGateway);
}
