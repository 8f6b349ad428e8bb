import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as sn from '../src/index.js';
import { decodeSafetensors, encodeSafetensors, writeSafetensors } from '../src/io/safetensors.js';
import { torchPlan, torchWeights } from '../src/io/pytorch/plan.js';
import { lastJson, runPython } from './fixtures/torch.js';

/**
 * safetensors and .npy files: written by sinew and read by numpy / a header parsed by hand in
 * Python (the oracle: an independent reader), written by Python and read by sinew, and every
 * malformed file of the acceptance list refused with a SerializationError, nothing assigned.
 */

async function tmp(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'sinew-st-'));
}

/** A reader written from the format's description, independent of sinew's. */
const PY_READER = `
import json, struct, sys
import numpy as np
def read(path):
    data = open(path, 'rb').read()
    (n,) = struct.unpack('<Q', data[:8])
    header = json.loads(data[8:8 + n])
    out = {}
    for name, e in header.items():
        if name == '__metadata__':
            continue
        dt = {'F32': '<f4', 'F64': '<f8', 'I32': '<i4'}[e['dtype']]
        b, end = e['data_offsets']
        a = np.frombuffer(data[8 + n + b: 8 + n + end], dtype=dt).reshape(e['shape'])
        out[name] = {'dtype': e['dtype'], 'shape': list(a.shape), 'values': a.ravel().tolist()}
    return out, (8 + n) % 8
`;

function model(): sn.Sequential {
  sn.setSeed(3);
  return sn.sequential({
    layers: [
      sn.layers.dense({ name: 'enc', units: 3, inputShape: [4], activation: 'relu' }),
      sn.layers.batchNormalization({ name: 'bn' }),
      sn.layers.dense({ name: 'dec', units: 2, useBias: false }),
    ],
  });
}

test('safetensors written by sinew are read by a hand-written Python reader (header, dtypes, values)', async () => {
  const dir = await tmp();
  const file = join(dir, 'w.safetensors');
  const entries = [
    {
      name: 'a',
      tensor: sn.tensor(
        [
          [1.5, -2],
          [3, 4.25],
          [0.1, 7],
        ],
        undefined,
        'float32',
      ),
    },
    { name: 'b', tensor: sn.tensor([1e-300, -2.5], undefined, 'float64') },
    { name: 'c', tensor: sn.tensor([[7, -8, 2147483647]], undefined, 'int32') },
    { name: 'empty', tensor: sn.zeros([0, 3]) },
  ];
  await writeSafetensors(file, entries, { format: 'pt' });
  const out = lastJson<{
    tensors: Record<string, { dtype: string; shape: number[]; values: number[] }>;
    aligned: number;
  }>(
    runPython(
      `${PY_READER}\nt, aligned = read(sys.argv[1])\nprint(json.dumps({'tensors': t, 'aligned': aligned}))`,
      {
        args: [file],
      },
    ),
  );
  assert.equal(out.aligned, 0, 'the data starts at a multiple of 8 bytes');
  assert.deepEqual(out.tensors.a, {
    dtype: 'F32',
    shape: [3, 2],
    values: [1.5, -2, 3, 4.25, Math.fround(0.1), 7],
  });
  assert.deepEqual(out.tensors.b, { dtype: 'F64', shape: [2], values: [1e-300, -2.5] });
  assert.deepEqual(out.tensors.c, { dtype: 'I32', shape: [1, 3], values: [7, -8, 2147483647] });
  assert.deepEqual(out.tensors.empty, { dtype: 'F32', shape: [0, 3], values: [] });
  // Our own reader gives the same tensors back.
  const back = decodeSafetensors(new Uint8Array(await readFile(file)), file);
  assert.deepEqual(
    back.map((e) => [e.name, e.tensor.dtype, e.tensor.shape]),
    entries.map((e) => [e.name, e.tensor.dtype, e.tensor.shape]),
  );
  back.forEach((e, i) =>
    assert.deepEqual(Array.from(e.tensor.dataSync()), Array.from(entries[i]!.tensor.dataSync())),
  );
});

test('saveNpy writes numpy .npy files numpy.load reads (float32, float64, int32, bool, scalar, 1-D)', async () => {
  const dir = await tmp();
  const cases = {
    f32: sn.tensor(
      [
        [0.5, -1],
        [2, 3],
        [4, 1e-8],
      ],
      undefined,
      'float32',
    ),
    f64: sn.tensor([[[0.1, 2]], [[3, -4]]], undefined, 'float64'),
    i32: sn.tensor([1, -2, 3], undefined, 'int32'),
    b: sn.tensor([true, false, true], undefined, 'bool'),
    s: sn.scalar(2.5),
  };
  for (const [name, t] of Object.entries(cases)) await sn.io.saveNpy(t, join(dir, `${name}.npy`));
  const out = lastJson<
    Record<string, { dtype: string; shape: number[]; values: (number | boolean)[]; offset: number }>
  >(
    runPython(
      `import json, sys, numpy as np
out = {}
for name in ${JSON.stringify(Object.keys(cases))}:
    path = sys.argv[1] + '/' + name + '.npy'
    a = np.load(path)
    with open(path, 'rb') as f:
        f.read(8); n = int.from_bytes(f.read(2), 'little')
    out[name] = {'dtype': str(a.dtype), 'shape': list(a.shape), 'values': a.ravel().tolist(), 'offset': (10 + n) % 64}
print(json.dumps(out))`,
      { args: [dir] },
    ),
  );
  assert.deepEqual(out.f32, {
    dtype: 'float32',
    shape: [3, 2],
    values: [0.5, -1, 2, 3, 4, Math.fround(1e-8)],
    offset: 0,
  });
  assert.deepEqual(out.f64, {
    dtype: 'float64',
    shape: [2, 1, 2],
    values: [0.1, 2, 3, -4],
    offset: 0,
  });
  assert.deepEqual(out.i32, { dtype: 'int32', shape: [3], values: [1, -2, 3], offset: 0 });
  assert.deepEqual(out.b, { dtype: 'bool', shape: [3], values: [true, false, true], offset: 0 });
  assert.deepEqual(out.s, { dtype: 'float32', shape: [], values: [2.5], offset: 0 });
});

test('loadSafetensors reads a file PyTorch wrote: Linear [out, in] becomes the kernel [in, out]; predictions match torch', async () => {
  const dir = await tmp();
  const file = join(dir, 'torch.safetensors');
  const m = model();
  const x = sn.randomNormal([5, 4], { seed: 1 });
  // PyTorch writes the weights with its own names and layouts, and computes the prediction.
  const script = `import json, struct, sys, torch
import torch.nn.functional as F
g = torch.Generator().manual_seed(0)
t = {
  'enc.weight': torch.randn(3, 4, generator=g), 'enc.bias': torch.randn(3, generator=g),
  'bn.weight': torch.rand(3, generator=g) + 0.5, 'bn.bias': torch.randn(3, generator=g),
  'bn.running_mean': torch.randn(3, generator=g), 'bn.running_var': torch.rand(3, generator=g) + 0.5,
  'dec.weight': torch.randn(2, 3, generator=g),
}
header, blobs, off = {}, [], 0
for k, v in t.items():
    b = v.numpy().astype('<f4').tobytes()
    header[k] = {'dtype': 'F32', 'shape': list(v.shape), 'data_offsets': [off, off + len(b)]}
    blobs.append(b); off += len(b)
h = json.dumps(header).encode()
with open(sys.argv[1], 'wb') as f:
    f.write(struct.pack('<Q', len(h))); f.write(h); [f.write(b) for b in blobs]
x = torch.tensor(json.loads(sys.argv[2]))
h1 = F.relu(F.linear(x, t['enc.weight'], t['enc.bias']))
h2 = (h1 - t['bn.running_mean']) / torch.sqrt(t['bn.running_var'] + 1e-3) * t['bn.weight'] + t['bn.bias']
y = F.linear(h2, t['dec.weight'])
print(json.dumps({'y': y.tolist(), 'enc': t['enc.weight'].tolist()}))`;
  const out = lastJson<{ y: number[][]; enc: number[][] }>(
    runPython(script, { args: [file, JSON.stringify(x.arraySync())] }),
  );
  await sn.io.loadSafetensors(m, file);
  assert.deepEqual(
    m.getLayer('enc').weights[0]!.arraySync(),
    sn.transpose(sn.tensor(out.enc, undefined, 'float32')).arraySync(),
  );
  const y = (m.predict(x) as sn.Tensor).arraySync() as number[][];
  y.flat().forEach((v, i) =>
    assert.ok(Math.abs(v - out.y.flat()[i]!) < 1e-5, `${v} vs ${out.y.flat()[i]}`),
  );
});

test('loadSafetensors reads conv weights PyTorch wrote: [out, in, kh, kw] and [out, in, k] become sinew kernels; predictions match torch', async () => {
  const dir = await tmp();
  const file = join(dir, 'conv.safetensors');
  const m = sn.sequential({
    layers: [
      sn.layers.conv2d({ name: 'c2', filters: 3, kernelSize: [2, 3], inputShape: [4, 5, 2] }),
      sn.layers.reshape({ name: 'r', targetShape: [9, 3] }),
      sn.layers.conv1d({ name: 'c1', filters: 2, kernelSize: 4, useBias: false }),
    ],
  });
  const x = sn.randomNormal([2, 4, 5, 2], { seed: 3 });
  // torch computes channels-first; the script moves the channels to the end as sinew's.
  const script = `import json, struct, sys, torch
import torch.nn.functional as F
g = torch.Generator().manual_seed(0)
t = {'c2.weight': torch.randn(3, 2, 2, 3, generator=g), 'c2.bias': torch.randn(3, generator=g),
     'c1.weight': torch.randn(2, 3, 4, generator=g)}
header, blobs, off = {}, [], 0
for k, v in t.items():
    b = v.numpy().astype('<f4').tobytes()
    header[k] = {'dtype': 'F32', 'shape': list(v.shape), 'data_offsets': [off, off + len(b)]}
    blobs.append(b); off += len(b)
h = json.dumps(header).encode()
with open(sys.argv[1], 'wb') as f:
    f.write(struct.pack('<Q', len(h))); f.write(h); [f.write(b) for b in blobs]
x = torch.tensor(json.loads(sys.argv[2])).permute(0, 3, 1, 2)
h1 = F.conv2d(x, t['c2.weight'], t['c2.bias']).permute(0, 2, 3, 1).reshape(2, 9, 3)
y = F.conv1d(h1.permute(0, 2, 1), t['c1.weight']).permute(0, 2, 1)
print(json.dumps({'y': y.reshape(-1).tolist()}))`;
  const out = lastJson<{ y: number[] }>(
    runPython(script, { args: [file, JSON.stringify(x.arraySync())] }),
  );
  await sn.io.loadSafetensors(m, file);
  const y = Array.from((m.predict(x) as sn.Tensor).dataSync());
  assert.equal(y.length, out.y.length);
  y.forEach((v, i) => assert.ok(Math.abs(v - out.y[i]!) < 1e-5, `${v} vs ${out.y[i]}`));
});

test('loadSafetensors takes back every permuted layout exportPyTorch wrote (transposed, depthwise, separable, 1-D conv kernels)', async () => {
  const dir = await tmp();
  const build = (seed: number) => {
    sn.setSeed(seed);
    return sn.sequential({
      layers: [
        sn.layers.conv2dTranspose({
          name: 't',
          filters: 3,
          kernelSize: [2, 3],
          inputShape: [3, 3, 2],
        }),
        sn.layers.depthwiseConv2d({
          name: 'dw',
          kernelSize: 2,
          depthMultiplier: 2,
          biasInitializer: 'randomNormal',
        }),
        sn.layers.separableConv2d({ name: 'sep', filters: 4, kernelSize: 2, depthMultiplier: 3 }),
        sn.layers.reshape({ name: 'r', targetShape: [-1, 4] }),
        sn.layers.conv1d({ name: 'c1', filters: 2, kernelSize: 2 }),
      ],
    });
  };
  const source = build(1);
  const target = build(2);
  const x = sn.randomNormal([2, 3, 3, 2], { seed: 4 });
  const want = Array.from((source.predict(x) as sn.Tensor).dataSync());
  assert.notDeepEqual(Array.from((target.predict(x) as sn.Tensor).dataSync()), want);
  await sn.io.exportPyTorch(source, join(dir, 'out'));
  await sn.io.loadSafetensors(target, join(dir, 'out', 'weights.safetensors'));
  source.weights.forEach((w, i) =>
    assert.deepEqual(target.weights[i]!.arraySync(), w.arraySync(), w.name),
  );
  assert.deepEqual(Array.from((target.predict(x) as sn.Tensor).dataSync()), want);
});

test('malformed safetensors files are SerializationErrors and assign nothing', async () => {
  const dir = await tmp();
  const m = model();
  const before = m.weights.map((w) => Array.from(w.dataSync()));
  const entries = torchWeights(torchPlan(m, 'test')).map((w) => ({
    name: w.name,
    tensor: sn.add(w.perm ? sn.transpose(w.variable, w.perm) : w.variable, 1),
  }));
  const good = encodeSafetensors(entries);
  const headerLength = Number(new DataView(good.buffer).getBigUint64(0, true));
  const header = JSON.parse(Buffer.from(good.subarray(8, 8 + headerLength)).toString()) as Record<
    string,
    unknown
  >;
  const withHeader = (h: Record<string, unknown>): Uint8Array => {
    const text = Buffer.from(JSON.stringify(h));
    const out = new Uint8Array(8 + text.length + good.length - 8 - headerLength);
    new DataView(out.buffer).setBigUint64(0, BigInt(text.length), true);
    out.set(text, 8);
    out.set(good.subarray(8 + headerLength), 8 + text.length);
    return out;
  };
  const claimsMore = new Uint8Array(good);
  new DataView(claimsMore.buffer).setBigUint64(0, BigInt(good.length), true);
  const cases: [string, Uint8Array, RegExp][] = [
    ['truncated header (5 bytes)', good.subarray(0, 5), /fewer than the 8/],
    [
      'header cut in the middle',
      good.subarray(0, 8 + Math.floor(headerLength / 2)),
      /claims \d+ bytes/,
    ],
    ['header length claims more than the file', claimsMore, /claims \d+ bytes/],
    ['data cut off', good.subarray(0, good.length - 4), /cut off/],
    [
      'names a weight the model lacks',
      encodeSafetensors([...entries, { name: 'extra.weight', tensor: sn.ones([2]) }]),
      /'extra\.weight', which the model lacks/,
    ],
    [
      'lacks a weight the model has',
      encodeSafetensors(entries.filter((e) => e.name !== 'dec.weight')),
      /needs 'dec\.weight', which the file lacks/,
    ],
    ['not JSON', withHeader({}).map((b, i) => (i === 8 ? 0x7b + 1 : b)), /not JSON/],
    [
      'unknown dtype',
      withHeader({ ...header, 'bn.bias': { ...(header['bn.bias'] as object), dtype: 'BF16' } }),
      /dtype "BF16"/,
    ],
  ];
  for (const [label, bytes, message] of cases) {
    const file = join(dir, `${label.replace(/\W+/g, '-')}.safetensors`);
    await writeFile(file, bytes);
    await assert.rejects(sn.io.loadSafetensors(m, file), (e: Error) => {
      assert.equal(e.name, 'SerializationError', label);
      assert.match(e.message, message, label);
      return true;
    });
    assert.deepEqual(
      m.weights.map((w) => Array.from(w.dataSync())),
      before,
      `${label}: nothing assigned`,
    );
  }
  // A wrong shape, checked before anything is assigned (enc.weight comes first in the file).
  const swapped = {
    ...header,
    'dec.weight': { ...(header['dec.weight'] as object), shape: [3, 2] },
  };
  const file = join(dir, 'shape.safetensors');
  await writeFile(file, withHeader(swapped));
  await assert.rejects(
    sn.io.loadSafetensors(m, file),
    /'dec\.weight' is \[3, 2\] float32 in the file/,
  );
  assert.deepEqual(
    m.weights.map((w) => Array.from(w.dataSync())),
    before,
  );
  // The intact file loads (the oracle: our weights + 1).
  const ok = join(dir, 'ok.safetensors');
  await writeFile(ok, good);
  await sn.io.loadSafetensors(m, ok);
  assert.deepEqual(
    m.weights.map((w) => Array.from(w.dataSync())),
    before.map((v) => v.map((x) => Math.fround(x + 1))),
  );
});
