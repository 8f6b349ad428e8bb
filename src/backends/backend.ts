import type { DType } from '../tensor/dtype.js';
import type { Shape } from '../tensor/shape.js';
import type { DataId, DataStore } from '../tensor/store.js';

/**
 * The narrow contract a compute backend fulfils: a DataStore (allocate, read, write, release)
 * plus the kernels below. A kernel takes its inputs as TensorInfo (a Tensor is one), writes a
 * new output into the backend's own memory and returns its handle. Shape rules, dtype rules
 * and error messages live in ops/, which calls these with inputs already validated and with
 * the output shape and dtype already worked out; kernels never throw on user input.
 *
 * The cpu backend (backends/cpu/) implements every kernel in plain TypeScript and is the
 * oracle for every faster backend. Adding a kernel here without implementing it there is a
 * compile error.
 */

export interface TensorInfo {
  readonly dataId: DataId;
  readonly shape: Shape;
  readonly dtype: DType;
}

/** Elementwise functions of one input. `param` is alpha for leakyRelu and elu. */
export type UnaryOp =
  | 'neg'
  | 'abs'
  | 'sign'
  | 'square'
  | 'sqrt'
  | 'rsqrt'
  | 'reciprocal'
  | 'exp'
  | 'expm1'
  | 'log'
  | 'log1p'
  | 'erf'
  | 'floor'
  | 'sigmoid'
  | 'logSigmoid'
  | 'tanh'
  | 'relu'
  | 'relu6'
  | 'leakyRelu'
  | 'elu'
  | 'selu'
  | 'gelu'
  | 'geluTanh'
  | 'softplus'
  | 'softsign'
  | 'swish'
  | 'logicalNot';

/** Elementwise functions of two inputs with NumPy broadcasting. Comparisons give bool. */
export type BinaryOp =
  | 'add'
  | 'sub'
  | 'mul'
  | 'div'
  | 'pow'
  | 'maximum'
  | 'minimum'
  | 'equal'
  | 'notEqual'
  | 'greater'
  | 'greaterEqual'
  | 'less'
  | 'lessEqual'
  | 'logicalAnd'
  | 'logicalOr';

export type ReduceOp = 'sum' | 'prod' | 'max' | 'min';

/**
 * Activations a fused dense kernel applies: those whose derivative is a function of their
 * output y (linear: 1; relu: y > 0; relu6: 0 < y < 6; sigmoid: y·(1 − y); tanh: 1 − y²), so
 * the backward pass needs neither the input nor the pre-activation. The one list of them:
 * ops/dense.ts validates against it, layers/dense.ts maps activation classes onto it, the
 * wasm backend gives each a code (FUSED_CODES in wasm/codes.ts, checked against the kernels of
 * assembly/dense.ts by wasm/codes.test.ts).
 */
export const FUSED_ACTIVATIONS = ['linear', 'relu', 'relu6', 'sigmoid', 'tanh'] as const;
export type FusedActivation = (typeof FUSED_ACTIVATIONS)[number];

/** The gradients denseGrad gives (dbias only when asked for). */
export interface DenseGradResult {
  readonly dz: DataId;
  readonly dbias?: DataId;
}

/** Scalars of one Adam step (each used as a float32, as a scalar operand of an op would be). */
export interface AdamHyper {
  /** The step size, lr·√(1 − β2^t) / (1 − β1^t). */
  readonly alpha: number;
  /** 1 − β1. */
  readonly c1: number;
  /** 1 − β2. */
  readonly c2: number;
  readonly epsilon: number;
}

/** New values from adamUpdate (vhat only when it was given). */
export interface AdamResult {
  readonly w: DataId;
  readonly m: DataId;
  readonly v: DataId;
  readonly vhat?: DataId;
}

/**
 * The geometry of a 2-D window op (convolution or pooling) on channels-last tensors, worked
 * out by ops/ (src/ops/conv-geometry.ts). x is [batch, inHeight, inWidth, inChannels]; the
 * output is [batch, outHeight, outWidth, outChannels]. Output position (oy, ox) looks at the
 * input rows oy·strideHeight − padTop + ky·dilationHeight for ky in [0, filterHeight), and the
 * columns likewise; positions outside the input are zeros for a convolution and skipped by a
 * pooling. For a depthwise convolution outChannels = inChannels · channelMultiplier; for a
 * pooling outChannels = inChannels. A convolution filter is [filterHeight, filterWidth,
 * inChannels, outChannels]; a depthwise filter is [filterHeight, filterWidth, inChannels,
 * channelMultiplier], output channel c·channelMultiplier + q reading input channel c.
 */
export interface Conv2DInfo {
  readonly batch: number;
  readonly inHeight: number;
  readonly inWidth: number;
  readonly inChannels: number;
  readonly outHeight: number;
  readonly outWidth: number;
  readonly outChannels: number;
  readonly filterHeight: number;
  readonly filterWidth: number;
  readonly strideHeight: number;
  readonly strideWidth: number;
  readonly dilationHeight: number;
  readonly dilationWidth: number;
  readonly padTop: number;
  readonly padLeft: number;
}

/** The two poolings: the largest value of a window, or the mean of its in-bounds values. */
export type PoolOp = 'max' | 'avg';

/** What a backend is and does (sn.backendInfo()): to check that SIMD kernels and threads are in use. */
export interface BackendInfo {
  /** 'wasm' or 'cpu' (in a browser, 'cpu' until `await sn.ready()` has loaded the kernels). */
  readonly name: string;
  /** The build of the wasm kernels running: 'relaxed-simd' or 'simd'. */
  readonly variant?: string;
  /** Threads that large products are split over, counting the calling one (1 on cpu). */
  readonly threads: number;
  /** The worker threads running now and the shares of work they have done (wasm). */
  readonly workers?: { readonly running: number; readonly jobs: number };
  /** The wasm arena: bytes of live tensors, bytes reserved, collections it asked for. */
  readonly memory?: {
    readonly bytesInUse: number;
    readonly bytesReserved: number;
    readonly collections: number;
  };
}

export interface Backend extends DataStore {
  /** What this backend is and does now (see BackendInfo). */
  info(): BackendInfo;

  /** Resolves once the backend is ready (its kernels loaded, its threads started); optional. */
  ready?(): Promise<void>;

  /** Frees what the backend owns (worker threads); its tensors stay readable. Optional. */
  close?(): void;

  /** out[i] = op(x[i]); the output has x's shape and dtype `outDType`. */
  unary(op: UnaryOp, x: TensorInfo, outDType: DType, param?: number): DataId;

  /** out = op(a, b) with a and b broadcast to `outShape` (any shape both broadcast to); a and b share a dtype. */
  binary(op: BinaryOp, a: TensorInfo, b: TensorInfo, outShape: Shape, outDType: DType): DataId;

  /** Picks a (where condition is non-zero) or b, broadcast to `outShape`. */
  where(condition: TensorInfo, a: TensorInfo, b: TensorInfo, outShape: Shape): DataId;

  /** Converts values to `dtype` (to int32 truncates toward zero; to bool is `!== 0`). */
  cast(x: TensorInfo, dtype: DType): DataId;

  /**
   * Reduces over `axes` (sorted, unique, non-empty). The output has x's shape without those
   * axes, in x's dtype. An empty reduction gives the identity (0, 1, -Infinity, +Infinity).
   */
  reduce(op: ReduceOp, x: TensorInfo, axes: readonly number[]): DataId;

  /** Index (int32) of the largest or smallest value along `axis`; the first one on ties. */
  argReduce(op: 'argMax' | 'argMin', x: TensorInfo, axis: number): DataId;

  /**
   * softmax (or, when `log`, logSoftmax) along `axis`, stable: each line is shifted by its
   * maximum before exp. Floats only; the output has x's shape and dtype. −Infinity entries
   * give 0 (−Infinity); a line holding NaN or +Infinity, or only −Infinity, gives NaN.
   */
  softmax(x: TensorInfo, axis: number, log: boolean): DataId;

  /**
   * The gates of one LSTM step, fused: z [batch, 4·units] (gate order i, f, c, o), c
   * [batch, units]; i = σ(z_i), f = σ(z_f), g = tanh(z_c), o = σ(z_o), c' = f·c + i·g,
   * h = o·tanh(c'). Returns c', h and the activated gates [batch, 4·units] (for the gradient).
   * Floats only, in z's dtype. Reference: src/backends/cpu/lstm.ts.
   */
  lstmGates(z: TensorInfo, c: TensorInfo): { gates: DataId; c: DataId; h: DataId };

  /** The gradient of lstmGates: dz [batch, 4·units] and dc [batch, units] from dh and dc'. */
  lstmGatesGrad(
    gates: TensorInfo,
    c: TensorInfo,
    cNext: TensorInfo,
    dh: TensorInfo,
    dcNext: TensorInfo,
  ): { dz: DataId; dc: DataId };

  /**
   * The gates of one GRU step (the resetAfter form), fused: x [batch, 3·units] the input
   * projection (gate order z, r, h), inner [batch, 3·units] the recurrent product plus its
   * bias, h [batch, units]; z = σ(x_z + inner_z), r = σ(x_r + inner_r),
   * ĥ = tanh(x_h + r·inner_h), h' = z·h + (1 − z)·ĥ. Returns h' and the activated gates
   * [batch, 3·units] (for the gradient). Floats only, in x's dtype. Reference:
   * src/backends/cpu/gru.ts.
   */
  gruGates(x: TensorInfo, inner: TensorInfo, h: TensorInfo): { gates: DataId; h: DataId };

  /** The gradient of gruGates: dx, dInner [batch, 3·units] and dh [batch, units] from dh'. */
  gruGatesGrad(
    gates: TensorInfo,
    inner: TensorInfo,
    h: TensorInfo,
    dhNext: TensorInfo,
  ): { dx: DataId; dInner: DataId; dh: DataId };

  /** The k largest values along the last axis, in descending order, and their int32 indices. */
  topK(x: TensorInfo, k: number): { values: DataId; indices: DataId };

  /**
   * Batched matrix product. a is [...batchA, m, k] ([..., k, m] when transposeA), b is
   * [...batchB, k, n] ([..., n, k] when transposeB); batch dimensions broadcast. The output
   * has shape `outShape` = [...batch, m, n].
   */
  matmul(
    a: TensorInfo,
    b: TensorInfo,
    transposeA: boolean,
    transposeB: boolean,
    outShape: Shape,
  ): DataId;

  /**
   * A dense layer's forward pass, fused: y = act(x·kernel + bias) for x [m, k], kernel [k, n]
   * and bias [n] (or undefined: no bias), one dtype; y is [m, n]. The product and the
   * additions round as matmul and add do, and act is the unary kernel of that name, so the
   * result equals those kernels run one after another.
   */
  dense(
    x: TensorInfo,
    kernel: TensorInfo,
    bias: TensorInfo | undefined,
    activation: FusedActivation,
  ): DataId;

  /**
   * The backward pass of dense's activation and bias, in one pass over y [m, n] and dy [m, n]:
   * dz = dy ⊙ act'(y) (act' written from the output, see FusedActivation) and, when
   * `withBias`, dbias [n] = the column sums of dz, summed over the rows in order. The
   * gradients of x and kernel are then products: dz·kernelᵀ and xᵀ·dz.
   */
  denseGrad(
    y: TensorInfo,
    dy: TensorInfo,
    activation: FusedActivation,
    withBias: boolean,
  ): DenseGradResult;

  /** out[j...] = x[perm applied]: output axis i is input axis perm[i]. */
  transpose(x: TensorInfo, perm: readonly number[]): DataId;

  /** The block of x starting at `begin` with extent `size` on every axis. */
  slice(x: TensorInfo, begin: readonly number[], size: readonly number[]): DataId;

  /** Pads every axis with paddings[i] = [before, after] copies of `value`. */
  pad(x: TensorInfo, paddings: readonly (readonly [number, number])[], value: number): DataId;

  /** Joins tensors of one dtype along `axis`; `outShape` is the joined shape. */
  concat(xs: readonly TensorInfo[], axis: number, outShape: Shape): DataId;

  /** Repeats x reps[i] times along axis i. */
  tile(x: TensorInfo, reps: readonly number[]): DataId;

  /**
   * Takes slices of x along `axis` at int32 `indices` (any shape, all in range): the output
   * shape is x.shape[:axis] + indices.shape + x.shape[axis+1:].
   */
  gather(x: TensorInfo, indices: TensorInfo, axis: number): DataId;

  /**
   * The reverse of gather, accumulating: out = copy of x; for every position p of indices,
   * out[..., indices[p], ...] += updates[..., p, ...] along `axis`. updates has the shape a
   * gather of x with these indices would have.
   */
  scatterAdd(x: TensorInfo, indices: TensorInfo, updates: TensorInfo, axis: number): DataId;

  /**
   * One Adam step (Keras form), fused, on float32 tensors of one shape (vhat: AMSGrad's
   * running maximum, or undefined):
   *   m' = m + (g − m)·c1,  v' = v + (g² − v)·c2,  vhat' = maximum(vhat, v') (replaces v' below),
   *   w' = w − (m'·alpha) / (√v' + epsilon),
   * every operation rounded to float32 in this order, so the result equals the separate
   * elementwise kernels' bit for bit. Returns new handles; the inputs are left unchanged.
   */
  adamUpdate(
    w: TensorInfo,
    g: TensorInfo,
    m: TensorInfo,
    v: TensorInfo,
    vhat: TensorInfo | undefined,
    hyper: AdamHyper,
  ): AdamResult;

  /** out[..., j] = j === indices[...] ? onValue : offValue, with a new last axis of `depth`. */
  oneHot(
    indices: TensorInfo,
    depth: number,
    onValue: number,
    offValue: number,
    dtype: DType,
  ): DataId;

  /** A 2-D convolution (cross-correlation, as every framework): x [b, h, w, cin] with filter [fh, fw, cin, cout]. */
  conv2d(x: TensorInfo, filter: TensorInfo, info: Conv2DInfo): DataId;

  /** The gradient of conv2d with respect to x, from dy [b, oh, ow, cout]: [b, h, w, cin]. */
  conv2dBackpropInput(dy: TensorInfo, filter: TensorInfo, info: Conv2DInfo): DataId;

  /** The gradient of conv2d with respect to the filter, from x and dy: [fh, fw, cin, cout]. */
  conv2dBackpropFilter(x: TensorInfo, dy: TensorInfo, info: Conv2DInfo): DataId;

  /** A depthwise 2-D convolution: each input channel with its own channelMultiplier filters. */
  depthwiseConv2d(x: TensorInfo, filter: TensorInfo, info: Conv2DInfo): DataId;

  /** The gradient of depthwiseConv2d with respect to x: [b, h, w, cin]. */
  depthwiseConv2dBackpropInput(dy: TensorInfo, filter: TensorInfo, info: Conv2DInfo): DataId;

  /** The gradient of depthwiseConv2d with respect to the filter: [fh, fw, cin, multiplier]. */
  depthwiseConv2dBackpropFilter(x: TensorInfo, dy: TensorInfo, info: Conv2DInfo): DataId;

  /**
   * Max or average pooling of x [b, h, w, c] over windows of filterHeight × filterWidth
   * (dilation applies). Padding positions are skipped: an average divides by the number of
   * in-bounds positions of its window (as TensorFlow), a maximum ignores them.
   */
  pool2d(op: PoolOp, x: TensorInfo, info: Conv2DInfo): DataId;

  /**
   * The gradient of pool2d with respect to x, from x and dy [b, oh, ow, c]: for 'max' each
   * dy goes to the first position (row-major within the window) holding the window's maximum;
   * for 'avg' each dy is shared equally among the window's in-bounds positions.
   */
  pool2dGrad(op: PoolOp, x: TensorInfo, dy: TensorInfo, info: Conv2DInfo): DataId;
}

/** The kernels of the contract: every method of Backend but the store's, info, ready and close. */
export type KernelName = Exclude<keyof Backend, keyof DataStore | 'info' | 'ready' | 'close'>;
