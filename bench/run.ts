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
// Prints the figures with the ratios sinew / peer and the targets of issue 5, and writes
// bench/results.json (atomically). A program, never a test.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomicSync } from '../src/io/atomic.js';
import { convTable } from './conv-report.js';
import { csvMegabytes, csvStreamLines, runCsvStream } from './csv-stream.js';
import { writeConvInputs, writeInputs } from './inputs.js';
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
  (a, i) => a !== '--quick' && !a.startsWith('--csv-mb') && args[i - 1] !== '--csv-mb',
);
if (unknown.length > 0) {
  console.error(
    `bench: unknown argument(s) ${unknown.join(' ')}; the options are --quick and --csv-mb N.`,
  );
  process.exit(2);
}
const quick = args.includes('--quick');
const csvMb = csvMegabytes(args, quick ? 64 : 1024);

interface Job {
  readonly name: string;
  readonly peer: 'sinew' | 'tfjs' | 'sinew-conv' | 'tfjs-conv';
  readonly config: Omit<ChildConfig, 'inputs' | 'convInputs' | 'quick'>;
}

/** Runs one child and returns its result line, or the reason it failed. */
function runChild(job: Job, inputs: string): Promise<ChildResult | { error: string }> {
  const file = join(here, 'peers', `${job.peer}.ts`);
  const config: ChildConfig = { ...job.config, inputs, convInputs: `${inputs}.conv`, quick };
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

async function runJobs(jobs: Job[], inputs: string, skip: Results): Promise<Results> {
  const results: Results = {};
  for (const job of jobs) {
    const skipped = skip[job.name];
    if (skipped && !('error' in skipped) && skipped.unsupported) {
      results[job.name] = skipped; // e.g. no threads: do not run the same thing twice
      continue;
    }
    const t0 = Date.now();
    process.stderr.write(`  ${job.config.task} ${job.name} … `);
    const r = await runChild(job, inputs);
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
  const sgemm = await runJobs(SGEMM_JOBS, inputs, {});
  const train = await runJobs(TRAIN_JOBS, inputs, sgemm);
  const conv = await runJobs(CONV_JOBS, inputs, sgemm);
  process.stderr.write(`  fitDataset over a ${csvMb} MB CSV … `);
  const csvStream = await runCsvStream(csvMb);
  process.stderr.write('error' in csvStream ? `FAILED (${csvStream.error})\n` : 'done\n');

  const ratios: Record<string, number> = {};
  const lossAgreement: Derived['lossAgreement'] = {};
  const convLines = convTable(conv, ratios);
  const lines = [
    '',
    ...sgemmTable(sgemm, ratios),
    '',
    ...trainTable(train, ratios, lossAgreement),
    '',
    ...convLines.lines,
    '',
    ...csvStreamLines(csvStream, csvMb),
    '',
  ];
  const loadAfter = loadavg()[0]!;
  lines.push(
    `load average (1 min): ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after`,
  );
  const verdicts = targets(sgemm, train);
  lines.push(...targetLines(verdicts));
  const notes = [
    ...Object.entries({ ...sgemm, ...train }),
    ...Object.entries(conv).map(([k, v]) => [`conv ${k}`, v] as const),
  ];
  for (const [name, r] of notes) {
    if ('error' in r) lines.push(`note: ${name} failed: ${r.error}`);
    else if (r.unsupported) lines.push(`note: ${name} not measured: ${r.unsupported}`);
  }
  console.log(lines.join('\n'));

  const results = {
    date: new Date().toISOString(),
    command: `npm run bench${quick ? ' -- --quick' : ''}`,
    quick,
    machine: { cpus: cpu.length, model: cpu[0]?.model ?? '?', node: process.version },
    loadAverage: { before: loadBefore, after: loadAfter },
    digits: n,
    sgemm,
    train,
    conv,
    csvStream,
    ratios,
    lossAgreement,
    convLossAgreement: convLines.agreement ?? null,
    targets: verdicts,
  };
  writeFileAtomicSync(fs, join(here, 'results.json'), JSON.stringify(results, null, 2) + '\n');
  console.log('\nwrote bench/results.json');
  const failed =
    [...Object.values({ ...sgemm, ...train }), ...Object.values(conv)].some((r) => 'error' in r) ||
    'error' in csvStream;
  process.exitCode = failed ? 1 : 0;
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
