// The hand-off of the gateway's node:http hot path (./node-server) from the Next.js bundle, which
// registers it when the server starts (instrumentation.ts), to the start script's server, which offers it
// each request first. Plain Node, no server-only imports: the start script loads it under tsx.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Serves the request when it is the gateway's hot path (true), or leaves it to Next.js (false). */
export type NodeGateway = (req: IncomingMessage, res: ServerResponse) => boolean;

const KEY = Symbol.for('kimi-chat.gateway.node');

export function provideNodeGateway(gateway: NodeGateway): void {
  (globalThis as Record<symbol, unknown>)[KEY] = gateway;
}

export function nodeGateway(): NodeGateway | undefined {
  return (globalThis as Record<symbol, unknown>)[KEY] as NodeGateway | undefined;
}
