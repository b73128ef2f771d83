// Reads an AI SDK UI message stream (SSE) the way a browser's useChat would, for assertions.
export interface UiChunk {
  type: string;
  [key: string]: unknown;
}

export function parseSse(body: string): UiChunk[] {
  const chunks: UiChunk[] = [];
  for (const event of body.split('\n\n')) {
    const data = event
      .split('\n')
      .filter((line) => line.startsWith('data: '))
      .map((line) => line.slice(6))
      .join('\n');
    if (data === '' || data === '[DONE]') continue;
    chunks.push(JSON.parse(data) as UiChunk);
  }
  return chunks;
}

export function textOf(chunks: UiChunk[], type: 'text-delta' | 'reasoning-delta' = 'text-delta'): string {
  return chunks
    .filter((c) => c.type === type)
    .map((c) => c.delta as string)
    .join('');
}

/** Reads the body until `until` returns true for what was read so far; returns the text and the reader. */
export async function readUntil(res: Response, until: (soFar: string) => boolean) {
  if (!res.body) throw new Error('no body');
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let soFar = '';
  while (!until(soFar)) {
    const next = await reader.read();
    if (next.done) break;
    soFar += next.value;
  }
  return { soFar, reader };
}

/** The message metadata the chunks carry, merged in order (as useChat merges it). */
export function metadataOf(chunks: UiChunk[]): Record<string, unknown> {
  return Object.assign({}, ...chunks.filter((c) => 'messageMetadata' in c).map((c) => c.messageMetadata as object)) as Record<string, unknown>;
}
