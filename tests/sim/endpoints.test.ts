// Models, files, balance and auth endpoints.
import { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CURRENT_MODELS, getModel } from '../../lib/kimi/catalog';
import { type Simulator, startSimulator } from '../../sim';
import { chat, client, get, KEY, user } from './helpers';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ maxFileBytes: 2048, maxFiles: 3, maxTotalFileBytes: 4000 });
});
afterAll(() => sim.close());

describe('GET /v1/models', () => {
  it('lists exactly today’s four models in Kimi’s shape', async () => {
    const response = await get(sim, '/models');
    const body = (await response.json()) as any;
    expect(body.object).toBe('list');
    expect(body.data.map((m: any) => m.id)).toEqual(CURRENT_MODELS.map((m) => m.id));
    const byId = new Map(body.data.map((m: any) => [m.id, m]));
    expect(byId.get('kimi-k3')).toEqual({
      id: 'kimi-k3',
      object: 'model',
      created: expect.any(Number),
      owned_by: 'moonshot',
      context_length: 1_048_576,
      supports_image_in: true,
      supports_video_in: true,
      supports_reasoning: true,
    });
    const viaOpenAI = await client(sim).models.list();
    expect(viaOpenAI.data.map((m) => m.id)).toEqual(body.data.map((m: any) => m.id));
  });

  it('legacy catalog lists the 2025 models, without kimi-k2-0711-preview', async () => {
    const legacy = await startSimulator({ catalog: 'legacy' });
    try {
      const body = (await (await get(legacy, '/models')).json()) as any;
      const byId = new Map(body.data.map((m: any) => [m.id, m]));
      expect(byId.get('moonshot-v1-8k')).toEqual({
        id: 'moonshot-v1-8k',
        object: 'model',
        created: expect.any(Number),
        owned_by: 'moonshot',
        context_length: 8192,
        supports_image_in: false,
        supports_reasoning: false,
      });
      expect(byId.get('kimi-k2.5')).toMatchObject({ context_length: 262_144, supports_reasoning: true });
      for (const id of [
        'moonshot-v1-auto',
        'moonshot-v1-8k-vision-preview',
        'kimi-latest',
        'kimi-k2-thinking',
        'kimi-k2-turbo-preview',
        'kimi-k2-0905-preview',
        'kimi-k2.6',
        'kimi-k3',
      ]) {
        expect(byId.has(id)).toBe(true);
      }
      for (const id of ['kimi-k2-0711-preview', 'kimi-k2-thinking-turbo', 'kimi-k2.7-code']) expect(byId.has(id)).toBe(false);
    } finally {
      await legacy.close();
    }
  });

  it('omitContextLength drops context_length', async () => {
    const bare = await startSimulator({ omitContextLength: true });
    try {
      const body = (await (await get(bare, '/models')).json()) as any;
      expect(body.data.length).toBe(4);
      for (const m of body.data) expect(m).not.toHaveProperty('context_length');
    } finally {
      await bare.close();
    }
  });
});

describe('files', () => {
  it('uploads with the openai client, then lists, reads content, and deletes', async () => {
    const openai = client(sim);
    const file = await openai.files.create({
      file: await toFile(Buffer.from('# Title\n\nSome *markdown* 内容.'), 'notes.md'),
      purpose: 'file-extract' as any,
    });
    expect(file).toEqual({
      id: expect.stringMatching(/^[0-9a-v]{20}$/),
      object: 'file',
      bytes: Buffer.byteLength('# Title\n\nSome *markdown* 内容.'),
      created_at: expect.any(Number),
      filename: 'notes.md',
      purpose: 'file-extract',
      status: 'ok',
      status_details: '',
    });
    const content = await get(sim, `/files/${file.id}/content`);
    expect(await content.json()).toEqual({
      content: '# Title\n\nSome *markdown* 内容.',
      file_type: 'text/markdown',
      filename: 'notes.md',
      title: '',
      type: 'file',
    });
    expect(((await (await get(sim, `/files/${file.id}`)).json()) as any).id).toBe(file.id);
    const list = (await (await get(sim, '/files')).json()) as any;
    expect(list.object).toBe('list');
    expect(list.data.map((f: any) => f.id)).toContain(file.id);
    const deleted = await get(sim, `/files/${file.id}`, { method: 'DELETE' });
    expect(await deleted.json()).toEqual({ id: file.id, object: 'file', deleted: true });
    const gone = await get(sim, `/files/${file.id}`);
    expect(gone.status).toBe(404);
    expect(((await gone.json()) as any).error.type).toBe('resource_not_found_error');
  });

  async function upload(name: string, data: string | Buffer, purpose = 'file-extract') {
    const form = new FormData();
    form.append('file', new Blob([typeof data === 'string' ? data : new Uint8Array(data)]), name);
    form.append('purpose', purpose);
    const response = await fetch(`${sim.url}/files`, { method: 'POST', headers: { authorization: `Bearer ${KEY}` }, body: form });
    return { status: response.status, json: (await response.json()) as any };
  }

  it('extracts HTML as text, CSV, JSON and source code', async () => {
    const html = await upload(
      'page.html',
      '<html><head><style>p{}</style></head><body><h1>Hi &amp; bye</h1><p>Para<br>two</p><script>x()</script></body></html>',
    );
    const htmlContent = (await (await get(sim, `/files/${html.json.id}/content`)).json()) as any;
    expect(htmlContent).toMatchObject({ content: 'Hi & bye\nPara\ntwo', file_type: 'text/html' });
    const code = await upload('main.py', 'print("hi")\n');
    expect(((await (await get(sim, `/files/${code.json.id}/content`)).json()) as any).content).toBe('print("hi")\n');
    for (const f of [html, code]) await get(sim, `/files/${f.json.id}`, { method: 'DELETE' });
  });

  it('refuses unsupported formats with Kimi’s extraction error', async () => {
    const { status, json } = await upload('report.pdf', Buffer.from('%PDF-1.7 binary'));
    expect(status).toBe(500);
    expect(json.error.type).toBe('server_error');
    expect(json.error.message).toMatch(/^Failed to extract file: .*\.pdf/);
  });

  it('validates purpose', async () => {
    const { status, json } = await upload('a.txt', 'x', 'batch');
    expect(status).toBe(400);
    expect(json.error.message).toBe('Invalid request: purpose must be "file-extract" or "image" (got "batch")');
  });

  it('enforces the per-file limit with Kimi’s message, refusing big bodies early', async () => {
    const { status, json } = await upload('big.txt', 'a'.repeat(2049));
    expect(status).toBe(400);
    expect(json).toEqual({
      error: { message: 'File size is too large, max file size is 2048B, please confirm and re-upload the file', type: 'invalid_request_error' },
    });
    const started = performance.now();
    const huge = await upload('huge.txt', Buffer.alloc(5 * 1024 * 1024, 97));
    expect(huge.status).toBe(400);
    expect(huge.json.error.message).toMatch(/^File size is too large/);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('enforces the file-count and total-size limits', async () => {
    const ids: string[] = [];
    for (const name of ['1.txt', '2.txt']) ids.push((await upload(name, 'b'.repeat(1900))).json.id);
    const overTotal = await upload('3.txt', 'c'.repeat(300));
    expect(overTotal.status).toBe(400);
    expect(overTotal.json.error.message).toMatch(/total file size exceeds 4000B/);
    ids.push((await upload('3.txt', 'c'.repeat(10))).json.id);
    const overCount = await upload('4.txt', 'd');
    expect(overCount.status).toBe(400);
    expect(overCount.json.error.message).toMatch(/maximum is 3 files/);
    for (const id of ids) expect((await get(sim, `/files/${id}`, { method: 'DELETE' })).status).toBe(200);
  });
});

describe('balance', () => {
  it('goes down by exactly the catalog price of each completion’s usage, in the chosen currency', async () => {
    const usd = await startSimulator({ currency: 'USD', balance: 10, voucher: 8 });
    try {
      const balance = async () => (await (await get(usd, '/users/me/balance')).json()) as any;
      expect(await balance()).toEqual({ code: 0, data: { available_balance: 10, voucher_balance: 8, cash_balance: 2 }, scode: '0x0', status: true });
      const messages = [{ role: 'system', content: 'cached system prompt '.repeat(50) }, ...user('reply with 300 tokens')];
      let expected = 10;
      for (const model of ['kimi-k3', 'kimi-k3', 'kimi-k2.6', 'kimi-k2.7-code-highspeed']) {
        const { json } = await chat(usd, { model, messages });
        const rates = getModel(json.model).prices.USD!;
        const u = json.usage;
        expected -=
          ((u.prompt_tokens - u.cached_tokens) * rates.input +
            u.cached_tokens * (rates.cacheHit ?? rates.input) +
            u.completion_tokens * rates.output) /
          1e6;
        expect((await balance()).data.available_balance).toBeCloseTo(expected, 12);
      }
      expect(10 - expected).toBeGreaterThan(0.001);
    } finally {
      await usd.close();
    }
  });

  it('refuses chat with 429 exceeded_current_quota_error once the balance is used up', async () => {
    const poor = await startSimulator({ balance: 0.0001, voucher: 0, org: 'org-poor' });
    try {
      expect((await chat(poor, { model: 'kimi-k2.6', messages: user('reply with 100 tokens') })).status).toBe(200);
      const cash = ((await (await get(poor, '/users/me/balance')).json()) as any).data.cash_balance;
      expect(cash).toBeLessThan(0);
      const { status, json } = await chat(poor, { model: 'kimi-k2.6', messages: user('again') });
      expect(status).toBe(429);
      expect(json).toEqual({
        error: {
          message: 'You exceeded your current token quota: org-poor, please check your account balance',
          type: 'exceeded_current_quota_error',
        },
      });
    } finally {
      await poor.close();
    }
  });
});

describe('auth', () => {
  const UNAUTHORIZED = { error: { message: 'Invalid Authentication', type: 'invalid_authentication_error' } };

  it('requires a Bearer key on every /v1 route, but not on /sim', async () => {
    for (const [method, path] of [
      ['GET', '/models'],
      ['POST', '/chat/completions'],
      ['GET', '/files'],
      ['GET', '/users/me/balance'],
    ] as const) {
      const response = await fetch(`${sim.url}${path}`, { method });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual(UNAUTHORIZED);
    }
    const basic = await fetch(`${sim.url}/models`, { headers: { authorization: 'Basic abc' } });
    expect(basic.status).toBe(401);
    expect((await fetch(`${sim.origin}/sim/requests`)).status).toBe(200);
  });

  it('apiKeys restricts accepted keys', async () => {
    const strict = await startSimulator({ apiKeys: ['sk-only-this-one'] });
    try {
      const wrong = await fetch(`${strict.url}/models`, { headers: { authorization: `Bearer ${KEY}` } });
      expect(wrong.status).toBe(401);
      expect(await wrong.json()).toEqual(UNAUTHORIZED);
      const right = await fetch(`${strict.url}/models`, { headers: { authorization: 'Bearer sk-only-this-one' } });
      expect(right.status).toBe(200);
    } finally {
      await strict.close();
    }
  });
});
