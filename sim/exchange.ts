// One HTTP request/response pair as the handlers see it, plus JSON/error replies that keep the log in step.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimError } from './errors';
import type { LoggedRequest } from './log';

export interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  entry: LoggedRequest;
  /** Bearer key (already authenticated) or '' on /sim/*. */
  apiKey: string;
  /** performance.now() at arrival, for Server-Timing. */
  started: number;
  /** Set when the simulator itself cuts the connection (drop fault), so it is not logged as a client abort. */
  simulatorClosed: boolean;
}

export function setServerTiming(ex: Exchange): void {
  ex.res.setHeader('Server-Timing', `total;dur=${(performance.now() - ex.started).toFixed(1)}`);
}

export function sendJson(ex: Exchange, status: number, body: string): void {
  ex.entry.status = status;
  setServerTiming(ex);
  ex.res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  ex.res.end(body);
}

export function sendError(ex: Exchange, error: SimError): void {
  sendJson(ex, error.status, error.body());
}
