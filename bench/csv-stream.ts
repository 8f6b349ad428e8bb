// The streaming task of `npm run bench` (issue 11): a CSV of `mb` megabytes of digit-like
// rows (784 pixel columns in [0, 1], mostly zeros, as MNIST) is written to a temp dir, the
// lab's autoencoder trains on it for one epoch with model.fitDataset in a child process
// (bench/peers/sinew-csv.ts, so that its RSS is its own), and the file is removed. The RSS a
// tenth of the way in, half way and at the end shows whether memory stays flat while the
// file streams. Runnable alone: `npx tsx bench/csv-stream.ts [--csv-mb N]` (default 1024).
// A program, never a test.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PIXELS, RESULT_PREFIX } from './workload.js';

export interface CsvStreamResult {
  mb: number;
  rows: number;
  steps: number;
  seconds: number;
  finalLoss: number;
  rssMiB: { start: number; tenth: number; half: number; end: number; peak: number };
}

const here = fileURLToPath(new URL('.', import.meta.url));

/** Writes about `mb` MB of rows; returns the row count. */
async function writeCsv(path: string, mb: number): Promise<number> {
  const out = createWriteStream(path);
  const header = Array.from({ length: PIXELS }, (_, j) => `p${j}`).join(',') + '\n';
  out.write(header);
  let bytes = header.length;
  let rows = 0;
  let state = 12345;
  const target = mb * 1e6;
  while (bytes < target) {
    let chunk = '';
    for (let r = 0; r < 64 && bytes + chunk.length < target; r++, rows++) {
      const fields: string[] = [];
      for (let j = 0; j < PIXELS; j++) {
        state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
        // About one pixel in five is ink, with two decimals.
        fields.push(state % 5 === 0 ? (((state >>> 8) % 101) / 100).toString() : '0');
      }
      chunk += fields.join(',') + '\n';
    }
    bytes += chunk.length;
    if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) =>
    out.end((e?: Error | null) => (e ? reject(e) : resolve())),
  );
  return rows;
}

export async function runCsvStream(mb: number): Promise<CsvStreamResult | { error: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'sinew-bench-csv-'));
  try {
    const path = join(dir, 'digits.csv');
    const rows = await writeCsv(path, mb);
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(here, 'peers', 'sinew-csv.ts'), path, String(rows)],
      { cwd: join(here, '..'), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((r) => child.on('close', r));
    const line = out.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
    if (code !== 0 || !line) {
      const last = err.trim().split('\n').filter(Boolean).slice(-3).join(' | ');
      return { error: `exit code ${code}: ${last || 'no result line'}` };
    }
    const r = JSON.parse(line.slice(RESULT_PREFIX.length)) as Omit<CsvStreamResult, 'mb' | 'rows'>;
    return { mb, rows, ...r };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function csvStreamLines(r: CsvStreamResult | { error: string }, mb: number): string[] {
  if ('error' in r) return [`fitDataset over a ${mb} MB CSV: FAILED (${r.error})`];
  const { start, tenth, half, end, peak } = r.rssMiB;
  return [
    `fitDataset over a ${r.mb} MB generated CSV (${r.rows} rows × ${PIXELS} columns, ` +
      `${r.steps} batches, one epoch): ${r.seconds.toFixed(1)} s, ` +
      `${(r.mb / r.seconds).toFixed(1)} MB/s, loss ${r.finalLoss.toFixed(4)}`,
    `  RSS: ${start} MiB at the start, ${tenth} MiB a tenth of the way in, ${half} MiB half ` +
      `way, ${end} MiB at the end, peak ${peak} MiB`,
  ];
}

/** `--csv-mb N` (or `--csv-mb=N`) from the arguments, else `fallback`. */
export function csvMegabytes(args: readonly string[], fallback: number): number {
  const i = args.findIndex((a) => a === '--csv-mb' || a.startsWith('--csv-mb='));
  if (i < 0) return fallback;
  const value = Number(args[i]!.includes('=') ? args[i]!.split('=')[1] : args[i + 1]);
  if (!(value > 0)) {
    console.error(
      `bench: --csv-mb takes a size in MB (> 0), received ${args[i]} ${args[i + 1] ?? ''}`,
    );
    process.exit(2);
  }
  return value;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const mb = csvMegabytes(process.argv.slice(2), 1024);
  console.log(csvStreamLines(await runCsvStream(mb), mb).join('\n'));
}
