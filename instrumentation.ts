// Runs once when the Next.js server starts: hands the node:http hot paths — the gateway's chat call and
// the browser's chat turn — to the start script (lib/gateway/hot-path.ts). Node.js runtime only.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const [{ serveNodeGateway }, { serveNodeChat }, { provideNodeGateway }] = await Promise.all([
    import('./lib/gateway/node-server'),
    import('./lib/chat/node-route'),
    import('./lib/gateway/hot-path'),
  ]);
  provideNodeGateway((req, res) => serveNodeGateway(req, res) || serveNodeChat(req, res));
}
