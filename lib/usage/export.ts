// The ledger as CSV, one line per Usage row, streamed: keyset-paginated reads (by id) pulled only as fast
// as the client reads, so memory stays bounded whatever the number of rows.
import { Prisma, type PrismaClient } from '@/lib/db/generated/client';
import { csvLine, csvNumber, csvText } from './csv';

export const EXPORT_HEADER =
  'time,user_email,conversation_id,purpose,requested_model,served_model,prompt_tokens,cached_tokens,completion_tokens,reasoning_tokens,cost,currency,ttft_ms,duration_ms,outcome,request_id,web_searches,api_key';

const PAGE_ROWS = 5_000;

interface ExportRow {
  id: bigint;
  createdAt: Date;
  email: string;
  conversationId: string | null;
  purpose: string;
  requestedModel: string;
  servedModel: string;
  promptTokens: number;
  cachedTokens: number;
  completionTokens: number;
  reasoningTokens: number;
  cost: string;
  currency: string;
  ttftMs: number | null;
  durationMs: number;
  outcome: string;
  requestId: string | null;
  webSearches: number;
  /** The personal key's name, for calls made through /api/v1. */
  apiKey: string | null;
}

function page(prisma: PrismaClient, from: Date, to: Date, after: bigint): Promise<ExportRow[]> {
  return prisma.$queryRaw<ExportRow[]>`
    SELECT u.id, u."createdAt", usr.email, u."conversationId"::text AS "conversationId", u.purpose, u."requestedModel",
      u."servedModel", u."promptTokens", u."cachedTokens", u."completionTokens", u."reasoningTokens",
      u.cost::text AS cost, u.currency, u."ttftMs", u."durationMs", u.outcome, u."requestId", u."webSearches", k.name AS "apiKey"
    FROM "Usage" u JOIN "User" usr ON usr.id = u."userId" LEFT JOIN "ApiKey" k ON k.id = u."apiKeyId"
    WHERE u.id > ${after} AND u."createdAt" >= ${from} AND u."createdAt" < ${to}
    ORDER BY u.id LIMIT ${Prisma.raw(String(PAGE_ROWS))}`;
}

function line(r: ExportRow): string {
  return csvLine([
    r.createdAt.toISOString(),
    csvText(r.email),
    csvText(r.conversationId),
    csvText(r.purpose),
    csvText(r.requestedModel),
    csvText(r.servedModel),
    csvNumber(r.promptTokens),
    csvNumber(r.cachedTokens),
    csvNumber(r.completionTokens),
    csvNumber(r.reasoningTokens),
    csvNumber(r.cost),
    csvText(r.currency),
    csvNumber(r.ttftMs),
    csvNumber(r.durationMs),
    csvText(r.outcome),
    csvText(r.requestId),
    csvNumber(r.webSearches),
    csvText(r.apiKey),
  ]);
}

export function exportUsageCsv(prisma: PrismaClient, from: Date, to: Date): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let after = -1n;
  let done = false;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        controller.enqueue(encoder.encode(`${EXPORT_HEADER}\r\n`));
      },
      // One page per pull: the next query waits until the client has taken this one.
      async pull(controller) {
        if (done) return;
        const rows = await page(prisma, from, to, after);
        if (rows.length > 0) {
          after = rows[rows.length - 1]!.id;
          controller.enqueue(encoder.encode(rows.map(line).join('')));
        }
        if (rows.length < PAGE_ROWS) {
          done = true;
          controller.close();
        }
      },
    },
    { highWaterMark: 1 },
  );
}
