import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/**
 * docs/architecture.md is checked against the code (issue 16, item 6). The test reads the
 * doc's tables: the floors (a source file under src/ imports only from its own folder and
 * from lower floors, through a folder's entrances where the row names some), the shut doors,
 * what each folder outside src/ may import from src/, and the folders it names (every folder
 * under src/ and every top-level folder must be named; every named one must exist). Every
 * path in backticks must exist. Failures name the line of the doc to change.
 */

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DOC = 'docs/architecture.md';

interface Row {
  readonly line: number; // 1-based, in the doc
  readonly cells: readonly string[];
}

interface Floor {
  readonly floor: number;
  readonly line: number;
  readonly entrances: readonly string[];
}

interface ArchitectureMap {
  /** Each unit under src/ ('ops/', 'index.ts') and its floor. */
  readonly floors: ReadonlyMap<string, Floor>;
  /** [from, never, line]: paths under src/, no file under `from` imports one under `never`. */
  readonly doors: readonly (readonly [string, string, number])[];
  /** Each named folder ('src/ops/', 'cli/') and its line. */
  readonly folders: ReadonlyMap<string, number>;
  /** Top-level folder → the files of src/ it may import (undefined: anything). */
  readonly outside: ReadonlyMap<string, readonly string[] | undefined>;
  /** Every path in backticks outside the floors tables, with its line. */
  readonly paths: readonly (readonly [string, number])[];
}

const codes = (cell: string): string[] => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);

/** The table rows (header and separator dropped) between `heading` and the next heading at its level or above. */
function rows(lines: readonly string[], heading: string): Row[] {
  const start = lines.indexOf(heading);
  assert.ok(start >= 0, `${DOC} has no heading "${heading}"`);
  const level = heading.indexOf(' ');
  const out: Row[] = [];
  let header = true;
  for (let i = start + 1; i < lines.length; i++) {
    const text = lines[i]!;
    const h = /^(#+) /.exec(text);
    if (h && h[1]!.length <= level) break;
    if (!text.startsWith('|')) {
      header = true;
      continue;
    }
    const cells = text
      .slice(1, text.lastIndexOf('|'))
      .split('|')
      .map((c) => c.trim());
    if (header || cells.every((c) => /^:?-+:?$/.test(c))) {
      header = false;
      continue;
    }
    out.push({ line: i + 1, cells });
  }
  return out;
}

function readMap(text: string): ArchitectureMap {
  const lines = text.split('\n');
  const floors = new Map<string, Floor>();
  const doors: [string, string, number][] = [];
  for (const { line, cells } of rows(lines, '## The floors')) {
    if (/^\d+$/.test(cells[0]!)) {
      for (const unit of codes(cells[1]!)) {
        assert.ok(!floors.has(unit), `${DOC}:${line}: ${unit} is on two floors`);
        floors.set(unit, { floor: Number(cells[0]), line, entrances: codes(cells[2] ?? '') });
      }
    } else {
      for (const from of codes(cells[0]!)) {
        for (const never of codes(cells[1] ?? '')) doors.push([from, never, line]);
      }
    }
  }
  const folders = new Map<string, number>();
  for (const { line, cells } of rows(lines, '## What each folder owns')) {
    for (const f of codes(cells[0]!).filter((c) => c.endsWith('/'))) folders.set(f, line);
  }
  const outside = new Map<string, readonly string[] | undefined>();
  for (const { cells } of rows(lines, '### At the top of the repository')) {
    const allowed = /\banything\b/.test(cells[1]!) ? undefined : codes(cells[1]!);
    for (const f of codes(cells[0]!))
      outside.set(
        f,
        allowed?.filter((c) => c.startsWith('src/')),
      );
  }
  const floorsEnd = lines.indexOf('## What each folder owns');
  const paths: [string, number][] = [];
  lines.forEach((text, i) => {
    if (i < floorsEnd && text.startsWith('|')) return; // units there are relative to src/
    for (const c of codes(text)) if (/^[\w.-]+\/[\w./-]*$/.test(c)) paths.push([c, i + 1]);
  });
  return { floors, doors, folders, outside, paths };
}

/** The unit of a path under src/: 'ops/' for 'ops/matmul.ts', 'index.ts' for 'index.ts'. */
const unitOf = (path: string): string => {
  const slash = path.indexOf('/');
  return slash < 0 ? path : path.slice(0, slash + 1);
};

/** Relative imports of a file, resolved to repository paths ('src/ops/op.ts'). */
function importsOf(file: string, text: string): string[] {
  return ts
    .preProcessFile(text, true, true)
    .importedFiles.map((f) => f.fileName)
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => posix.join(posix.dirname(file), spec).replace(/\.js$/, '.ts'));
}

/** Every import of `files` (path under the repository → text) that breaks the floors or a door. */
function floorViolations(map: ArchitectureMap, files: ReadonlyMap<string, string>): string[] {
  const out: string[] = [];
  for (const [file, text] of files) {
    const from = file.slice('src/'.length);
    const here = map.floors.get(unitOf(from));
    if (!here) {
      out.push(`${file} is in no unit on the floors of ${DOC}`);
      continue;
    }
    for (const target of importsOf(file, text).filter((t) => t.startsWith('src/'))) {
      const to = target.slice('src/'.length);
      const shut = map.doors.find(([a, b]) => from.startsWith(a) && to.startsWith(b));
      if (shut) out.push(`${file} imports ${target}: ${DOC}:${shut[2]} shuts that door`);
      if (unitOf(to) === unitOf(from)) continue;
      const there = map.floors.get(unitOf(to));
      if (!there) out.push(`${file} imports ${target}, which is on no floor of ${DOC}`);
      else if (there.floor >= here.floor) {
        out.push(
          `${file} (floor ${here.floor}) imports ${target} (floor ${there.floor}): an import ` +
            `must go down the floors of ${DOC}:${here.line}; move the shared code down`,
        );
      } else if (there.entrances.length > 0 && !there.entrances.includes(to)) {
        out.push(
          `${file} imports ${target}: ${unitOf(to)} is entered only through ` +
            `${there.entrances.join(', ')} (${DOC}:${there.line})`,
        );
      }
    }
  }
  return out;
}

/** Every import into src/ of `files` (outside src/) that their folder's row does not allow. */
function outsideViolations(map: ArchitectureMap, files: ReadonlyMap<string, string>): string[] {
  const out: string[] = [];
  for (const [file, text] of files) {
    const folder = file.slice(0, file.indexOf('/') + 1);
    const allowed = map.outside.get(folder);
    if (allowed === undefined) continue;
    for (const target of importsOf(file, text).filter((t) => t.startsWith('src/'))) {
      if (allowed.includes(target)) continue;
      const may = allowed.length > 0 ? allowed.join(', ') : 'nothing from src/';
      out.push(`${file} imports ${target}; ${folder} may import ${may} (${DOC})`);
    }
  }
  return out;
}

/** Folders to leave out: hidden ones and those .gitignore lists by name. */
function ignoredFolders(): Set<string> {
  const ignore = readFileSync(join(root, '.gitignore'), 'utf8').split('\n');
  return new Set(
    ignore
      .map((l) => l.trim().replace(/^\/|\/$/g, ''))
      .filter((l) => l !== '' && !l.startsWith('#') && !/[*/]/.test(l)),
  );
}

const ignored = ignoredFolders();
const isDir = (p: string): boolean => statSync(join(root, p)).isDirectory();
const list = (dir: string): string[] =>
  readdirSync(join(root, dir))
    .filter((n) => !n.startsWith('.') && !ignored.has(n))
    .map((n) => (dir === '' ? n : `${dir}/${n}`));
const walk = (dir: string): string[] =>
  list(dir).flatMap((p) => (isDir(p) ? [`${p}/`, ...walk(p)] : [p]));

const topFolders = list('').filter(isDir);
const map = readMap(readFileSync(join(root, DOC), 'utf8'));
const sourceOf = (files: string[]): Map<string, string> =>
  new Map(files.map((f) => [f, readFileSync(join(root, f), 'utf8')]));

test('every folder under src/ and at the top is named in the doc, and every named one exists', () => {
  const problems: string[] = [];
  const present = ['src/', ...walk('src').filter((p) => p.endsWith('/'))];
  for (const f of topFolders) present.push(`${f}/`);
  for (const f of present.filter((f) => !map.folders.has(f))) {
    problems.push(`${f} exists but ${DOC} does not say what it owns`);
  }
  for (const [f, line] of map.folders) {
    if (!existsSync(join(root, f)) || !isDir(f))
      problems.push(`${DOC}:${line} names ${f}, which is gone`);
  }
  for (const f of topFolders.filter((f) => f !== 'src' && !map.outside.has(`${f}/`))) {
    problems.push(`${f}/ has no row in "At the top of the repository" of ${DOC}`);
  }
  assert.deepEqual(problems, []);
});

test('every path the doc names in backticks exists', () => {
  const roots = new Set(topFolders.map((f) => `${f}/`));
  const named = map.paths.filter(([p]) => roots.has(p.slice(0, p.indexOf('/') + 1)));
  assert.ok(named.length > 20, `only ${named.length} paths found: is the doc parsed?`);
  // The doc is read line by line, so a code span must not run over a line break.
  const text = readFileSync(join(root, DOC), 'utf8').split('\n');
  const split = text.flatMap((l, i) => ((l.match(/`/g)?.length ?? 0) % 2 === 1 ? [i + 1] : []));
  assert.deepEqual(split, [], `${DOC}: lines with a code span broken over two lines`);
  const missing = named.filter(([p]) => !existsSync(join(root, p)));
  assert.deepEqual(
    missing.map(([p, line]) => `${DOC}:${line} names ${p}, which does not exist`),
    [],
  );
});

test('the floors cover src/ exactly', () => {
  const problems: string[] = [];
  const units = list('src').map((p) => p.slice('src/'.length) + (isDir(p) ? '/' : ''));
  for (const u of units.filter((u) => !u.endsWith('.test.ts') && !map.floors.has(u))) {
    problems.push(`src/${u} stands on no floor of ${DOC}`);
  }
  const gone = (p: string): boolean => !existsSync(join(root, 'src', p));
  for (const [u, { line, entrances }] of map.floors) {
    if (gone(u)) problems.push(`${DOC}:${line}: src/${u} is gone`);
    for (const e of entrances.filter((e) => !e.startsWith(u) || gone(e))) {
      problems.push(`${DOC}:${line}: the entrance src/${e} is gone or not in src/${u}`);
    }
  }
  for (const [from, never, line] of map.doors) {
    for (const p of [from, never].filter(gone)) problems.push(`${DOC}:${line}: src/${p} is gone`);
  }
  assert.deepEqual(problems, []);
});

test('no import under src/ runs up the floors or through a shut door', () => {
  const files = walk('src').filter((p) => p.endsWith('.ts') && !p.endsWith('.test.ts'));
  assert.ok(files.length > 100, `only ${files.length} source files found`);
  assert.deepEqual(floorViolations(map, sourceOf(files)), []);
});

test('the folders outside src/ import from src/ only what the doc allows', () => {
  const files: string[] = [];
  for (const [folder, allowed] of map.outside) {
    if (allowed === undefined || !existsSync(join(root, folder))) continue;
    files.push(...walk(folder.slice(0, -1)).filter((p) => /\.(ts|mts|js|mjs)$/.test(p)));
  }
  assert.ok(files.length > 20, `only ${files.length} files found outside src/`);
  assert.deepEqual(outsideViolations(map, sourceOf(files)), []);
});

test('the checker catches an import up the floors, a shut door, a side entrance and a folder outside src/ reaching in', () => {
  const files = new Map([
    ['src/tensor/bad.ts', "import { Model } from '../models/model.js';"],
    ['src/ops/bad.ts', "import type { X } from '../backends/cpu/matmul.js';"],
    ['src/backends/cpu/bad.ts', "export { y } from '../wasm/index.js';"],
    ['src/layers/good.ts', "import { add } from '../ops/index.js';\nimport './dense.js';"],
    ['src/models/bad.ts', "const io = await import('../io/files.js');"],
  ]);
  const found = floorViolations(map, files).map((v) => v.split(' ')[0]);
  assert.deepEqual(found.sort(), [
    'src/backends/cpu/bad.ts',
    'src/models/bad.ts',
    'src/ops/bad.ts',
    'src/tensor/bad.ts',
  ]);
  const outside = new Map([
    ['examples/bad.ts', "import { matmul } from '../src/ops/matmul.js';"],
    ['examples/good.ts', "import * as sn from '../src/index.js';"],
    ['cli/bad.ts', "import * as sn from '../src/index.js';"],
    ['cli/good.ts', "import * as sn from 'sinew';"],
    ['bench/good.ts', "import { CpuBackend } from '../src/backends/cpu/index.js';"],
  ]);
  const outsideFound = outsideViolations(map, outside).map((v) => v.split(' ')[0]);
  assert.deepEqual(outsideFound.sort(), ['cli/bad.ts', 'examples/bad.ts']);
});
