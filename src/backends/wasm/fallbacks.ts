import type { DataArray, DType } from '../../tensor/dtype.js';
import type { DataId, DataStore } from '../../tensor/store.js';
import type { Backend, KernelName, TensorInfo } from '../backend.js';
import type { CpuBackend } from '../cpu/index.js';
import { wrap } from '../cpu/storage.js';
import { BINARY_CODES, UNARY_CODES } from './codes.js';
import type { KernelHost } from './host.js';
import { reduceLayout } from './layout.js';
import { WasmData } from './storage.js';

/**
 * Where the wasm backend hands a kernel to the cpu backend, and why: the one list of them.
 * The cpu reference kernel then runs on views of the arena and its result is copied in
 * (correct, slower). A kernel not listed here always runs in wasm (adamUpdate, tile).
 */

export type KernelArgs<K extends KernelName> = Parameters<Backend[K]>;
export type KernelResult<K extends KernelName> = ReturnType<Backend[K]>;

export interface Fallback<K extends KernelName> {
  /** Which calls run on cpu (their dtypes, ops or shapes), in words. */
  readonly why: string;
  /** Whether this call runs on cpu. */
  readonly when: (...args: KernelArgs<K>) => boolean;
}

/** Whether any of `xs` (absent ones aside) is not float32: the dtype of every wasm kernel. */
const notFloat32 = (...xs: readonly (TensorInfo | undefined)[]): boolean =>
  xs.some((x) => x !== undefined && x.dtype !== 'float32');
const always = (): boolean => true;
const NO_KERNEL = 'always: no wasm kernel yet';
const FLOAT32 = 'float64, int32 and bool (the wasm kernels are float32)';
/** A window op (convolution, pooling) on its tensor inputs. */
const windowOp = {
  why: FLOAT32,
  when: (a: TensorInfo, b: TensorInfo) => notFloat32(a, b),
};

export const FALLBACKS: { readonly [K in KernelName]?: Fallback<K> } = {
  // Native in wasm for float32, on cpu otherwise or where noted.
  unary: {
    why: `${FLOAT32}; the ops without a code in UNARY_CODES (today erf, gelu, geluTanh, logicalNot)`,
    when: (op, x, outDType) =>
      UNARY_CODES[op] === undefined || notFloat32(x) || outDType !== 'float32',
  },
  binary: {
    why: `${FLOAT32}; the ops without a code in BINARY_CODES (today pow, comparisons, logical ops)`,
    when: (op, a, b, _, outDType) =>
      BINARY_CODES[op] === undefined || notFloat32(a, b) || outDType !== 'float32',
  },
  reduce: {
    why: `${FLOAT32}; axes that do not collapse to [outer, n, inner] (./layout.ts)`,
    when: (_, x, axes) => notFloat32(x) || reduceLayout(x.shape, axes) === undefined,
  },
  softmax: { why: FLOAT32, when: (x) => notFloat32(x) },
  lstmGates: { why: FLOAT32, when: (...xs) => notFloat32(...xs) },
  lstmGatesGrad: { why: FLOAT32, when: (...xs) => notFloat32(...xs) },
  gruGates: { why: FLOAT32, when: (...xs) => notFloat32(...xs) },
  gruGatesGrad: { why: FLOAT32, when: (...xs) => notFloat32(...xs) },
  matmul: { why: FLOAT32, when: (a, b) => notFloat32(a, b) },
  dense: { why: FLOAT32, when: (x, kernel, bias) => notFloat32(x, kernel, bias) },
  denseGrad: { why: FLOAT32, when: (y, dy) => notFloat32(y, dy) },
  conv2d: windowOp,
  conv2dBackpropInput: windowOp,
  conv2dBackpropFilter: windowOp,
  depthwiseConv2d: windowOp,
  depthwiseConv2dBackpropInput: windowOp,
  depthwiseConv2dBackpropFilter: windowOp,
  pool2d: { why: FLOAT32, when: (_, x) => notFloat32(x) },
  pool2dGrad: { why: FLOAT32, when: (_, x, dy) => notFloat32(x, dy) },
  // Block copies in JavaScript for float32 and int32 (./copy.ts), on cpu otherwise.
  slice: { why: 'float64 and bool', when: (x) => !copies(x.dtype) },
  concat: {
    why: 'float64 and bool, and mixed dtypes',
    when: (xs) => !copies(xs[0]?.dtype) || xs.some((x) => x.dtype !== xs[0]!.dtype),
  },
  // Always on cpu.
  where: { why: NO_KERNEL, when: always },
  cast: { why: NO_KERNEL, when: always },
  argReduce: { why: NO_KERNEL, when: always },
  topK: { why: NO_KERNEL, when: always },
  transpose: { why: NO_KERNEL, when: always },
  pad: { why: NO_KERNEL, when: always },
  gather: { why: NO_KERNEL, when: always },
  scatterAdd: { why: NO_KERNEL, when: always },
  oneHot: { why: NO_KERNEL, when: always },
};

function copies(dtype: DType | undefined): boolean {
  return dtype === 'float32' || dtype === 'int32';
}

const DTYPE_OF = new Map<unknown, DType>([
  [Float32Array, 'float32'],
  [Float64Array, 'float64'],
  [Int32Array, 'int32'],
  [Uint8Array, 'bool'],
]);

/**
 * Runs kernel `name` on the cpu backend: every tensor argument (alone or in a list) is handed
 * over as a view of its values (valid while no allocation happens), then every output the cpu
 * kernel gives (a handle, or a record of handles) is copied into the arena.
 */
export function onCpu<K extends KernelName>(
  host: KernelHost,
  cpu: CpuBackend,
  name: K,
  args: KernelArgs<K>,
): KernelResult<K> {
  const views = args.map((a) =>
    Array.isArray(a) ? a.map((x: TensorInfo) => toCpu(host, x)) : isTensor(a) ? toCpu(host, a) : a,
  );
  const kernel = cpu[name] as (...a: unknown[]) => DataId;
  const result = kernel.apply(cpu, views);
  if (isCpuHandle(result)) return fromCpu(host, cpu, result) as KernelResult<K>;
  // A record of outputs (an optional one, as denseGrad's dbias, may be absent).
  const outputs = Object.entries(result as Record<string, DataId | undefined>)
    .filter((entry): entry is [string, DataId] => entry[1] !== undefined)
    .map(([key, id]) => [key, fromCpu(host, cpu, id)]);
  return Object.fromEntries(outputs) as KernelResult<K>;
}

function isTensor(a: unknown): a is TensorInfo {
  return typeof a === 'object' && a !== null && 'dataId' in a && 'shape' in a;
}

/** A cpu handle holds a typed array as `values` (a record of outputs may hold a handle there). */
function isCpuHandle(x: unknown): x is DataId {
  return ArrayBuffer.isView((x as { values?: unknown }).values);
}

/** x as the cpu backend sees it: a view of its values, not a copy. */
function toCpu(host: KernelHost, x: TensorInfo): TensorInfo {
  if (x.dataId instanceof WasmData && x.dataId.table !== host.handles) {
    return { dataId: wrap(x.dataId.values), shape: x.shape, dtype: x.dtype };
  }
  if (!(x.dataId instanceof WasmData)) {
    const store = (x as { store?: DataStore }).store;
    if (!store || store.name === 'cpu') return x;
    return { dataId: wrap(store.readSync(x.dataId)), shape: x.shape, dtype: x.dtype };
  }
  return { dataId: wrap(host.view(host.own(x.dataId))), shape: x.shape, dtype: x.dtype };
}

/** A cpu result copied into the arena. */
function fromCpu(host: KernelHost, cpu: CpuBackend, dataId: DataId): DataId {
  const values: DataArray = cpu.readSync(dataId);
  return host.write(values, DTYPE_OF.get(values.constructor)!);
}
