// The import rules ESLint's per-file rules cannot see (run by `npm run lint`; ARCHITECTURE.md
// explains them):
//  1. no runtime import cycle anywhere in electron/, shared/ and renderer/src/ (`import type` is
//     erased at build time and does not count);
//  2. inside electron/core/ a file imports (at run time) only from its own layer or a lower one;
//  3. nothing below the composition root (library.ts) imports it, not even for a type.
// Plain Node, no dependencies: it reads import lines, resolves relative paths, walks the graph.
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(
  process.argv[2] ?? path.join(path.dirname(new URL(import.meta.url).pathname), '..'),
);

/** electron/core/ top-level entries by layer, lowest first. A new folder must be placed here. */
const LAYERS = [
  ['foundation', ['errors.ts', 'events.ts', 'paths.ts', 'temp-files.ts', 'context.ts', 'formats', 'xml']],
  ['storage', ['catalog']],
  ['pipeline', ['ingest', 'jobs', 'host']],
  [
    'domain',
    [
      'governance',
      'history',
      'versions',
      'search',
      'roots',
      'scanning',
      'collections',
      'people',
      'publishing',
      'tagging',
      'renditions',
      'accounts',
      'sharing',
      'usage',
    ],
  ],
  ['root', ['library.ts']],
  ['adapters', ['api', 'media.ts', 'port-adapter.ts']],
];
const LEVEL = new Map(LAYERS.flatMap(([, entries], level) => entries.map((e) => [e, level])));
const ROOT_LEVEL = LEVEL.get('library.ts');

function sourceFiles() {
  const out = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
    }
  };
  for (const d of ['electron', 'shared', 'renderer/src'])
    if (fs.existsSync(path.join(ROOT, d))) walk(path.join(ROOT, d));
  return out;
}

// import x from '…' | import { a, type b } from '…' | import type … | export … from '…' | import '…'
const IMPORT =
  /(?:^|\n)[ \t]*(import|export)[ \t]+(type[ \t]+)?([^'";]*?)[ \t]*(?:from[ \t]*)?['"]([^'"]+)['"]/g;

function resolve(from, spec) {
  if (!spec.startsWith('.')) return null;
  const base = path.resolve(path.dirname(from), spec);
  for (const c of [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')])
    if (fs.existsSync(c) && fs.statSync(c).isFile()) return c;
  return null;
}

/** `import { type A, type B }` is as erased as `import type { A, B }`. */
function typeOnly(keywordType, clause) {
  if (keywordType) return true;
  const m = /^\{([^}]*)\}$/.exec(clause.trim());
  if (!m) return false;
  const names = m[1]
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return names.length > 0 && names.every((n) => n.startsWith('type '));
}

const rel = (f) => path.relative(ROOT, f).split(path.sep).join('/');

function coreEntry(file) {
  const parts = rel(file).split('/');
  if (parts[0] !== 'electron' || parts[1] !== 'core') return null;
  return parts[2];
}

const files = sourceFiles();
const graph = new Map();
const problems = [];
for (const file of files) {
  const src = fs.readFileSync(file, 'utf8');
  const runtime = [];
  for (const m of src.matchAll(IMPORT)) {
    const target = resolve(file, m[4]);
    if (!target) continue;
    const erased = typeOnly(m[2], m[3]);
    if (!erased) runtime.push(target);
    const from = coreEntry(file);
    const to = coreEntry(target);
    if (from === null || to === null || from === to) continue;
    const fromLevel = LEVEL.get(from);
    const toLevel = LEVEL.get(to);
    if (fromLevel === undefined || toLevel === undefined) {
      problems.push(
        `electron/core/${fromLevel === undefined ? from : to}: not in the layer map of scripts/check-imports.mjs`,
      );
      continue;
    }
    if (to === 'library.ts' && fromLevel < ROOT_LEVEL)
      problems.push(
        `${rel(file)} imports the composition root library.ts: depend on CoreContext (context.ts) instead`,
      );
    else if (!erased && toLevel > fromLevel)
      problems.push(
        `${rel(file)} (${LAYERS[fromLevel][0]}) imports ${rel(target)} (${LAYERS[toLevel][0]}): a layer imports only its own or lower ones`,
      );
  }
  graph.set(file, runtime);
}

// Cycles: depth-first search, reporting each cycle once by its smallest member.
const state = new Map();
const stack = [];
const seen = new Set();
function visit(f) {
  state.set(f, 'open');
  stack.push(f);
  for (const t of graph.get(f) ?? []) {
    if (state.get(t) === 'open') {
      const found = stack.slice(stack.indexOf(t)).map(rel);
      // Told from its smallest member, so a cycle reads the same whatever the walk order.
      const at = found.indexOf([...found].sort()[0]);
      const cycle = [...found.slice(at), ...found.slice(0, at)];
      const key = cycle.join('|');
      if (!seen.has(key)) {
        seen.add(key);
        problems.push(`import cycle: ${[...cycle, cycle[0]].join(' -> ')}`);
      }
    } else if (!state.has(t)) visit(t);
  }
  stack.pop();
  state.set(f, 'done');
}
for (const f of files) if (!state.has(f)) visit(f);

if (problems.length) {
  for (const p of [...new Set(problems)]) console.error(`check-imports: ${p}`);
  process.exit(1);
}
console.log(`check-imports: ${files.length} files, no cycles, layers in order`);
