import { Registry, type KerasSerializedObject, type SerializedObject } from '../serialization.js';
import { Adagrad } from './adagrad.js';
import { Adam, AdamW } from './adam.js';
import { Adamax } from './adamax.js';
import { Nadam } from './nadam.js';
import { Optimizer } from './optimizer.js';
import { RMSprop } from './rmsprop.js';
import { SGD } from './sgd.js';

/** The optimizer classes by className (Keras's: 'SGD', 'Adam', 'AdamW', 'RMSprop', ...). */
export const optimizerRegistry = new Registry<Optimizer>('optimizer', Optimizer);
for (const cls of [SGD, Adam, AdamW, RMSprop, Adagrad, Adamax, Nadam]) {
  optimizerRegistry.register(cls);
}

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

/** Anything `getOptimizer` accepts. */
export type OptimizerIdentifier = string | Optimizer | SerializedObject | KerasSerializedObject;

/**
 * An optimizer from a name ('adam', 'SGD', ... in any letter case: a new instance with the
 * defaults), a serialized `{ className | class_name, config }`, or an instance (returned as is).
 */
export function getOptimizer(id: OptimizerIdentifier): Optimizer {
  return optimizerRegistry.resolve(id, {
    owner: 'getOptimizer',
    byName: BY_NAME,
    normalizeName: (name) => name.toLowerCase(),
    required: true,
    fix:
      'Names are accepted in any letter case; or pass an optimizer object such as ' +
      'sn.optimizers.adam({ learningRate: 0.001 }), or a { className, config }.',
  });
}
