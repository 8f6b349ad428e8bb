import { Registry, type KerasSerializedObject, type SerializedObject } from '../serialization.js';
import { Constant, Ones, Zeros } from './constant.js';
import { Initializer } from './initializer.js';
import { Identity, Orthogonal } from './matrix.js';
import { RandomNormal, RandomUniform, TruncatedNormal } from './random.js';
import {
  GlorotNormal,
  GlorotUniform,
  HeNormal,
  HeUniform,
  LecunNormal,
  LecunUniform,
  VarianceScaling,
} from './variance-scaling.js';

/**
 * Every initializer class by className: Keras 3's names ('GlorotUniform',
 * 'OrthogonalInitializer', 'IdentityInitializer'), with TensorFlow.js's 'Orthogonal' and
 * 'Identity' as aliases.
 */
export const initializerRegistry = new Registry<Initializer>('initializer', Initializer);
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
  zeros: () => new Zeros(),
  ones: () => new Ones(),
  constant: () => new Constant(),
  randomNormal: () => new RandomNormal(),
  random_normal: () => new RandomNormal(),
  randomUniform: () => new RandomUniform(),
  random_uniform: () => new RandomUniform(),
  truncatedNormal: () => new TruncatedNormal(),
  truncated_normal: () => new TruncatedNormal(),
  varianceScaling: () => new VarianceScaling(),
  variance_scaling: () => new VarianceScaling(),
  glorotUniform: () => new GlorotUniform(),
  glorot_uniform: () => new GlorotUniform(),
  glorotNormal: () => new GlorotNormal(),
  glorot_normal: () => new GlorotNormal(),
  heUniform: () => new HeUniform(),
  he_uniform: () => new HeUniform(),
  heNormal: () => new HeNormal(),
  he_normal: () => new HeNormal(),
  lecunUniform: () => new LecunUniform(),
  lecun_uniform: () => new LecunUniform(),
  lecunNormal: () => new LecunNormal(),
  lecun_normal: () => new LecunNormal(),
  orthogonal: () => new Orthogonal(),
  identity: () => new Identity(),
};

export const initializerNames: readonly string[] = Object.keys(BY_NAME);

/** Anything `getInitializer` accepts. */
export type InitializerIdentifier = Initializer | string | SerializedObject | KerasSerializedObject;

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
  return initializerRegistry.resolve(id, {
    owner: 'getInitializer',
    byName: BY_NAME,
    classNames: true,
    fix: 'For other options use a factory, e.g. sn.initializers.glorotUniform({ seed: 42 }).',
  });
}
