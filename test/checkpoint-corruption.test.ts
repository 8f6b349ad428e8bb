import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as sn from '../src/index.js';
import { fileCheckpointer } from '../src/models/checkpoint/files.js';
import { parseExact, stringifyExact } from '../src/models/checkpoint/encoding.js';
import type { TrainingState } from '../src/models/checkpoint/state.js';
import { lcg } from './helpers.js';
import { BATCH_SIZE, EPOCHS, data, makeModel, run } from './fixtures/checkpoint-model.js';

/**
 * Damaged and foreign checkpoints: every changed byte, out-of-range field or other run's data
 * is a SerializationError naming the file, before fit trains or restores anything. The
 * oracle for the checksums is SHA-256 computed here from the documented layout.
 */

const root = mkdtempSync(join(tmpdir(), 'sinew-corrupt-'));
process.on('exit', () => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const freshDir = () => join(root, `run-${++dirs}`);

/** A finished 3-epoch run's checkpoint, written once and copied per test. */
const finished = (async () => {
  const dir = freshDir();
  await run({ dir, every: 'epoch' });
  const bin = readdirSync(dir).find((f) => f.endsWith('.bin'))!;
  return {
    json: readFileSync(join(dir, 'checkpoint.json')),
    bin,
    data: readFileSync(join(dir, bin)),
  };
})();

async function copy(
  edit: { json?: Buffer | string; data?: Buffer } = {},
): Promise<{ dir: string; index: string; binPath: string }> {
  const f = await finished;
  const dir = freshDir();
  const index = join(dir, 'checkpoint.json');
  const binPath = join(dir, f.bin);
  mkdirSync(dir);
  writeFileSync(index, edit.json ?? f.json);
  writeFileSync(binPath, edit.data ?? f.data);
  return { dir, index, binPath };
}

/** checkpoint.json's fields as the tests below edit them. */
interface Index {
  littleEndian: unknown;
  sha256?: string;
  state: TrainingState & { tracker: { count: number } };
}

/** checkpoint.json with `change` applied to its parsed fields and its checksum made to match. */
function rewritten(json: Buffer, change: (index: Index) => void): string {
  const index = parseExact(json.toString('utf8')) as Index;
  change(index);
  delete index.sha256;
  index.sha256 = createHash('sha256').update(stringifyExact(index)).digest('hex');
  return stringifyExact(index);
}

const isDamaged = (index: string, pattern: RegExp) => (e: unknown) =>
  e instanceof sn.SerializationError &&
  e.message.startsWith(`${index}: `) &&
  pattern.test(e.message) &&
  /Fix: /.test(e.message);

test('checkpoint.json: every byte flipped is a SerializationError naming the file, or loads the same', async () => {
  const f = await finished;
  const original = parseExact(f.json.toString('utf8'));
  const random = lcg(600, 5, 0, 1);
  const flips: [number, number][] = [];
  for (let i = 0; i < f.json.length; i++) flips.push([i, 0x01]);
  for (let k = 0; k < 300; k++) {
    flips.push([
      Math.floor(random[2 * k]! * f.json.length),
      1 + Math.floor(random[2 * k + 1]! * 255),
    ]);
  }
  const { dir, index } = await copy();
  let refused = 0;
  for (const [at, mask] of flips) {
    const bytes = Buffer.from(f.json);
    bytes[at]! ^= mask;
    writeFileSync(index, bytes);
    let loaded;
    try {
      loaded = await fileCheckpointer.load(dir, makeModel(1));
    } catch (e) {
      assert.ok(
        e instanceof sn.SerializationError && e.message.startsWith(`${index}: `),
        `flip ${mask} at ${at}: ${String(e)}`,
      );
      assert.doesNotMatch((e as Error).message, /other byte order/);
      refused++;
      continue;
    }
    // A flip that reads back as the same value ('1e-7' to '1E-7') is harmless.
    assert.deepEqual(
      parseExact(bytes.toString('utf8')),
      original,
      `flip ${mask} at ${at} accepted`,
    );
    assert.ok(loaded);
  }
  console.log(`checkpoint.json flips: ${flips.length} tried, ${refused} refused, rest identical`);
  assert.ok(refused > flips.length * 0.95);
});

test('the .bin: a flipped byte, NaN-filled values or a truncation is refused, naming the files', async () => {
  const f = await finished;
  const random = lcg(40, 9, 0, 1);
  const variants: Buffer[] = [];
  for (let k = 0; k < 20; k++) {
    const b = Buffer.from(f.data);
    b[Math.floor(random[2 * k]! * b.length)]! ^= 1 << Math.floor(random[2 * k + 1]! * 8);
    variants.push(b);
  }
  const nan = Buffer.from(f.data);
  new Float32Array(nan.buffer, nan.byteOffset, nan.length / 4).fill(Number.NaN);
  variants.push(nan);
  for (const b of variants) {
    const { dir, index, binPath } = await copy({ data: b });
    await assert.rejects(
      fileCheckpointer.load(dir, makeModel(1)),
      isDamaged(
        index,
        new RegExp(`${binPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} does not match the checksum`),
      ),
    );
  }
  const { dir, index } = await copy({ data: f.data.subarray(0, f.data.length - 4) });
  await assert.rejects(
    fileCheckpointer.load(dir, makeModel(1)),
    isDamaged(index, /has \d+ bytes, expected/),
  );
});

test('a flipped "littleEndian" key is reported as damage, not as the other byte order', async () => {
  const f = await finished;
  const json = f.json.toString('utf8').replace('"littleEndian"', '"littleEndiaN"');
  const { dir, index } = await copy({ json });
  await assert.rejects(
    fileCheckpointer.load(dir, makeModel(1)),
    (e: unknown) =>
      isDamaged(index, /does not match the checksum/)(e) && !/byte order/.test(String(e)),
  );
});

test('fields out of range are refused even with a matching checksum', async () => {
  const f = await finished;
  const cases: [string, (i: Index) => void, RegExp][] = [
    ['epoch 1e20', (i) => (i.state.epoch = 1e20), /state\.epoch is 100000000000000000000/],
    ['epoch -1', (i) => (i.state.epoch = -1), /state\.epoch is -1/],
    [
      'step past the epoch',
      (i) => (i.state.step = 5),
      /state\.step is 5, expected .*below the 5 steps/,
    ],
    ['learningRate NaN', (i) => (i.state.learningRate = Number.NaN), /state\.learningRate is NaN/],
    ['learningRate -1', (i) => (i.state.learningRate = -1), /state\.learningRate is -1/],
    ['tracker count', (i) => (i.state.tracker.count = 41), /state\.tracker is/],
    ['zero generator', (i) => (i.state.globalRng = [0, 0, 0, 0, Number.NaN]), /state\.globalRng/],
    ['generator word', (i) => (i.state.shuffleRng[0] = 2 ** 32), /state\.shuffleRng/],
    ['samples 0', (i) => (i.state.samples = 0), /state\.samples is 0/],
    ['data null', (i) => (i.state.data = null as never), /state\.data is null/],
    ['littleEndian string', (i) => (i.littleEndian = 'yes'), /littleEndian is "yes"/],
  ];
  for (const [name, change, pattern] of cases) {
    const { dir, index } = await copy({ json: rewritten(f.json, change) });
    await assert.rejects(fileCheckpointer.load(dir, makeModel(1)), isDamaged(index, pattern), name);
  }
});

test('non-finite weights saved in a checkpoint are refused on resume', async () => {
  const { x, y } = data();
  const bad = makeModel(1);
  bad.setWeights(bad.getWeights().map((w, i) => (i === 0 ? sn.fill(w.shape, Number.NaN) : w)));
  const nanDir = freshDir();
  const f = await finished;
  const state = (parseExact(f.json.toString('utf8')) as Index).state;
  await fileCheckpointer.save(nanDir, bad, state);
  await assert.rejects(
    bad.fit(x, y, {
      epochs: EPOCHS,
      batchSize: BATCH_SIZE,
      verbose: 0,
      checkpoint: { dir: nanDir },
    }),
    isDamaged(join(nanDir, 'checkpoint.json'), /weight '.*kernel' holds NaN at index 0/),
  );
});

test('a finished checkpoint is not reused by a fit on other data or options', async () => {
  const { x, y } = data();
  const other = sn.add(y, 1);
  const fit = (dir: string, xs: sn.Tensor, ys: sn.Tensor, extra: sn.FitOptions = {}) =>
    makeModel(1).fit(xs, ys, {
      epochs: EPOCHS,
      batchSize: BATCH_SIZE,
      seed: 42,
      verbose: 0,
      callbacks: [
        sn.callbacks.earlyStopping({ monitor: 'loss', patience: 10 }),
        sn.callbacks.reduceLROnPlateau({ monitor: 'loss', patience: 0, factor: 0.5, minDelta: 10 }),
      ],
      checkpoint: { dir },
      ...extra,
    });
  const cases: [string, () => Promise<sn.History>, RegExp][] = [];
  const { dir: d1, index } = await copy();
  cases.push(['y', () => fit(d1, x, other), /its y differs from this fit's/]);
  cases.push(['x', () => fit(d1, sn.mul(x, 2), y), /its x differs/]);
  cases.push([
    'sampleWeight',
    () => fit(d1, x, y, { sampleWeight: sn.fill([40], 2) }),
    /its sampleWeight differs/,
  ]);
  cases.push([
    'shuffle',
    () => fit(d1, x, y, { shuffle: false }),
    /its shuffle \(true there\) differs/,
  ]);
  cases.push([
    'validation',
    () => fit(d1, x, y, { validationData: [x, y] }),
    /its validation differs/,
  ]);
  cases.push([
    'fewer epochs',
    () => fit(d1, x, y, { epochs: 2 }),
    /at epoch 3, past this fit's epochs: 2/,
  ]);
  for (const [name, go, pattern] of cases) {
    await assert.rejects(go(), isDamaged(index, pattern), name);
  }
  // The same data and options resume it: the finished run, nothing trained.
  let batches = 0;
  await fit(d1, x, y, {
    callbacks: [
      sn.callbacks.earlyStopping({ monitor: 'loss', patience: 10 }),
      sn.callbacks.reduceLROnPlateau({ monitor: 'loss', patience: 0, factor: 0.5, minDelta: 10 }),
      { onBatchEnd: async () => void (batches += 1) },
    ],
  });
  assert.equal(batches, 0);
});

test('fields edited by hand (epoch: 1e9, learningRate: 1e9) are refused by the checksum', async () => {
  const f = await finished;
  for (const [field, value] of [
    ['epoch', 1e9],
    ['learningRate', 1e9],
  ] as const) {
    const index = parseExact(f.json.toString('utf8')) as Index;
    index.state[field] = value;
    const { dir, index: where } = await copy({ json: stringifyExact(index) });
    await assert.rejects(
      fileCheckpointer.load(dir, makeModel(1)),
      isDamaged(
        where,
        /checkpoint\.json: the checkpoint is damaged \(it does not match the checksum/,
      ),
      field,
    );
  }
});

test("a callback's state that does not fit it is an error naming the checkpoint's file", async () => {
  const f = await finished;
  const json = rewritten(f.json, (i) => (i.state.callbacks[0]!.state = 'broken'));
  const { dir, index } = await copy({ json });
  await assert.rejects(
    run({ dir }),
    (e: unknown) =>
      e instanceof sn.ConfigError &&
      e.message.startsWith(`${index}: earlyStopping.setState: expected`) &&
      /received "broken"/.test(e.message),
  );
});
