// sn.initializers: the initial values of weights (as Keras; names as TensorFlow.js).
import { ConfigError, describe } from '../errors.js';
import { Registry, type ConfigDict, type SerializedObject } from '../serialization.js';
import { Constant, Ones, Zeros, type ConstantOptions } from './constant.js';
import { Initializer } from './initializer.js';
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

export { Initializer };
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

/**
 * Every initializer class by className: Keras 3's names ('GlorotUniform',
 * 'OrthogonalInitializer', 'IdentityInitializer'), with TensorFlow.js's 'Orthogonal' and
 * 'Identity' as aliases.
 */
export const initializerRegistry = new Registry<Initializer>('initializer');
for (const cls of [
  Zeros,
  Ones,
  Constant,
  RandomNormal,
  RandomUniform,
  TruncatedNormal,
  VarianceScaling,
  GlorotUniform,
  GlorotNormal,
  HeUniform,
  HeNormal,
  LecunUniform,
  LecunNormal,
]) {
  initializerRegistry.register(cls);
}
initializerRegistry.register(Orthogonal, 'Orthogonal');
initializerRegistry.register(Identity, 'Identity');

/** Names in TensorFlow.js's and Keras's spellings, with default options. */
const BY_NAME: Record<string, () => Initializer> = {
  zeros,
  ones,
  constant: () => constant(),
  randomNormal: () => randomNormal(),
  random_normal: () => randomNormal(),
  randomUniform: () => randomUniform(),
  random_uniform: () => randomUniform(),
  truncatedNormal: () => truncatedNormal(),
  truncated_normal: () => truncatedNormal(),
  varianceScaling: () => varianceScaling(),
  variance_scaling: () => varianceScaling(),
  glorotUniform: () => glorotUniform(),
  glorot_uniform: () => glorotUniform(),
  glorotNormal: () => glorotNormal(),
  glorot_normal: () => glorotNormal(),
  heUniform: () => heUniform(),
  he_uniform: () => heUniform(),
  heNormal: () => heNormal(),
  he_normal: () => heNormal(),
  lecunUniform: () => lecunUniform(),
  lecun_uniform: () => lecunUniform(),
  lecunNormal: () => lecunNormal(),
  lecun_normal: () => lecunNormal(),
  orthogonal: () => orthogonal(),
  identity: () => identity(),
};

export const initializerNames: readonly string[] = Object.keys(BY_NAME);

/** Anything `getInitializer` accepts. */
export type InitializerIdentifier =
  | Initializer
  | string
  | SerializedObject
  | { class_name: string; config?: ConfigDict; [key: string]: unknown };

/**
 * Resolves a layer's initializer option: an Initializer → itself; a name ('glorotUniform' or
 * 'glorot_uniform', 'heNormal' / 'he_normal', ..., or a class name 'GlorotUniform') → a default
 * (unseeded) instance; a config `{ className | class_name, config }` → a new instance.
 */
export function getInitializer(id: undefined | null): undefined;
export function getInitializer(id: InitializerIdentifier): Initializer;
export function getInitializer(
  id: InitializerIdentifier | undefined | null,
): Initializer | undefined;
export function getInitializer(
  id: InitializerIdentifier | undefined | null,
): Initializer | undefined {
  if (id === undefined || id === null) return undefined;
  if (id instanceof Initializer) return id;
  if (typeof id === 'string') {
    if (Object.hasOwn(BY_NAME, id)) return BY_NAME[id]!();
    if (initializerRegistry.has(id)) {
      return initializerRegistry.deserialize({ className: id, config: {} });
    }
    throw new ConfigError(
      `Unknown initializer ${describe(id)}; the accepted names are ${initializerNames.join(', ')} ` +
        `(or a class name: ${initializerRegistry.names().join(', ')}).`,
    );
  }
  if (typeof id === 'object') {
    const obj = id as { className?: unknown; class_name?: unknown; config?: unknown };
    const className = obj.className ?? obj.class_name;
    const config = obj.config ?? {};
    if (typeof className === 'string' && typeof config === 'object' && config !== null) {
      return initializerRegistry.deserialize({ className, config: config as ConfigDict });
    }
  }
  throw new ConfigError(
    `getInitializer: expected an initializer, a name such as 'glorotUniform' or a config ` +
      `{ className, config }, received ${describe(id)}.`,
  );
}
