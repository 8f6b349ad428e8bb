import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as sn from '../src/index.js';

/**
 * Streaming keeps memory flat: fitDataset over a generated CSV of 20,000 rows × 65 columns
 * (about 12 MB of text, 600 batches of 32) measures the heap (and memory outside it:
 * typed arrays, wasm) after a full garbage collection at batch 50 and at batch 500. What
 * streams between the two, 14,400 rows (8 MB of text, 3.7 MB as float32, over 20 MB as
 * parsed objects), would show many times over if any of it were kept.
 */

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const root = mkdtempSync(join(tmpdir(), 'sinew-data-memory-'));
process.on('exit', () => rmSync(root, { recursive: true, force: true }));

const ROWS = 20_000;
const FEATURES = 64;

async function writeCsv(path: string): Promise<void> {
  const out = createWriteStream(path);
  const names = Array.from({ length: FEATURES }, (_, j) => `f${j}`);
  out.write(`${names.join(',')},label\n`);
  for (let i = 0; i < ROWS; i++) {
    const row = Array.from({ length: FEATURES }, (_, j) =>
      (((i * 31 + j * 17) % 1000) / 1000).toFixed(3),
    );
    const ok = out.write(`${row.join(',')},${i % 2}\n`);
    if (!ok) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r, reject) => out.end((e?: Error | null) => (e ? reject(e) : r())));
}

function used(): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

test('fitDataset over a CSV many times larger than a batch keeps memory flat', async () => {
  const path = join(root, 'big.csv');
  await writeCsv(path);
  const ds = sn.data
    .csv(path, { columnConfigs: { label: { isLabel: true } } })
    .map((e) => {
      const { xs, ys } = e as { xs: Record<string, number>; ys: Record<string, number> };
      return { xs: Object.values(xs), ys: Object.values(ys) };
    })
    .batch(32)
    .prefetch(2);
  sn.setSeed(1);
  const model = sn.sequential({
    layers: [
      sn.layers.dense({ units: 8, activation: 'relu', inputShape: [FEATURES] }),
      sn.layers.dense({ units: 1, activation: 'sigmoid' }),
    ],
  });
  model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
  const at: Record<number, number> = {};
  let batches = 0;
  await model.fitDataset(ds, {
    verbose: 0,
    callbacks: [
      {
        onBatchEnd: async (batch: number) => {
          batches++;
          if (batch === 50 || batch === 500) at[batch] = used();
        },
      },
    ],
  });
  assert.equal(batches, Math.ceil(ROWS / 32));
  // fit on tensors shows up to ~0.6 MB of drift over such a run (the runtime's own); keeping
  // the batch tensors alone would add 3.7 MB, the parsed rows far more.
  const growth = at[500]! - at[50]!;
  assert.ok(
    growth < 2 * 2 ** 20,
    `memory grew by ${(growth / 2 ** 20).toFixed(2)} MB from batch 50 to 500`,
  );
});
