import { ConfigError, describe } from '../errors.js';
import { Registry, isSerializedObject, type SerializedObject } from '../serialization.js';
import { Adagrad } from './adagrad.js';
import { Adam, AdamW } from './adam.js';
import { Adamax } from './adamax.js';
import { Optimizer } from './base.js';
import { Nadam } from './nadam.js';
import { RMSprop } from './rmsprop.js';
import { SGD } from './sgd.js';

/** The optimizer classes by className (Keras's: 'SGD', 'Adam', 'AdamW', 'RMSprop', ...). */
export const optimizerRegistry = new Registry<Optimizer>('optimizer');
for (const cls of [SGD, Adam, AdamW, RMSprop, Adagrad, Adamax, Nadam])
  optimizerRegistry.register(cls);

/** The names getOptimizer accepts (any letter case), each with its defaults. */
const BY_NAME: Record<string, () => Optimizer> = {
  sgd: () => new SGD(),
  adam: () => new Adam(),
  adamw: () => new AdamW(),
  rmsprop: () => new RMSprop(),
  adagrad: () => new Adagrad(),
  adamax: () => new Adamax(),
  nadam: () => new Nadam(),
};

/**
 * An optimizer from a name ('adam', 'SGD', ... in any letter case: a new instance with the
 * defaults), a serialized `{ className, config }`, or an instance (returned as is).
 */
export function getOptimizer(id: string | Optimizer | SerializedObject): Optimizer {
  if (id instanceof Optimizer) return id;
  if (typeof id === 'string') {
    const name = id.toLowerCase();
    if (Object.hasOwn(BY_NAME, name)) return BY_NAME[name]!();
  } else if (isSerializedObject(id)) {
    return optimizerRegistry.deserialize(id);
  }
  throw new ConfigError(
    `Unknown optimizer ${describe(id)}; use one of ${Object.keys(BY_NAME)
      .map((n) => `'${n}'`)
      .join(', ')} (any letter case), an optimizer object such as ` +
      'sn.optimizers.adam({ learningRate: 0.001 }), or a { className, config }.',
  );
}
