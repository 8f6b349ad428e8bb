import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as sn from '../index.js';
import type { Tensor } from '../tensor/tensor.js';
import * as io from './index.js';

/**
 * Model files written by a hostile or careless hand (issue 10, items 2, 3, 7, 8, 10): nothing
 * outside the model folder is read, a tiny file cannot make sinew allocate or work without
 * bound, every failure is a typed error, and nothing from a file reaches the terminal raw.
 * Oracles: hand-computed predictions, the bytes of files we wrote, the process's memory.
 */

const quiet = { onWarning: () => {} };
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A saved 4 → 3 → 2 model (23 weights) in a fresh folder inside a fresh root. */
async function saved(): Promise<{ root: string; dir: string; json: Json; bin: Buffer }> {
  const root = await mkdtemp(join(tmpdir(), 'sinew-hostile-'));
  const dir = join(root, 'model');
  sn.setSeed(4);
  const m = sn.sequential({
    layers: [sn.layers.dense({ units: 3, inputShape: [4] }), sn.layers.dense({ units: 2 })],
  });
  await io.save(m, dir, quiet);
  return {
    root,
    dir,
    json: JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')),
    bin: await readFile(join(dir, 'weights.bin')),
  };
}

async function rejects(
  run: Promise<unknown>,
  Type: new (...a: never[]) => Error,
  patterns: RegExp[],
): Promise<void> {
  await assert.rejects(run, (e: Error) => {
    assert.ok(e instanceof Type, `expected ${Type.name}, got ${e.name}: ${e.message}`);
    for (const p of patterns) assert.match(e.message, p);
    return true;
  });
}

const x = sn.tensor([[0.5, -1, 2, 0.25]]);
const predicted = (m: sn.Model, input: Tensor): number[] =>
  Array.from((m.predict(input) as Tensor).dataSync());

test('symbolic links out of the model folder are refused, naming the file, its target and the fix', async () => {
  const { root, dir, json, bin } = await saved();
  // A canary outside the folder, exactly as long as the weights: it must never be read.
  const canary = join(root, 'canary.bin');
  await writeFile(canary, Buffer.alloc(bin.length, 7));
  const expectRefused = (target: string, file = 'weights') =>
    rejects(io.load(dir), io.SerializationError, [
      new RegExp(
        `the ${file} file ${join(dir, '\\S*')} leads to ${target}, outside the model folder`,
      ),
      /refused, nothing was read/,
      /Fix: copy the real file into the folder \(e\.g\. cp -L\)/,
    ]);

  // weights.bin a link to a file outside; then a link to a link to it.
  await rm(join(dir, 'weights.bin'));
  await symlink(canary, join(dir, 'weights.bin'));
  await expectRefused(canary);
  await rm(join(dir, 'weights.bin'));
  await symlink(join(root, 'hop'), join(dir, 'weights.bin'));
  await symlink(canary, join(root, 'hop'));
  await expectRefused(canary);
  await rm(join(dir, 'weights.bin'));

  // A manifest path through a linked folder: 'sub/weights.bin' with sub → a folder outside.
  await mkdir(join(root, 'elsewhere'));
  await writeFile(join(root, 'elsewhere', 'weights.bin'), bin);
  await symlink(join(root, 'elsewhere'), join(dir, 'sub'));
  const viaSub = structuredClone(json);
  viaSub.weightsManifest[0].paths = ['sub/weights.bin'];
  await writeFile(join(dir, 'model.json'), JSON.stringify(viaSub));
  await expectRefused(join(root, 'elsewhere', 'weights.bin'));

  // model.json itself a link to one outside (load and inspect).
  await writeFile(join(root, 'other.json'), JSON.stringify(json));
  await rm(join(dir, 'model.json'));
  await symlink(join(root, 'other.json'), join(dir, 'model.json'));
  await expectRefused(join(root, 'other.json'), 'model');
  await rejects(io.inspect(dir), io.SerializationError, [/outside the model folder/]);
  await rm(join(root, 'canary.bin'));
  await rm(root, { recursive: true, force: true });
});

test('links that stay inside the folder, and a folder reached through a link, still load', async () => {
  const { root, dir, bin } = await saved();
  const original = await io.load(dir);
  await writeFile(join(dir, 'real.bin'), bin);
  await rm(join(dir, 'weights.bin'));
  await symlink('real.bin', join(dir, 'weights.bin'));
  await symlink(dir, join(root, 'alias'));
  for (const source of [dir, join(root, 'alias'), join(root, 'alias', 'model.json')]) {
    const m = await io.load(source);
    assert.deepEqual(predicted(m, x), predicted(original, x));
  }
  await rm(root, { recursive: true, force: true });
});

test('a weights file that is a FIFO or a directory is refused at once, not waited on', async () => {
  const { root, dir } = await saved();
  await rm(join(dir, 'weights.bin'));
  await mkdir(join(dir, 'weights.bin'));
  await rejects(io.load(dir), io.SerializationError, [
    /weights\.bin is a directory, not a regular file/,
  ]);
  await rm(join(dir, 'weights.bin'), { recursive: true });
  if (spawnSync('mkfifo', [join(dir, 'weights.bin')]).status === 0) {
    await rejects(io.load(dir), io.SerializationError, [
      /weights\.bin is a device, FIFO or socket, not a regular file; refused/,
    ]);
  }
  await rm(root, { recursive: true, force: true });
});

test('loadWeights reads as load does: no link out of the folder, no FIFO waited on, sizes first', async () => {
  const root = await mkdtemp(join(tmpdir(), 'sinew-hostile-'));
  try {
    const dir = join(root, 'weights');
    sn.setSeed(4);
    const m = sn.sequential({ layers: [sn.layers.dense({ units: 3, inputShape: [4] })] });
    await io.saveWeights(m, dir);
    const bin = await readFile(join(dir, 'weights.bin'));
    await writeFile(join(root, 'canary.bin'), Buffer.alloc(bin.length, 7));
    await rm(join(dir, 'weights.bin'));
    await symlink(join(root, 'canary.bin'), join(dir, 'weights.bin'));
    await rejects(io.loadWeights(m, dir), io.SerializationError, [
      /weights file .*weights\.bin leads to .*canary\.bin, outside the model folder/,
    ]);
    await rm(join(dir, 'weights.bin'));
    await writeFile(join(dir, 'weights.bin'), bin.subarray(4));
    await rejects(io.loadWeights(m, dir), io.SerializationError, [
      new RegExp(`has ${bin.length - 4} bytes, the specs describe ${bin.length}`),
    ]);
    await rm(join(dir, 'weights.bin'));
    if (spawnSync('mkfifo', [join(dir, 'weights.bin')]).status === 0) {
      await rejects(io.loadWeights(m, dir), io.SerializationError, [
        /weights\.bin is a device, FIFO or socket, not a regular file; refused/,
      ]);
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('inspect shows output shapes of a topology that comes without a weights manifest', async () => {
  const m = sn.sequential({
    layers: [sn.layers.dense({ units: 3, inputShape: [4] }), sn.layers.dense({ units: 2 })],
  });
  const { modelTopology } = io.toMemory(m, quiet);
  const text = await io.inspect({ modelTopology } as object);
  // Dense(3) then Dense(2) on inputs of 4 features: [null, 3] and [null, 2], worked out by hand.
  assert.match(text, /\[null, ?3\]/);
  assert.match(text, /\[null, ?2\]/);
});

test('a tiny model.json asking for 1e9 units is refused before anything is allocated (load and inspect)', async () => {
  const { root, dir, json } = await saved();
  const inflated = structuredClone(json);
  inflated.modelTopology.config.layers[1].config.units = 1e9;
  await writeFile(join(dir, 'model.json'), JSON.stringify(inflated));
  const before = process.memoryUsage().rss;
  await rejects(io.load(dir), io.SerializationError, [
    /Dense '\S+' needs weight 'kernel' of shape \[3, 1000000000\] \(3000000000 values\), but the weights hold only 8 more of their 23 values; nothing was allocated/,
  ]);
  // inspect reads no weights: its summary comes from the JSON, shapes unknown.
  const text = await io.inspect(dir);
  assert.match(text, /Total params: 23 in 4 weight tensors/);
  assert.match(text, /\(Dense\)\s+\?\s+8/);
  // A float32 kernel of 3e9 values is 12 GB; well under 1 GB was used.
  assert.ok(process.memoryUsage().rss - before < 1e9, 'memory stayed bounded');
  // Shapes a manifest cannot describe: no NaN or Infinity reaches a message or a check.
  for (const shape of [
    [1e308, 0],
    [2 ** 53, 2],
    [1.5, 2],
    [-1, 4],
    ['3', 2],
  ]) {
    const bad = structuredClone(json);
    bad.weightsManifest[0].weights[0].shape = shape;
    await writeFile(join(dir, 'model.json'), JSON.stringify(bad));
    await assert.rejects(io.load(dir), (e: Error) => {
      assert.ok(e instanceof io.SerializationError, e.message);
      assert.match(e.message, /expected a list of non-negative integers whose product/);
      assert.doesNotMatch(e.message, /NaN|Infinity bytes/);
      return true;
    });
  }
  await rm(root, { recursive: true, force: true });
});

/** model.json + weights.bin for `n` one-unit Dense layers: kernel 1, bias 0.5 each. */
async function deepSequential(dir: string, n: number): Promise<void> {
  const layers: Json[] = [];
  const weights: Json[] = [];
  for (let i = 0; i < n; i++) {
    const config: Json = { name: `d${i}`, units: 1, activation: 'linear', use_bias: true };
    if (i === 0) config.batch_input_shape = [null, 1];
    layers.push({ class_name: 'Dense', config });
    weights.push({ name: `d${i}/kernel`, shape: [1, 1], dtype: 'float32' });
    weights.push({ name: `d${i}/bias`, shape: [1], dtype: 'float32' });
  }
  const json = {
    format: 'layers-model',
    modelTopology: { class_name: 'Sequential', config: { name: 'deep', layers } },
    weightsManifest: [{ paths: ['weights.bin'], weights }],
  };
  const values = new Float32Array(2 * n).map((_, i) => (i % 2 === 0 ? 1 : 0.5));
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'model.json'), JSON.stringify(json));
  await writeFile(join(dir, 'weights.bin'), new Uint8Array(values.buffer));
}

test(
  'a 20,000-layer sequential file loads (the graph is built once) and predicts x + 0.5·20000',
  {
    timeout: 120_000,
  },
  async () => {
    const root = await mkdtemp(join(tmpdir(), 'sinew-deep-'));
    await deepSequential(root, 20_000);
    const m = await io.load(root);
    assert.equal(m.layers.length, 20_000);
    assert.deepEqual(predicted(m, sn.tensor([[1], [-3]])), [10001, 9997]);
    await rm(root, { recursive: true, force: true });
  },
);

test('JSON nested deeper than 100 levels is a SerializationError for load, fromMemory and inspect', async () => {
  const { root, dir, json } = await saved();
  // 5000 nested Sequentials (15,000 levels of JSON), written as text: JSON.stringify would overflow.
  const leaf = '{"class_name":"Dense","config":{"name":"leaf","units":1}}';
  const text = `${'{"class_name":"Sequential","config":{"layers":['.repeat(5000)}${leaf}${']}}'.repeat(5000)}`;
  const nested = JSON.parse(text) as Json;
  await writeFile(
    join(dir, 'model.json'),
    `{"format":"layers-model","modelTopology":${text},"weightsManifest":${JSON.stringify(json.weightsManifest)}}`,
  );
  const pattern = /modelTopology is nested more than 100 levels deep/;
  await rejects(io.load(dir), io.SerializationError, [pattern]);
  await rejects(
    Promise.resolve().then(() => io.fromMemory({ modelTopology: nested })),
    io.SerializationError,
    [pattern],
  );
  await rejects(io.inspect(dir), io.SerializationError, [
    /model\.json is nested more than 100 levels deep/,
  ]);
  await rm(root, { recursive: true, force: true });
});

test('malformed layer entries are SerializationErrors, never TypeErrors', async () => {
  const { root, dir, json } = await saved();
  const variants: [string, (j: Json) => void][] = [
    ['layers: [null]', (j) => (j.modelTopology.config.layers = [null])],
    ['a layer that is a number', (j) => (j.modelTopology.config.layers[1] = 7)],
    ['config null', (j) => (j.modelTopology.config = null)],
    ['layer config a string', (j) => (j.modelTopology.config.layers[0].config = 'x')],
    [
      'functional with null layers',
      (j) => (j.modelTopology = { class_name: 'Functional', config: { layers: [null] } }),
    ],
    [
      'functional inbound node not a list',
      (j) =>
        (j.modelTopology = {
          class_name: 'Functional',
          config: {
            layers: [
              {
                class_name: 'InputLayer',
                name: 'in',
                config: { name: 'in', batch_input_shape: [null, 4] },
                inbound_nodes: [],
              },
              {
                class_name: 'Dense',
                name: 'd',
                config: { name: 'd', units: 1 },
                inbound_nodes: [[5]],
              },
            ],
            input_layers: [['in', 0, 0]],
            output_layers: [['d', 0, 0]],
          },
        }),
    ],
  ];
  for (const [what, mutate] of variants) {
    const bad = structuredClone(json);
    mutate(bad);
    await writeFile(join(dir, 'model.json'), JSON.stringify(bad));
    await assert.rejects(io.load(dir), (e: Error) => {
      assert.ok(e instanceof io.SerializationError, `${what}: ${e.name}: ${e.message}`);
      assert.ok(e.message.startsWith(join(dir, 'model.json')), `${what}: names the file`);
      assert.match(e.message, /Fix:/);
      return true;
    });
    // inspect summarises what it can, or says what is wrong: never a TypeError.
    await io
      .inspect(dir)
      .catch((e: Error) => assert.ok(e instanceof io.SerializationError, `${what}: ${e.message}`));
  }
  assert.throws(
    () =>
      io.fromMemory({ modelTopology: { class_name: 'Sequential', config: { layers: [null] } } }),
    /a layer entry must be an object \{ class_name, config \}, received null/,
  );
  await rm(root, { recursive: true, force: true });
});

test('maxWeightBytes must be a number >= 0: NaN, -1, a string or Infinity are ConfigErrors', async () => {
  const { root, dir } = await saved();
  for (const bad of [NaN, -1, '1e9', Infinity, null]) {
    await rejects(io.load(dir, { maxWeightBytes: bad as number }), sn.ConfigError, [
      /load: maxWeightBytes must be a finite number >= 0, received .*; pass a number, e.g. maxWeightBytes: /,
    ]);
  }
  // The limit itself still works, and a limit that fits loads.
  await rejects(io.load(dir, { maxWeightBytes: 91 }), io.SerializationError, [/claims 92 bytes/]);
  assert.equal((await io.load(dir, { maxWeightBytes: 92 })).countParams(), 23);
  await rm(root, { recursive: true, force: true });
});

test('size messages read right: "is truncated", "has extra bytes" (not "is has")', async () => {
  const { root, dir, bin } = await saved();
  await writeFile(join(dir, 'weights.bin'), Buffer.concat([bin, Buffer.alloc(4)]));
  await rejects(io.load(dir), io.SerializationError, [
    /the weights file \S+weights\.bin has extra bytes: expected 92 bytes for 4 weights, found 96 bytes/,
  ]);
  await writeFile(join(dir, 'weights.bin'), bin.subarray(0, 80));
  await rejects(io.load(dir), io.SerializationError, [
    /the weights file \S+weights\.bin is truncated: expected 92 bytes for 4 weights, found 80 bytes/,
  ]);
  await rm(root, { recursive: true, force: true });
});

/** Every character a terminal acts on, and the bidirectional overrides that spoof text. */
const CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/; // eslint-disable-line no-control-regex

test('inspect escapes control characters from the file: C0, DEL, C1, ESC sequences, bidi overrides', async () => {
  const { root, dir, json } = await saved();
  const evil = [
    '\x1b[2J\x1b[H', // clear the screen
    '\x1b]0;pwned\x07', // retitle the terminal
    '\x9b31m', // C1 CSI
    'a\rFAKE', // overwrite the line
    'b\nTotal params: 0', // spoof a line
    '\x7f\x00\x08', // DEL, NUL, backspace
    '\u202eevil', // right-to-left override
    '\t\x0b\x0c', // tab, vertical tab, form feed
  ];
  const j = structuredClone(json);
  j.generatedBy = `${evil[0]}sinew`;
  j.format = 'layers-model';
  j.modelTopology.config.name = evil[1];
  j.modelTopology.config.layers[0].config.name = evil[2];
  j.modelTopology.config.layers[1].class_name = `Dense${evil[3]}`;
  j.modelTopology.config.layers[1].config.name = evil[4];
  j.modelTopology.config.layers[0].config.kernel_regularizer = {
    class_name: `L2${evil[5]}`,
    config: { l2: evil[6] },
  };
  j.modelTopology.config.layers[0].config.batch_input_shape = [null, evil[7]];
  j.trainingConfig = {
    optimizer_config: { class_name: evil[0], config: { x: evil[1] } },
    loss: evil[2],
  };
  await writeFile(join(dir, 'model.json'), JSON.stringify(j));
  const text = await io.inspect(dir);
  for (const line of text.split('\n'))
    assert.doesNotMatch(line, CONTROL, `raw control character in ${JSON.stringify(line)}`);
  for (const shown of [
    '\\x1b[2J\\x1b[H',
    '\\x1b]0;pwned\\x07',
    '\\x9b31m',
    'a\\x0dFAKE',
    'b\\x0aTotal params: 0',
    '\\x7f\\x00\\x08',
    '\\u202eevil',
    '\\x09\\x0b\\x0c',
  ]) {
    assert.ok(text.includes(shown), `shows ${shown}:\n${text}`);
  }
  assert.equal(text.match(/^Total params/gm)?.length, 1, 'no spoofed line');
  await rm(root, { recursive: true, force: true });
});
