// sn.initializers: the initial values of weights (as Keras; names as TensorFlow.js): the
// factories users call, and the family's exports. The registry and getInitializer live in get.ts.
import { Constant, Ones, Zeros, type ConstantOptions } from './constant.js';
import { Identity, Orthogonal, type IdentityOptions, type OrthogonalOptions } from './matrix.js';
import {
  RandomNormal,
  RandomUniform,
  TruncatedNormal,
  type RandomNormalOptions,
  type RandomUniformOptions,
} from './random.js';
import {
  GlorotNormal,
  GlorotUniform,
  HeNormal,
  HeUniform,
  LecunNormal,
  LecunUniform,
  VarianceScaling,
  type SeedOptions,
  type VarianceScalingOptions,
} from './variance-scaling.js';

export { Initializer } from './initializer.js';
export {
  getInitializer,
  initializerNames,
  initializerRegistry,
  type InitializerIdentifier,
} from './get.js';
export { Constant, Ones, Zeros, type ConstantOptions };
export {
  RandomNormal,
  RandomUniform,
  TruncatedNormal,
  type RandomNormalOptions,
  type RandomUniformOptions,
};
export {
  GlorotNormal,
  GlorotUniform,
  HeNormal,
  HeUniform,
  LecunNormal,
  LecunUniform,
  VarianceScaling,
  type SeedOptions,
  type VarianceScalingOptions,
};
export { computeFans, type Distribution, type FanMode } from './variance-scaling.js';
export { Identity, Orthogonal, type IdentityOptions, type OrthogonalOptions };

export const zeros = (): Zeros => new Zeros();
export const ones = (): Ones => new Ones();
export const constant = (args: ConstantOptions = {}): Constant => new Constant(args);
export const randomNormal = (args: RandomNormalOptions = {}): RandomNormal =>
  new RandomNormal(args);
export const randomUniform = (args: RandomUniformOptions = {}): RandomUniform =>
  new RandomUniform(args);
export const truncatedNormal = (args: RandomNormalOptions = {}): TruncatedNormal =>
  new TruncatedNormal(args);
export const varianceScaling = (args: VarianceScalingOptions = {}): VarianceScaling =>
  new VarianceScaling(args);
export const glorotUniform = (args: SeedOptions = {}): GlorotUniform => new GlorotUniform(args);
export const glorotNormal = (args: SeedOptions = {}): GlorotNormal => new GlorotNormal(args);
export const heUniform = (args: SeedOptions = {}): HeUniform => new HeUniform(args);
export const heNormal = (args: SeedOptions = {}): HeNormal => new HeNormal(args);
export const lecunUniform = (args: SeedOptions = {}): LecunUniform => new LecunUniform(args);
export const lecunNormal = (args: SeedOptions = {}): LecunNormal => new LecunNormal(args);
export const orthogonal = (args: OrthogonalOptions = {}): Orthogonal => new Orthogonal(args);
export const identity = (args: IdentityOptions = {}): Identity => new Identity(args);
