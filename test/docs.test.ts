import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Every ```ts block of every docs/*.md runs, and the numbers the prose quotes are the numbers
 * the blocks print.
 *
 * The convention, for whoever writes a doc:
 *
 * - A ```ts block is a whole program, as a user would paste it: it imports sinew by its package
 *   name (`import * as sn from 'sinew'`; here that is rewritten to src/index.ts) and may use
 *   top-level await. The blocks of a doc run one after the other, each as its own module.
 * - A block reports a number by printing a key and the number: `console.log('kernel', 0.25)`
 *   (exactly two arguments, a string and a number). Other printing is free. A key is printed
 *   once per doc.
 * - In the prose, right after a quoted number, an HTML comment names the key that prints it
 *   and the tolerance: `**5.25**<!-- check: total ±1e-6 -->`. The check takes the last number
 *   written before the comment (`**`, `%`, `)`, commas and the sign `−` are allowed around it)
 *   and requires |quoted − printed| ≤ tolerance. Percentages are printed as percentages.
 * - The tolerance is absolute. It covers what differs between the wasm and cpu backends (float32
 *   sums in another order) and the rounding of the quoted figure, nothing more.
 * - A ```ts block that cannot run on its own (a fragment) is preceded by the line
 *   `<!-- not run: why -->`; the test counts such blocks and prints their number. Blocks in
 *   other languages (```sh, ```text) are not run; their numbers carry no check comment.
 *
 * The data is small on purpose (2,000 MNIST digits, a few epochs, fixed seeds): the whole file
 * runs in about a minute on one core. The runner (scripts/run-tests.mjs) runs it in one backend
 * pass only.
 */

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const docsDir = join(root, 'docs');
const sinewEntry = JSON.stringify(join(root, 'src', 'index.ts'));

interface Block {
  code: string;
  line: number;
  skipped: boolean;
}

function tsBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  const fence = /^```(\w*)\n([\s\S]*?)^```/gm;
  for (let m = fence.exec(text); m !== null; m = fence.exec(text)) {
    if (m[1] !== 'ts') continue;
    const before = text.slice(0, m.index).trimEnd();
    const previousLine = before.slice(before.lastIndexOf('\n') + 1);
    blocks.push({
      code: m[2]!,
      line: before.split('\n').length + 1,
      skipped: /^<!--\s*not run:.+-->$/.test(previousLine.trim()),
    });
  }
  return blocks;
}

interface Check {
  key: string;
  tolerance: number;
  quoted: number;
  line: number;
}

const NUMBER = /[−-]?\d[\d,]*(?:\.\d+)?(?:e[+−-]?\d+)?/gi;

function checks(text: string, file: string): Check[] {
  const out: Check[] = [];
  const marker = /<!--\s*check:\s*([\w.-]+)\s*±\s*([0-9.eE+-]+)\s*-->/g;
  for (let m = marker.exec(text); m !== null; m = marker.exec(text)) {
    const line = text.slice(0, m.index).split('\n').length;
    const before = text.slice(Math.max(0, m.index - 40), m.index).replace(/[*%)\s]+$/, '');
    const numbers = before.match(NUMBER);
    assert.ok(numbers, `${file}:${line}: no number before <!-- check: ${m[1]} -->`);
    const quoted = Number(numbers.at(-1)!.replaceAll('−', '-').replaceAll(',', ''));
    const tolerance = Number(m[2]);
    assert.ok(Number.isFinite(quoted), `${file}:${line}: cannot read ${numbers.at(-1)}`);
    assert.ok(tolerance >= 0, `${file}:${line}: bad tolerance ${m[2]}`);
    out.push({ key: m[1]!, tolerance, quoted, line });
  }
  return out;
}

async function runBlocks(file: string, blocks: Block[]): Promise<Map<string, number>> {
  const printed = new Map<string, number>();
  const dir = mkdtempSync(join(tmpdir(), 'sinew-docs-'));
  const log = console.log;
  try {
    for (const [i, block] of blocks.entries()) {
      if (block.skipped) continue;
      assert.ok(
        block.code.includes("from 'sinew'"),
        `${file}:${block.line}: the block imports sinew by its package name`,
      );
      const path = join(dir, `block-${i}.mts`);
      writeFileSync(path, block.code.replaceAll("from 'sinew'", `from ${sinewEntry}`));
      console.log = (...args: unknown[]) => {
        if (args.length === 2 && typeof args[0] === 'string' && typeof args[1] === 'number') {
          assert.ok(!printed.has(args[0]), `${file}: the key '${args[0]}' is printed twice`);
          printed.set(args[0], args[1]);
        }
      };
      try {
        await import(pathToFileURL(path).href);
      } catch (e) {
        throw new Error(`${file}:${block.line}: the block failed: ${String(e)}`, { cause: e });
      } finally {
        console.log = log;
      }
    }
  } finally {
    console.log = log;
    rmSync(dir, { recursive: true, force: true });
  }
  return printed;
}

const docs = readdirSync(docsDir)
  .filter((f) => f.endsWith('.md'))
  .sort();

test('docs/ has markdown files to check', () => {
  assert.ok(docs.includes('regularization.md') && docs.includes('semantics.md'), docs.join(', '));
});

for (const file of docs) {
  test(`docs/${file}: every ts block runs and every checked number is what it prints`, async () => {
    const text = readFileSync(join(docsDir, file), 'utf8');
    const blocks = tsBlocks(text);
    const printed = await runBlocks(file, blocks);
    const skipped = blocks.filter((b) => b.skipped).length;
    if (skipped > 0) console.log(`# docs/${file}: ${skipped} block(s) marked "not run"`);
    for (const c of checks(text, file)) {
      const value = printed.get(c.key);
      assert.ok(value !== undefined, `${file}:${c.line}: no block printed '${c.key}'`);
      assert.ok(
        Math.abs(value - c.quoted) <= c.tolerance,
        `${file}:${c.line}: the doc says ${c.quoted} for '${c.key}', the code printed ${value} (tolerance ±${c.tolerance})`,
      );
    }
  });
}

test('docs/semantics.md: every rule is pinned, and every test it names exists in the file it names', () => {
  const text = readFileSync(join(docsDir, 'semantics.md'), 'utf8');
  const squash = (s: string) => s.replace(/\s+/g, ' ');
  // Rules 1–19, each followed (before the next rule) by a "Pinned by" paragraph.
  const rules = text.split(/\*\*Rule (\d+)\.\*\*/).slice(1);
  const numbers = rules.filter((_, i) => i % 2 === 0).map(Number);
  assert.deepEqual(
    numbers,
    Array.from({ length: 19 }, (_, i) => i + 1),
  );
  const pins = [...text.matchAll(/\*\*Pinned by\*\*([\s\S]*?)(?:\n\n|$)/g)].map((m) =>
    squash(m[1]!),
  );
  assert.ok(pins.length >= 20, `${pins.length} "Pinned by" paragraphs`);
  for (const [i, body] of rules.entries()) {
    if (i % 2 === 1) assert.match(body, /\*\*Pinned by\*\*/, `rule ${rules[i - 1]} names no test`);
  }
  let named = 0;
  for (const pin of pins) {
    // Each quoted name belongs to the last test file named before it.
    let file: string | undefined;
    for (const m of pin.matchAll(/((?:src|test)\/[\w/.-]+\.test\.ts)|"([^"]+)"/g)) {
      if (m[1] !== undefined) {
        file = m[1];
        continue;
      }
      const name = m[2]!;
      assert.ok(file, `no test file before "${name}"`);
      const source = squash(readFileSync(join(root, file), 'utf8'));
      const prefix = name.split('...')[0]!.trim();
      assert.ok(source.includes(prefix), `${file} has no test "${name}"`);
      named++;
    }
  }
  assert.ok(named >= 40, `${named} test names checked`);
});
