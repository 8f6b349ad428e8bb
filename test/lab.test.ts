import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseLabArgs } from '../cli/lab/args.js';
import { runLab } from '../cli/lab/run.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

test('the quick lab shows what each regularizer does', async () => {
  const out = mkdtempSync(join(tmpdir(), 'sinew-lab-'));
  try {
    const lines: string[] = [];
    const options = parseLabArgs(['--quick', '--out', out]);
    assert.notEqual(options, 'help');
    const result = await runLab(options as Exclude<typeof options, 'help'>, (l) => lines.push(l));
    const m = (name: string) => result.measures.get(name)!;
    assert.deepEqual(
      [...result.measures.keys()],
      ['none', 'kernel-l2', 'activity-l1', 'kl', 'ksparse', 'saturate', 'saturate-activity'],
    );
    // The activity penalty makes the code sparse; the kernel penalty shrinks the weights.
    assert.ok(
      m('activity-l1').meanAbsCode < m('none').meanAbsCode,
      `mean |code| ${m('activity-l1').meanAbsCode} vs ${m('none').meanAbsCode}`,
    );
    assert.ok(m('activity-l1').activeFraction < m('none').activeFraction, 'fewer active units');
    assert.ok(
      m('kernel-l2').kernelNorm < m('none').kernelNorm,
      `kernel norm ${m('kernel-l2').kernelNorm} vs ${m('none').kernelNorm}`,
    );
    // The saturation scenario: small weights, saturated outputs, fixed by an activity penalty.
    assert.ok(m('saturate').maxAbsWeight < 0.5, `max |w| ${m('saturate').maxAbsWeight}`);
    assert.ok(
      m('saturate').saturatedFraction > 0.5,
      `saturated ${m('saturate').saturatedFraction}`,
    );
    assert.ok(m('saturate-activity').saturatedFraction < m('saturate').saturatedFraction);
    assert.ok(m('saturate-activity').maxAbsWeight < 0.5);
    const saturateAdvice = result.advice
      .filter((a) => a.variant === 'saturate')
      .map((a) => a.message)
      .join('\n');
    assert.match(saturateAdvice, /activity regularizer/);
    // k-sparse keeps at most 25 of 256 units per digit.
    assert.ok(m('ksparse').activeFraction <= 25 / 256 + 1e-9);
    // The table and a verdict per variant were printed; the report was written.
    const text = lines.join('\n');
    assert.match(text, /variant\s+test mse/);
    for (const name of result.measures.keys())
      assert.ok(text.includes(`${name}: `), `verdict for ${name}`);
    assert.ok(existsSync(join(out, 'index.html')));
    assert.deepEqual(
      readdirSync(out),
      ['index.html'],
      'nothing but the report (no temporary files left)',
    );
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    assert.ok(html.includes('saturate-activity'));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('the conv lab: the same table for a conv autoencoder; the activity penalty makes its code sparser', async () => {
  const out = mkdtempSync(join(tmpdir(), 'sinew-lab-conv-'));
  try {
    const lines: string[] = [];
    const options = parseLabArgs([
      '--model',
      'conv',
      '--quick',
      '--epochs',
      '1',
      '--variants',
      'none,activity-l1',
      '--out',
      out,
    ]);
    assert.notEqual(options, 'help');
    const result = await runLab(options as Exclude<typeof options, 'help'>, (l) => lines.push(l));
    assert.deepEqual([...result.measures.keys()], ['none', 'activity-l1']);
    const m = (name: string) => result.measures.get(name)!;
    // The code is the 14×14×8 output of the code conv; an L1 penalty on it shrinks it.
    assert.ok(
      m('activity-l1').meanAbsCode < m('none').meanAbsCode,
      `mean |code| ${m('activity-l1').meanAbsCode} vs ${m('none').meanAbsCode}`,
    );
    assert.ok(
      m('activity-l1').activeFraction <= m('none').activeFraction,
      `active ${m('activity-l1').activeFraction} vs ${m('none').activeFraction}`,
    );
    // The table's other numbers are in range: a pixel mse of sigmoid outputs, 8 code channels,
    // a penalty only where there is one.
    for (const name of ['none', 'activity-l1']) {
      assert.ok(m(name).mse > 0 && m(name).mse < 1, `${name} mse ${m(name).mse}`);
      assert.ok(m(name).deadUnits >= 0 && m(name).deadUnits <= 8, 'dead channels of 8');
      assert.equal(result.rssMiB.get(name)!.length, 1, 'one RSS figure per epoch');
    }
    assert.equal(m('none').regularization, 0);
    assert.ok(m('activity-l1').regularization > 0);
    // The table: a header naming the conv columns, a rule, one row per variant.
    const text = lines.join('\n');
    const header = lines.findIndex((l) => /^variant\s+test mse/.test(l));
    assert.ok(header >= 0, text);
    assert.match(lines[header]!, /dead channels/);
    assert.match(lines[header + 1]!, /^─+(\s+─+){9}$/);
    assert.match(lines[header + 2]!, /^none\s/);
    assert.match(lines[header + 3]!, /^activity-l1\s/);
    for (const row of [lines[header + 2]!, lines[header + 3]!]) {
      assert.equal(row.trim().split(/\s{2,}/).length, 10, `10 cells: ${row}`);
    }
    for (const name of result.measures.keys()) assert.ok(text.includes(`${name}: `));
    assert.match(text, /memory \(none\): RSS [\d.]+ MiB after epoch 1/);
    // The report: conv layers with their channel tables, the code's feature maps.
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    assert.match(html, /convolutional autoencoder/);
    assert.match(html, /<table class="channels" data-channels="conv1">/);
    assert.match(html, /<table class="channels" data-channels="encoder">/);
    assert.match(html, /data-kind="feature-maps"/);
    assert.doesNotMatch(html, /data-kind="features"/);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

/** Runs `sinew lab` in a child process and returns its exit code and output. */
function lab(args: string[]): { status: number | null; stderr: string; stdout: string } {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(root, 'cli', 'sinew.ts'), 'lab', ...args],
    {
      cwd: root,
      encoding: 'utf8',
    },
  );
  return { status: r.status, stderr: r.stderr, stdout: r.stdout };
}

test('bad lab flags: a clear message, a non-zero exit, nothing written', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sinew-lab-bad-'));
  try {
    const out = join(dir, 'report');
    const cases: [string[], RegExp][] = [
      [['--epochs', '-1'], /--epochs must be an integer >= 1, received "-1"/],
      [['--epochs', 'abc'], /--epochs must be an integer >= 1, received "abc"/],
      [
        ['--variants', 'none,activity-l3'],
        /unknown variant "activity-l3"; the variants are none, kernel-l2, activity-l1/,
      ],
      [['--frobnicate'], /Unknown option '--frobnicate'/],
      [
        ['--model', 'cnn'],
        /--model must be dense or conv, received "cnn"; for example --model conv/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = lab([...args, '--out', out]);
      assert.equal(r.status, 2, `${args.join(' ')}: exit ${r.status}, stderr ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.equal(existsSync(out), false, `${args.join(' ')} wrote nothing`);
    }
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    const r = lab(['--quick', '--out', join(file, 'report')]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /cannot write to the folder .* is a file, not a folder/);
    const help = lab(['--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /--variants LIST/);
    assert.match(help.stdout, /--model NAME/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
