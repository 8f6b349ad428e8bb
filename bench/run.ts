// `npm run bench` (add `-- --quick` for a short smoke run): sinew against TensorFlow.js in one
// run, on this machine, with the same inputs. Every measurement runs in its own child process
// (bench/peers/*.ts, so that each peak RSS is its own):
//   1. sgemm GFLOP/s at 128×784·784×256, 256³ and 1024³ (and the two transposed products of
//      the backward pass): sinew wasm on 1 and 2 threads, TF.js wasm, TF.js cpu;
//   2. the lab autoencoder's training step (784→256 sigmoid→784 sigmoid, mse + 1e-5·Σ|code|,
//      Adam 1e-3, batch 128) on the 10,000 digits: one warm-up epoch, three timed epochs,
//      medians of ms per step, the final loss; plus TF.js wasm with sinew's Adam formula, whose
//      loss must agree with sinew's (tf.train.adam places ε differently);
//   3. the peak RSS of every training child;
//   4. model.fitDataset over a generated CSV of 1 GB (`--csv-mb N` for another size; 64 MB
//      with --quick), streamed by sn.data.csv: its RSS at the start, a tenth of the way in,
//      at the end and at its peak (bench/csv-stream.ts);
//   5. the conv autoencoder (bench/conv-workload.ts): a training step on batches of 64 digits
//      (sinew 1 and 2 threads, TF.js cpu in a custom loop with the Keras-form Adam, from the
//      same weights: the final losses must agree to 4 digits) and a prediction of one batch
//      (sinew, TF.js wasm, which cannot train a conv, and TF.js cpu): ms, GFLOP/s, peak RSS.
//   6. the recurrent step of issue 15: an LSTM classifier on MNIST rows (28 steps × 28
//      features, 128 units, batch 128, Adam 1e-3, cross-entropy + l2(1e-4) on the recurrent
//      kernel) from the same initial weights: sinew 1t/2t, TF.js wasm and cpu, TF.js wasm with
//      the Keras-form Adam (the loss parity), ms per step, ratios, peak RSS.
// `--only lstm` or `--only conv` runs that step alone.
// Prints the figures with the ratios sinew / peer and the targets of issue 5, and writes
// bench/results.json (atomically). A program, never a test.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomicSync } from '../src/util/atomic.js';
import { convTable } from './conv-report.js';
import { csvMegabytes, csvStreamLines, runCsvStream } from './csv-stream.js';
import { writeConvInputs, writeInputs, writeLabels } from './inputs.js';
import {
  PARITY,
  sgemmTable,
  targetLines,
  targets,
  trainTable,
  type Derived,
  type Results,
} from './report.js';
import { RESULT_PREFIX, type ChildConfig, type ChildResult } from './workload.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..');
const args = process.argv.slice(2);
const unknown = args.filter(
  (a, i) =>
    a !== '--quick' &&
    !a.startsWith('--csv-mb') &&
    args[i - 1] !== '--csv-mb' &&
    a !== '--only' &&
    !(args[i - 1] === '--only' && (a === 'lstm' || a === 'conv')),
);
if (unknown.length > 0) {
  console.error(
    `bench: unknown argument(s) ${unknown.join(' ')}; the options are --quick, --csv-mb N ` +
      'and --only lstm|conv.',
  );
  process.exit(2);
}
const only = args.includes('--only')
  ? (args[args.indexOf('--only') + 1] as 'lstm' | 'conv')
  : undefined;
const quick = args.includes('--quick');
const csvMb = csvMegabytes(args, quick ? 64 : 1024);

interface Job {
  readonly name: string;
  readonly peer: 'sinew' | 'tfjs' | 'sinew-conv' | 'tfjs-conv';
  readonly config: Omit<ChildConfig, 'inputs' | 'convInputs' | 'quick'>;
}

/** Runs one child and returns its result line, or the reason it failed. */
function runChild(
  job: Job,
  inputs: string,
  labels: string,
): Promise<ChildResult | { error: string }> {
  const file = join(here, 'peers', `${job.peer}.ts`);
  const config: ChildConfig = {
    ...job.config,
    inputs,
    labels,
    convInputs: `${inputs}.conv`,
    quick,
  };
  const env = { ...process.env };
  delete env['SINEW_BACKEND'];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file, JSON.stringify(config)], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
      if (code === 0 && line) {
        resolve(JSON.parse(line.slice(RESULT_PREFIX.length)) as ChildResult);
      } else {
        const last = err.trim().split('\n').filter(Boolean).slice(-3).join(' | ');
        resolve({ error: `exit code ${code}: ${last || 'no result line'}` });
      }
    });
  });
}

const SGEMM_JOBS: Job[] = [
  { name: 'sinew 1t', peer: 'sinew', config: { task: 'sgemm', threads: 1 } },
  { name: 'sinew 2t', peer: 'sinew', config: { task: 'sgemm', threads: 2 } },
  { name: 'tfjs wasm', peer: 'tfjs', config: { task: 'sgemm', backend: 'wasm' } },
  { name: 'tfjs cpu', peer: 'tfjs', config: { task: 'sgemm', backend: 'cpu' } },
];
const TRAIN_JOBS: Job[] = [
  { name: 'sinew 1t', peer: 'sinew', config: { task: 'train', threads: 1 } },
  { name: 'sinew 2t', peer: 'sinew', config: { task: 'train', threads: 2 } },
  { name: 'tfjs wasm', peer: 'tfjs', config: { task: 'train', backend: 'wasm' } },
  { name: 'tfjs cpu', peer: 'tfjs', config: { task: 'train', backend: 'cpu' } },
  { name: PARITY, peer: 'tfjs', config: { task: 'train', backend: 'wasm', adam: 'keras' } },
];

const CONV_JOBS: Job[] = [
  { name: 'sinew 1t', peer: 'sinew-conv', config: { task: 'conv-train', threads: 1 } },
  { name: 'sinew 2t', peer: 'sinew-conv', config: { task: 'conv-train', threads: 2 } },
  { name: 'tfjs cpu', peer: 'tfjs-conv', config: { task: 'conv-train', backend: 'cpu' } },
  { name: 'sinew 1t predict', peer: 'sinew-conv', config: { task: 'conv-predict', threads: 1 } },
  { name: 'sinew 2t predict', peer: 'sinew-conv', config: { task: 'conv-predict', threads: 2 } },
  {
    name: 'tfjs wasm predict',
    peer: 'tfjs-conv',
    config: { task: 'conv-predict', backend: 'wasm' },
  },
  { name: 'tfjs cpu predict', peer: 'tfjs-conv', config: { task: 'conv-predict', backend: 'cpu' } },
];

const LSTM_JOBS: Job[] = [
  { name: 'sinew 1t', peer: 'sinew', config: { task: 'lstm', threads: 1 } },
  { name: 'sinew 2t', peer: 'sinew', config: { task: 'lstm', threads: 2 } },
  { name: 'tfjs wasm', peer: 'tfjs', config: { task: 'lstm', backend: 'wasm' } },
  { name: 'tfjs cpu', peer: 'tfjs', config: { task: 'lstm', backend: 'cpu' } },
  { name: PARITY, peer: 'tfjs', config: { task: 'lstm', backend: 'wasm', adam: 'keras' } },
];

/** The LSTM table: median ms a step, TF.js / sinew 1t ratios, losses, peak RSS; the targets. */
function lstmLines(results: Results, ratios: Record<string, number>): string[] {
  const ok = (name: string): ChildResult | undefined => {
    const r = results[name];
    return r && !('error' in r) && r.train ? r : undefined;
  };
  const lines = [
    'LSTM classifier step (28×28 rows, 128 units, batch 128, Adam, CE + l2(1e-4) recurrent):',
    `${'system'.padEnd(22)}${'median ms'.padStart(11)}${'p10'.padStart(9)}${'p90'.padStart(9)}` +
      `${'first loss'.padStart(12)}${'last loss'.padStart(12)}${'peak RSS MiB'.padStart(14)}`,
  ];
  for (const name of Object.keys(results)) {
    const r = ok(name);
    if (!r) continue;
    const t = r.train!;
    lines.push(
      `${name.padEnd(22)}${t.medianMs.toFixed(2).padStart(11)}${t.p10Ms.toFixed(1).padStart(9)}` +
        `${t.p90Ms.toFixed(1).padStart(9)}${t.firstLoss.toFixed(6).padStart(12)}` +
        `${t.lastLoss.toFixed(6).padStart(12)}${r.peakRssMiB.toFixed(1).padStart(14)}`,
    );
  }
  const base = ok('sinew 1t')?.train;
  const best = Math.min(
    ...['sinew 1t', 'sinew 2t'].map((n) => ok(n)?.train?.medianMs ?? Number.POSITIVE_INFINITY),
  );
  for (const [peer, goal] of [
    ['tfjs wasm', 10],
    ['tfjs cpu', 40],
  ] as const) {
    const p = ok(peer)?.train;
    if (!base || !p) continue;
    const ratio = p.medianMs / best;
    ratios[`lstm ${peer} / sinew`] = ratio;
    lines.push(
      `target: ≥ ${goal}× ${peer} on the median step: ${ratio.toFixed(2)}× ` +
        `(${ratio >= goal ? 'met' : 'NOT met'}; best sinew median ${best.toFixed(2)} ms)`,
    );
  }
  const parity = ok(PARITY)?.train;
  if (base && parity) {
    const agree = (a: number, b: number): boolean => a.toPrecision(4) === b.toPrecision(4);
    lines.push(
      `loss parity with TF.js wasm (Keras-form Adam), ${base.steps} timed steps: last loss ` +
        `${base.lastLoss.toPrecision(6)} vs ${parity.lastLoss.toPrecision(6)} — ` +
        `${agree(base.lastLoss, parity.lastLoss) && agree(base.firstLoss, parity.firstLoss) ? 'agree' : 'DIFFER'} to 4 digits`,
    );
  }
  const wasmRss = ok('tfjs wasm')?.peakRssMiB;
  const ourRss = ok('sinew 1t')?.peakRssMiB;
  if (wasmRss !== undefined && ourRss !== undefined) {
    lines.push(
      `target: peak RSS ≤ TF.js wasm's: ${ourRss} MiB vs ${wasmRss} MiB ` +
        `(${ourRss <= wasmRss ? 'met' : 'NOT met'})`,
    );
  }
  return lines;
}

async function runJobs(
  jobs: Job[],
  inputs: string,
  labels: string,
  skip: Results,
): Promise<Results> {
  const results: Results = {};
  for (const job of jobs) {
    const skipped = skip[job.name];
    if (skipped && !('error' in skipped) && skipped.unsupported) {
      results[job.name] = skipped; // e.g. no threads: do not run the same thing twice
      continue;
    }
    const t0 = Date.now();
    process.stderr.write(`  ${job.config.task} ${job.name} … `);
    const r = await runChild(job, inputs, labels);
    results[job.name] = r;
    const status = 'error' in r ? `FAILED (${r.error})` : (r.unsupported ?? 'done');
    process.stderr.write(`${status}, ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  }
  return results;
}

const dir = fs.mkdtempSync(join(tmpdir(), 'sinew-bench-'));
try {
  const inputs = join(dir, 'inputs.bin');
  const n = writeInputs(inputs);
  const labels = join(dir, 'labels.bin');
  writeLabels(labels);
  writeConvInputs(`${inputs}.conv`);
  const cpu = cpus();
  console.log(
    `sinew vs TensorFlow.js — ${cpu.length} × ${cpu[0]?.model ?? '?'}, Node ${process.version}` +
      `${quick ? ', --quick (5 warm-up + 15 timed steps, short sgemm budgets)' : ''}`,
  );
  console.log(`${n} MNIST digits, the same batches and initial weights for every system`);
  const loadBefore = loadavg()[0]!;
  if (loadBefore > 0.5 * cpu.length) {
    console.log(
      `warning: the load average is ${loadBefore.toFixed(1)} on ${cpu.length} cores; ` +
        'other processes will slow every system (compare only within this run)',
    );
  }
  console.log('');
  const none: Results = {};
  const sgemm = only ? none : await runJobs(SGEMM_JOBS, inputs, labels, {});
  const train = only ? none : await runJobs(TRAIN_JOBS, inputs, labels, sgemm);
  const conv = only && only !== 'conv' ? none : await runJobs(CONV_JOBS, inputs, labels, sgemm);
  const lstm = only && only !== 'lstm' ? none : await runJobs(LSTM_JOBS, inputs, labels, sgemm);
  let csvStream: Awaited<ReturnType<typeof runCsvStream>> = { error: `skipped (--only ${only})` };
  if (!only) {
    process.stderr.write(`  fitDataset over a ${csvMb} MB CSV … `);
    csvStream = await runCsvStream(csvMb);
    process.stderr.write('error' in csvStream ? `FAILED (${csvStream.error})\n` : 'done\n');
  }

  const ratios: Record<string, number> = {};
  const lossAgreement: Derived['lossAgreement'] = {};
  const section = (on: boolean, part: string[]): string[] => (on ? [...part, ''] : []);
  const convLines = convTable(conv, ratios);
  const lines = [
    '',
    ...section(!only, sgemmTable(sgemm, ratios)),
    ...section(!only, trainTable(train, ratios, lossAgreement)),
    ...section(!only || only === 'conv', convLines.lines),
    ...section(!only || only === 'lstm', lstmLines(lstm, ratios)),
    ...section(!only, csvStreamLines(csvStream, csvMb)),
  ];
  const loadAfter = loadavg()[0]!;
  lines.push(
    `load average (1 min): ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after`,
  );
  const verdicts = only ? [] : targets(sgemm, train);
  if (!only) lines.push(...targetLines(verdicts));
  const notes = [
    ...Object.entries({ ...sgemm, ...train }),
    ...Object.entries(conv).map(([k, v]) => [`conv ${k}`, v] as const),
  ];
  for (const [name, r] of notes) {
    if ('error' in r) lines.push(`note: ${name} failed: ${r.error}`);
    else if (r.unsupported) lines.push(`note: ${name} not measured: ${r.unsupported}`);
  }
  for (const [name, r] of Object.entries(lstm)) {
    if ('error' in r) lines.push(`note: lstm ${name} failed: ${r.error}`);
    else if (r.unsupported) lines.push(`note: ${name} not measured: ${r.unsupported}`);
  }
  console.log(lines.join('\n'));

  const results = {
    date: new Date().toISOString(),
    command: `npm run bench${quick || only ? ' --' : ''}${quick ? ' --quick' : ''}${only ? ` --only ${only}` : ''}`,
    quick,
    machine: { cpus: cpu.length, model: cpu[0]?.model ?? '?', node: process.version },
    loadAverage: { before: loadBefore, after: loadAfter },
    digits: n,
    sgemm,
    train,
    conv,
    lstm,
    csvStream,
    ratios,
    lossAgreement,
    convLossAgreement: convLines.agreement ?? null,
    targets: verdicts,
  };
  const out = only ? `results-${only}.json` : 'results.json';
  writeFileAtomicSync(fs, join(here, out), JSON.stringify(results, null, 2) + '\n');
  console.log(`\nwrote bench/${out}`);
  const failed =
    [...Object.values({ ...sgemm, ...train, ...lstm }), ...Object.values(conv)].some(
      (r) => 'error' in r,
    ) ||
    (!only && 'error' in csvStream);
  process.exitCode = failed ? 1 : 0;
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
