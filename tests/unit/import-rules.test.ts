// Import rules: the rooms of the README's Layout section (and shared/design.md) as a test that enforces itself.
// Every .ts/.tsx file of the repository is parsed with TypeScript's own parser; its imports (static
// `import … from`, `export … from`, side-effect `import '…'`, dynamic `import()`) are resolved (`@/…` and
// relative paths, with the extensions and index files the bundler tries) and checked against the rules
// below. A violation names the file, the import as written and what it resolves to. New files are covered
// the moment they exist; nothing is listed by hand except the known violations in KNOWN_VIOLATIONS.
//
// What "server-only" means here (rule `client-imports-server-only`), precisely:
//   a module is server-only when it
//     - imports `server-only`, `next/headers`, `next/cache`, a Node builtin (`node:*`), a database or
//       Redis driver (`@prisma/*`, `pg`, `@electric-sql/pglite`, `pglite-prisma-adapter`, `redis`), or
//     - lives in lib/db/** (only lib/db opens the database), or
//     - imports (at run time: `import type` is erased and does not count) a server-only module,
//   except that a module with a top-level 'use server' directive is a server-action boundary: a client
//   importing it gets RPC stubs, so it is never server-only to its importers.
// A "client" file is anything under components/** and any file whose first statement is 'use client'.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SOURCE = /\.(ts|tsx)$/;
const SKIP_DIRS = new Set(['node_modules', '.next', '.git', 'data', '.data', 'test-results', 'playwright-report']);
const SKIP_PATHS = ['lib/db/generated/', 'bench/results/'];

// ---------------------------------------------------------------------------------------------------
// KNOWN VIOLATIONS — being fixed (issue: redesign, item "rooms"; lib/kimi/models.ts, context-budget and the
// ledger were fixed in e6e66c9). Each entry is exact:
// `<rule> <file> -> <resolved target>`. An entry that no longer occurs fails the test too ("stale"), so
// this list can only shrink. Empty it; do not add to it.
const KNOWN_VIOLATIONS: readonly string[] = [];

// ---------------------------------------------------------------------------------------------------
// The checker (pure: a map of repository-relative paths to sources in, violations out).

interface ImportEdge {
  /** The specifier as written. */
  spec: string;
  /** Repository-relative path it resolves to, or the bare package name. */
  target: string;
  /** True when the import is erased at compile time (`import type`, `export type`, all-type specifiers). */
  typeOnly: boolean;
  internal: boolean;
}

interface Violation {
  rule: string;
  file: string;
  spec: string;
  target: string;
  why?: string;
}

const SERVER_PACKAGES = [
  /^server-only$/,
  /^next\/headers$/,
  /^next\/cache$/,
  /^node:/,
  /^@prisma\//,
  /^pg$/,
  /^@electric-sql\/pglite/,
  /^pglite-prisma-adapter$/,
  /^redis$/,
];
const SHARED_CORE = new Set(['lib/errors.ts', 'lib/http.ts', 'lib/contracts.ts', 'lib/config.ts']);
/** What the simulator may use of the app: everything that knows Kimi, and the document extraction modules. */
const SIM_MAY_IMPORT = [
  /^lib\/kimi\//,
  /^lib\/documents\/(extract|pdf|docx|html|text|zip|detect|sandbox|errors|limits)\.ts$/,
  /^lib\/documents\/worker\//,
];
const APP_DIRS = /^(app|components|lib|scripts|bench|tests|prisma)\//;

function directive(source: ts.SourceFile, name: 'use client' | 'use server'): boolean {
  for (const statement of source.statements) {
    if (!ts.isExpressionStatement(statement) || !ts.isStringLiteral(statement.expression)) return false;
    if (statement.expression.text === name) return true;
  }
  return false;
}

function parseImports(file: string, text: string): { specs: { spec: string; typeOnly: boolean }[]; client: boolean; server: boolean } {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const specs: { spec: string; typeOnly: boolean }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const bindings = clause?.namedBindings;
      const allNamedTypes =
        !!clause &&
        !clause.name &&
        !!bindings &&
        ts.isNamedImports(bindings) &&
        bindings.elements.length > 0 &&
        bindings.elements.every((e) => e.isTypeOnly);
      specs.push({ spec: node.moduleSpecifier.text, typeOnly: !!clause?.isTypeOnly || allNamedTypes });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.exportClause;
      const allNamedTypes = !!clause && ts.isNamedExports(clause) && clause.elements.length > 0 && clause.elements.every((e) => e.isTypeOnly);
      specs.push({ spec: node.moduleSpecifier.text, typeOnly: node.isTypeOnly || allNamedTypes });
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [arg] = node.arguments;
      if (arg && ts.isStringLiteralLike(arg)) specs.push({ spec: arg.text, typeOnly: false });
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      specs.push({ spec: node.argument.literal.text, typeOnly: true });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { specs, client: directive(source, 'use client'), server: directive(source, 'use server') };
}

function resolve(from: string, spec: string, exists: (p: string) => boolean): { target: string; internal: boolean } {
  let base: string | null = null;
  if (spec.startsWith('@/')) base = spec.slice(2);
  else if (spec.startsWith('./') || spec.startsWith('../')) base = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
  if (base === null) return { target: spec, internal: false };
  const stem = base.replace(/\.(js|mjs|jsx)$/, '');
  const candidates = [base, `${stem}.ts`, `${stem}.tsx`, `${stem}.mjs`, `${base}/index.ts`, `${base}/index.tsx`];
  return { target: candidates.find(exists) ?? base, internal: true };
}

function buildGraph(files: ReadonlyMap<string, string>) {
  const exists = (p: string) => files.has(p) || (fs.existsSync(path.join(ROOT, p)) && fs.statSync(path.join(ROOT, p)).isFile());
  const edges = new Map<string, ImportEdge[]>();
  const client = new Set<string>();
  const useServer = new Set<string>();
  for (const [file, text] of files) {
    const parsed = parseImports(file, text);
    if (parsed.client || file.startsWith('components/')) client.add(file);
    if (parsed.server) useServer.add(file);
    edges.set(
      file,
      parsed.specs.map(({ spec, typeOnly }) => ({ spec, typeOnly, ...resolve(file, spec, exists) })),
    );
  }
  // server-only: fixpoint over run-time edges.
  const serverOnly = new Map<string, string>(); // file -> why
  for (const [file, list] of edges) {
    if (useServer.has(file)) continue;
    if (file.startsWith('lib/db/')) serverOnly.set(file, 'lib/db opens the database');
    const marker = list.find((e) => !e.typeOnly && !e.internal && SERVER_PACKAGES.some((re) => re.test(e.target)));
    if (marker && !serverOnly.has(file)) serverOnly.set(file, `imports '${marker.target}'`);
  }
  for (let changed = true; changed; ) {
    changed = false;
    for (const [file, list] of edges) {
      if (serverOnly.has(file) || useServer.has(file)) continue;
      const hit = list.find((e) => !e.typeOnly && e.internal && serverOnly.has(e.target));
      if (hit) {
        serverOnly.set(file, `imports ${hit.target} (${serverOnly.get(hit.target)!.split(' (')[0]})`);
        changed = true;
      }
    }
  }
  return { edges, client, serverOnly };
}

const room = (p: string) => /^lib\/([^/]+)\//.exec(p)?.[1];

function checkImports(files: ReadonlyMap<string, string>): Violation[] {
  const { edges, client, serverOnly } = buildGraph(files);
  const out: Violation[] = [];
  for (const [file, list] of edges) {
    for (const e of list) {
      const add = (rule: string, why?: string) => out.push({ rule, file, spec: e.spec, target: e.target, ...(why ? { why } : {}) });
      if (client.has(file) && !e.typeOnly) {
        if (e.internal && serverOnly.has(e.target)) add('client-imports-server-only', serverOnly.get(e.target));
        else if (!e.internal && SERVER_PACKAGES.some((re) => re.test(e.target))) add('client-imports-server-only', 'a server-only package');
      }
      if (!e.internal) continue;
      const t = e.target;
      if (file.startsWith('lib/kimi/') && /^lib\/(chat|usage|db|documents|auth)(\/|\.ts$)/.test(t)) add('kimi-imports-app-room');
      if (file.startsWith('lib/documents/') && /^lib\/chat(\/|\.ts$)/.test(t)) add('documents-imports-chat');
      if (/^lib\/(usage|db)\//.test(file) && /^lib\/chat(\/|\.ts$)/.test(t)) add('lower-room-imports-chat');
      if (SHARED_CORE.has(file) && t.startsWith('lib/') && !SHARED_CORE.has(t)) add('shared-core-imports-room', `room ${room(t) ?? t}`);
      if (file.startsWith('sim/') && APP_DIRS.test(t) && !SIM_MAY_IMPORT.some((re) => re.test(t))) add('sim-imports-app');
      if (file.startsWith('lib/') && /^(app|components)\//.test(t)) add('lib-imports-ui');
    }
  }
  return out;
}

const key = (v: Violation) => `${v.rule} ${v.file} -> ${v.target}`;
const show = (v: Violation) => `${v.rule}: ${v.file} imports '${v.spec}'${v.spec === v.target ? '' : ` (${v.target})`}${v.why ? ` — ${v.why}` : ''}`;

function readRepository(): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const rel = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name) && !SKIP_PATHS.some((p) => `${rel}/`.startsWith(p))) walk(rel);
      } else if (SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts')) files.set(rel, fs.readFileSync(path.join(ROOT, rel), 'utf8'));
    }
  };
  walk('');
  return files;
}

// ---------------------------------------------------------------------------------------------------

describe('import rules (design.md, Layout)', () => {
  it('the checker catches a synthetic bad import of every rule (self-check)', () => {
    const fake = new Map<string, string>([
      ['lib/db/fake.ts', 'export const db = 1;\n'],
      ['lib/fake-server.ts', "import 'server-only';\nexport const secret = 1;\n"],
      ['lib/fake-indirect.ts', "export { secret } from './fake-server';\n"],
      ['lib/fake-types.ts', "import type { db } from '@/lib/db/fake';\nexport type T = typeof db;\n"],
      ['lib/fake-action.ts', "'use server';\nimport { db } from '@/lib/db/fake';\nexport async function act() { return db; }\n"],
      [
        'components/fake/a.tsx',
        "import { secret } from '@/lib/fake-indirect';\nimport type { T } from '@/lib/fake-types';\nimport { act } from '@/lib/fake-action';\n",
      ],
      ['app/fake/b.tsx', "'use client';\nconst m = () => import('../../lib/db/fake');\n"],
      ['lib/kimi/fake.ts', "import type { X } from '@/lib/usage/fake';\n"],
      ['lib/documents/fake.ts', "export * from '../chat/fake';\n"],
      ['lib/usage/fake.ts', "import { y } from '@/lib/chat/fake';\nexport type X = 1;\n"],
      ['lib/chat/fake.ts', 'export const y = 1;\n'],
      ['lib/errors.ts', "import { y } from './chat/fake';\n"],
      ['sim/fake.ts', "import { y } from '../lib/chat/fake';\nimport { c } from '../lib/kimi/fake';\nimport { e } from '../lib/documents/pdf';\n"],
      ['lib/fake-ui.ts', "import { Thing } from '@/components/fake/a';\n"],
    ]);
    const found = checkImports(fake).map(key).sort();
    expect(found).toEqual(
      [
        'client-imports-server-only components/fake/a.tsx -> lib/fake-indirect.ts',
        'client-imports-server-only app/fake/b.tsx -> lib/db/fake.ts',
        'kimi-imports-app-room lib/kimi/fake.ts -> lib/usage/fake.ts',
        'documents-imports-chat lib/documents/fake.ts -> lib/chat/fake.ts',
        'lower-room-imports-chat lib/usage/fake.ts -> lib/chat/fake.ts',
        'shared-core-imports-room lib/errors.ts -> lib/chat/fake.ts',
        'sim-imports-app sim/fake.ts -> lib/chat/fake.ts',
        'lib-imports-ui lib/fake-ui.ts -> components/fake/a.tsx',
      ].sort(),
    );
  });

  it('the repository keeps the rooms apart', () => {
    const files = readRepository();
    expect(files.size).toBeGreaterThan(100);
    const violations = checkImports(files);
    const known = new Set(KNOWN_VIOLATIONS);
    const fresh = violations.filter((v) => !known.has(key(v))).map(show);
    const seen = new Set(violations.map(key));
    const stale = KNOWN_VIOLATIONS.filter((k) => !seen.has(k));
    expect(fresh, 'imports that break the room rules of design.md (file, import, why)').toEqual([]);
    expect(stale, 'KNOWN_VIOLATIONS entries that no longer occur: delete them').toEqual([]);
  });
});
