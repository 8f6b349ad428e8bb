import { Tensor } from '../tensor/tensor.js';
import * as binary from './binary.js';
import { cast } from './cast.js';
import * as indexing from './indexing.js';
import { matmul } from './matmul.js';
import * as reductions from './reductions.js';
import * as shape from './shape.js';
import * as softmaxes from './softmax.js';
import * as unary from './unary.js';

/**
 * Ops as methods: `a.add(b)` is `sn.add(a, b)`. Each method's type is derived from its op's
 * signature, so the two forms cannot drift apart.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Method<F> = F extends (x: any, ...rest: infer R) => infer O ? (...rest: R) => O : never;

const METHODS = {
  add: binary.add,
  sub: binary.sub,
  mul: binary.mul,
  div: binary.div,
  pow: binary.pow,
  maximum: binary.maximum,
  minimum: binary.minimum,
  equal: binary.equal,
  notEqual: binary.notEqual,
  greater: binary.greater,
  greaterEqual: binary.greaterEqual,
  less: binary.less,
  lessEqual: binary.lessEqual,
  logicalAnd: binary.logicalAnd,
  logicalOr: binary.logicalOr,
  logicalNot: unary.logicalNot,
  neg: unary.neg,
  abs: unary.abs,
  sign: unary.sign,
  square: unary.square,
  sqrt: unary.sqrt,
  rsqrt: unary.rsqrt,
  reciprocal: unary.reciprocal,
  exp: unary.exp,
  expm1: unary.expm1,
  log: unary.log,
  log1p: unary.log1p,
  erf: unary.erf,
  floor: unary.floor,
  clip: unary.clip,
  sigmoid: unary.sigmoid,
  logSigmoid: unary.logSigmoid,
  tanh: unary.tanh,
  relu: unary.relu,
  relu6: unary.relu6,
  leakyRelu: unary.leakyRelu,
  elu: unary.elu,
  selu: unary.selu,
  gelu: unary.gelu,
  softplus: unary.softplus,
  softsign: unary.softsign,
  swish: unary.swish,
  softmax: softmaxes.softmax,
  logSoftmax: softmaxes.logSoftmax,
  sum: reductions.sum,
  mean: reductions.mean,
  max: reductions.max,
  min: reductions.min,
  prod: reductions.prod,
  variance: reductions.variance,
  std: reductions.std,
  logSumExp: reductions.logSumExp,
  norm: reductions.norm,
  argMax: reductions.argMax,
  argMin: reductions.argMin,
  topK: reductions.topK,
  matmul,
  cast,
  reshape: shape.reshape,
  expandDims: shape.expandDims,
  squeeze: shape.squeeze,
  broadcastTo: shape.broadcastTo,
  transpose: shape.transpose,
  split: shape.split,
  slice: shape.slice,
  pad: shape.pad,
  tile: shape.tile,
  gather: indexing.gather,
  scatterAdd: indexing.scatterAdd,
  oneHot: indexing.oneHot,
} as const;

type Methods = { [K in keyof typeof METHODS]: Method<(typeof METHODS)[K]> };

declare module '../tensor/tensor.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Tensor extends Methods {}
}

for (const [name, op] of Object.entries(METHODS)) {
  Object.defineProperty(Tensor.prototype, name, {
    value: function (this: Tensor, ...args: unknown[]) {
      return (op as (...a: unknown[]) => unknown)(this, ...args);
    },
    writable: true,
    configurable: true,
  });
}
