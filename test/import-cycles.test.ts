import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/**
 * No new import cycle under src/. A cycle among modules that run code at load (a class
 * extending an imported class, a registry filled at load) breaks whichever module of the
 * cycle is imported first: "Cannot access 'RNN' before initialization" was one, through the
 * layer registry. Only imports evaluated at load count: static imports and re-exports that
 * bring at least one value (type-only ones are erased; dynamic import() runs later).
 *
 * KNOWN lists the cycles that are harmless today, each with the reason. A new cycle, or a
 * known one that grew, fails with its files named; a known one that is gone fails too, so
 * that its entry is removed.
 */
const KNOWN: readonly { files: readonly string[]; why: string }[] = [
  {
    files: ['src/ops/binary.ts', 'src/ops/reductions.ts', 'src/ops/shape.ts', 'src/ops/unary.ts'],
    why: 'gradient rules call ops of the other families, only when a gradient is taken',
  },
  {
    files: ['src/optimizers/schedules/builtins.ts', 'src/optimizers/schedules/get.ts'],
    why: 'LinearWarmup rebuilds its target schedule from the registry; schedules/index.ts loads get.ts first',
  },
];

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function sources(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = posix.join(dir, name);
    if (statSync(join(root, path)).isDirectory()) return sources(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Whether an import or export clause brings a value (not only types). */
function bringsValue(node: ts.ImportDeclaration | ts.ExportDeclaration): boolean {
  if (ts.isImportDeclaration(node)) {
    const clause = node.importClause;
    if (!clause) return true; // import './x.js': run for its effect
    if (clause.isTypeOnly) return false;
    if (clause.name) return true;
    const bindings = clause.namedBindings;
    if (!bindings || ts.isNamespaceImport(bindings)) return true;
    return bindings.elements.some((e) => !e.isTypeOnly);
  }
  if (node.isTypeOnly) return false;
  const clause = node.exportClause;
  if (!clause || ts.isNamespaceExport(clause)) return true;
  return clause.elements.some((e) => !e.isTypeOnly);
}

/** The src files `file` imports at load. */
function loadImports(file: string): string[] {
  const source = ts.createSourceFile(
    file,
    readFileSync(join(root, file), 'utf8'),
    ts.ScriptTarget.Latest,
  );
  const out: string[] = [];
  for (const node of source.statements) {
    if (!ts.isImportDeclaration(node) && !ts.isExportDeclaration(node)) continue;
    const spec = node.moduleSpecifier;
    if (!spec || !ts.isStringLiteral(spec) || !spec.text.startsWith('.')) continue;
    if (!bringsValue(node)) continue;
    out.push(posix.join(posix.dirname(file), spec.text).replace(/\.js$/, '.ts'));
  }
  return out;
}

/** The strongly connected components of more than one file (Tarjan), each sorted. */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) out.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

test('src/ has no import cycle evaluated at load, besides the known harmless ones', () => {
  const graph = new Map(sources('src').map((f) => [f, loadImports(f)] as const));
  assert.ok(graph.size > 200, `read only ${graph.size} files under src/`);
  const found = cycles(graph).map((c) => c.join(' ↔ '));
  const known = KNOWN.map((k) => [...k.files].sort().join(' ↔ '));
  const fresh = found.filter((c) => !known.includes(c));
  assert.deepEqual(
    fresh,
    [],
    'import cycles: break each (move what both sides need into a file of its own, as ' +
      'src/layers/registry.ts does) or, if it is harmless, add it to KNOWN with the reason',
  );
  const gone = known.filter((k) => !found.includes(k));
  assert.deepEqual(gone, [], 'these known cycles are gone: remove them from KNOWN');
});

test('the cycle finder finds a cycle and ignores type-only imports (self-check)', () => {
  const graph = new Map<string, string[]>([
    ['a', ['b']],
    ['b', ['c']],
    ['c', ['a']],
    ['d', ['a']],
  ]);
  assert.deepEqual(cycles(graph), [['a', 'b', 'c']]);
  const parse = (text: string) =>
    ts.createSourceFile('x.ts', text, ts.ScriptTarget.Latest).statements[0] as
      ts.ImportDeclaration | ts.ExportDeclaration;
  assert.equal(bringsValue(parse("import type { A } from './a.js';")), false);
  assert.equal(bringsValue(parse("import { type A, type B } from './a.js';")), false);
  assert.equal(bringsValue(parse("import { type A, b } from './a.js';")), true);
  assert.equal(bringsValue(parse("import './a.js';")), true);
  assert.equal(bringsValue(parse("export type { A } from './a.js';")), false);
  assert.equal(bringsValue(parse("export * from './a.js';")), true);
});
