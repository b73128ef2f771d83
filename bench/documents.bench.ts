// Documents: the 300-page PDF from upload to ready (stream to disk, extract, count, store) through the
// real app over HTTP, against a baseline in the same run (reading the same file from disk and hashing
// it); and the app server's peak RSS above idle while a 100 MB PDF is uploaded and processed.
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { textPdf } from '../tests/support/fixtures/documents';
import { type BenchApp, startBenchApp } from './app-server';
import type { BenchResult } from './types';

const RUNS = 3;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function upload(app: BenchApp, file: string, name: string): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(`${app.origin}/api/documents?conversationId=${crypto.randomUUID()}`, {
    method: 'POST',
    headers: { cookie: app.cookie, 'x-file-name': name, 'content-type': 'application/octet-stream' },
    body: Readable.toWeb(createReadStream(file)) as ReadableStream,
    duplex: 'half',
  } as RequestInit);
  const body = await res.text();
  if (res.status !== 201) throw new Error(`upload ${name}: HTTP ${res.status} ${body}`);
  return performance.now() - t0;
}

/** A PDF of `megabytes` MB: two text pages and one page showing a big (incompressible) JPEG-like image. */
async function bigPdf(file: string, megabytes: number): Promise<void> {
  const out = createWriteStream(file);
  let offset = 0;
  const offsets: number[] = [];
  const write = async (chunk: string | Buffer) => {
    offset += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await once(out, 'drain');
  };
  const object = async (n: number, body: string) => {
    offsets[n] = offset;
    await write(`${n} 0 obj\n${body}\nendobj\n`);
  };
  const text = 'BT /F1 12 Tf 50 700 Td (A large scanned appendix follows this page of text.) Tj ET';
  await write('%PDF-1.7\n');
  await object(1, '<< /Type /Catalog /Pages 2 0 R >>');
  await object(2, '<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>');
  await object(3, '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 6 0 R >>');
  await object(
    4,
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> /XObject << /Im1 7 0 R >> >> /Contents 8 0 R >>',
  );
  await object(5, '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>');
  await object(6, `<< /Length ${text.length} >>\nstream\n${text}\nendstream`);
  const size = megabytes * 1024 * 1024;
  offsets[7] = offset;
  await write(
    `7 0 obj\n<< /Type /XObject /Subtype /Image /Width 4000 /Height 4000 /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length ${size} >>\nstream\n`,
  );
  for (let left = size; left > 0; left -= 1024 * 1024) await write(randomBytes(Math.min(left, 1024 * 1024)));
  await write('\nendstream\nendobj\n');
  const draw = `q 500 0 0 500 50 150 cm /Im1 Do Q ${text}`;
  await object(8, `<< /Length ${draw.length} >>\nstream\n${draw}\nendstream`);
  const xref = offset;
  await write(
    `xref\n0 9\n0000000000 65535 f \n${offsets
      .slice(1)
      .map((o) => `${String(o).padStart(10, '0')} 00000 n \n`)
      .join('')}`,
  );
  await write(`trailer\n<< /Size 9 /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
  out.end();
  await once(out, 'finish');
}

/** The process serving the app: the tsx-loaded node process whose PORT is the app's. */
function serverPid(port: string): number {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (!cmdline.includes('scripts/start.ts') || !cmdline.includes('loader.mjs')) continue;
      if (readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').includes(`PORT=${port}`)) return Number(entry);
    } catch {
      // the process ended, or is not ours to read
    }
  }
  throw new Error(`no app server process found for port ${port}`);
}

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;

export async function benchDocuments(): Promise<BenchResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'kimi-chat-bench-docs-'));
  const app = await startBenchApp();
  try {
    const pid = serverPid(new URL(app.origin).port);
    // Distinct bytes per run (a trailing comment), so no run is served from the extraction cache.
    const pdf = await textPdf();
    const files = Array.from({ length: RUNS + 1 }, (_, i) => {
      const file = path.join(dir, `report-${i}.pdf`);
      writeFileSync(file, Buffer.concat([pdf, Buffer.from(`%run ${i}\n`)]));
      return file;
    });
    const cold = await upload(app, files[0]!, 'report.pdf'); // first PDF: loads pdf.js
    const baseline: number[] = [];
    const ready: number[] = [];
    for (const file of files.slice(1)) {
      const t0 = performance.now();
      createHash('sha256').update(readFileSync(file)).digest('hex');
      baseline.push(performance.now() - t0);
      ready.push(await upload(app, file, 'report.pdf'));
    }

    const big = path.join(dir, 'big.pdf');
    await bigPdf(big, 99); // just under the 100 MB default limit with the PDF around it
    await new Promise((r) => setTimeout(r, 500));
    const idle = rssMb(pid);
    let peak = idle;
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssMb(pid));
    }, 10);
    const bigMs = await upload(app, big, 'big.pdf');
    clearInterval(sampler);
    peak = Math.max(peak, rssMb(pid));

    return {
      name: 'documents: 300-page PDF upload → ready; ~100 MB upload memory',
      metrics: {
        pdf300ColdMs: Math.round(cold),
        pdf300ReadyMedianMs: Math.round(median(ready)),
        baselineReadHashMedianMs: Math.round(median(baseline) * 100) / 100,
        upload100MbMs: Math.round(bigMs),
        serverIdleRssMb: Math.round(idle),
        serverPeakRssAboveIdleMb: Math.round(peak - idle),
      },
      notes: `300 pages, ${(pdf.length / 1024).toFixed(0)} KB, ${RUNS} warm runs (distinct bytes each); targets: ready ≤ 3000 ms, peak RSS above idle ≤ 300 MB`,
    };
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
