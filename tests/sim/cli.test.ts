// The CLI: --help documents every option (and the README documents the same), and it serves until SIGTERM.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
// `node --import tsx` rather than the tsx binary: one process, so signals reach the CLI directly.
function run(args: string[]) {
  return spawn(process.execPath, ['--import', 'tsx', 'sim/cli.ts', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
}

function output(child: ReturnType<typeof run>, until?: RegExp): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (until?.test(text)) resolve(text);
    });
    child.on('exit', () => resolve(text));
  });
}

describe.concurrent('sim CLI', () => {
  it('--help lists every option, and sim/README.md documents each', async () => {
    const help = await output(run(['--help']));
    const flags = [...help.matchAll(/^\s+(--[a-z-]+)/gm)].map((m) => m[1]);
    const source = readFileSync(`${root}sim/cli.ts`, 'utf8');
    const parsed = [...source.matchAll(/^\s+'?([a-z-]+)'?: \{ type: '(?:string|boolean)'/gm)].map((m) => `--${m[1]}`);
    expect(flags.sort()).toEqual(parsed.sort());
    const readme = readFileSync(`${root}sim/README.md`, 'utf8');
    for (const flag of flags) expect(readme).toContain(flag);
  });

  it('--catalog legacy serves the 2025 catalog; the default serves today’s', async () => {
    const ids = async (args: string[]) => {
      const child = run(['--port', '0', '--ttft-ms', '0', ...args]);
      const url = /listening on (\S+)/.exec(await output(child, /listening on (\S+)/))?.[1];
      try {
        const body = (await (await fetch(`${url}/models`, { headers: { authorization: 'Bearer sk-cli' } })).json()) as any;
        return body.data.map((m: any) => m.id) as string[];
      } finally {
        child.kill('SIGTERM');
      }
    };
    const [legacy, current] = await Promise.all([ids(['--catalog', 'legacy']), ids([])]);
    expect(legacy).toContain('moonshot-v1-auto');
    expect(current).toEqual(['kimi-k2.6', 'kimi-k3', 'kimi-k2.7-code', 'kimi-k2.7-code-highspeed']);
  });

  it('serves on the given port and closes cleanly on SIGTERM', async () => {
    const child = run(['--port', '0', '--ttft-ms', '0']);
    const banner = await output(child, /listening on (\S+)/);
    const url = /listening on (\S+)/.exec(banner)?.[1];
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const response = await fetch(`${url}/models`, { headers: { authorization: 'Bearer sk-cli' } });
    expect(response.status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
