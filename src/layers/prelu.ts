import { ConfigError, ShapeError, describe } from '../errors.js';
import type { Constraint } from '../constraints/constraint.js';
import {
  constraintRegistry,
  getConstraint,
  type ConstraintIdentifier,
} from '../constraints/index.js';
import {
  getInitializer,
  initializerRegistry,
  type InitializerIdentifier,
} from '../initializers/index.js';
import type { Initializer } from '../initializers/initializer.js';
import { mul, neg, relu, sub } from '../ops/index.js';
import type { Regularizer } from '../regularizers/regularizer.js';
import { regularizerRegistry, type RegularizerIdentifier } from '../regularizers/index.js';
import { type ConfigDict } from '../serialization.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import {
  LAYER_OPTION_KEY_SET,
  Layer,
  type LayerInput,
  type LayerOptions,
  type LayerVariable,
} from './layer.js';
import { formatSymbolicShape, type SymbolicShape } from './symbolic.js';
import { activeTap } from './taps.js';
import { optionKeys } from '../validation.js';

export interface PReLUOptions extends LayerOptions {
  /** Initial slopes (default 'zeros': the layer starts as a relu). */
  alphaInitializer?: InitializerIdentifier;
  /** A penalty on the slopes, reported as '<layer>/alpha'. */
  alphaRegularizer?: RegularizerIdentifier;
  alphaConstraint?: ConstraintIdentifier;
  /**
   * Axes (1-based, counting the batch as 0, as Keras) along which one slope is shared: for
   * [batch, rows, cols, channels] feature maps, sharedAxes [1, 2] learns one slope per channel.
   */
  sharedAxes?: number | readonly number[];
}
export const PRELU_OPTION_KEYS = optionKeys<PReLUOptions>()({
  ...LAYER_OPTION_KEY_SET,
  alphaInitializer: true,
  alphaRegularizer: true,
  alphaConstraint: true,
  sharedAxes: true,
});

/**
 * Parametric rectified linear unit (He et al., 2015), as Keras's PReLU: a leaky relu whose
 * negative slopes are learned.
 *
 *   output = relu(x) − alpha · relu(−x)      (x for x >= 0, alpha·x for x < 0)
 *
 * Input any shape of rank >= 2 → output the same shape. Weight: alpha, of the input shape
 * without the batch dimension, with a size 1 along each of `sharedAxes`.
 *
 *   sn.layers.prelu({ sharedAxes: [1, 2], alphaRegularizer: sn.regularizers.l2(1e-4) })
 */
export class PReLU extends Layer {
  static override readonly className: string = 'PReLU';
  static override readonly optionKeys: readonly string[] = PRELU_OPTION_KEYS;

  readonly alphaInitializer: Initializer;
  alphaConstraint: Constraint | undefined;
  readonly sharedAxes: readonly number[] | undefined;
  alpha: LayerVariable | undefined;
  #rank = 0;

  constructor(options: PReLUOptions = {}) {
    super(options);
    const shared: unknown = options.sharedAxes;
    const list = typeof shared === 'number' ? [shared] : shared;
    if (
      list !== undefined &&
      !(Array.isArray(list) && list.every((a) => Number.isInteger(a) && a >= 1))
    ) {
      throw new ConfigError(
        `${this.describeSelf()}: sharedAxes must be an axis or an array of axes counted from 1 ` +
          `(0 is the batch), received ${describe(shared)}; e.g. sharedAxes: [1, 2] for one slope per channel.`,
      );
    }
    this.sharedAxes = list === undefined ? undefined : Object.freeze((list as number[]).slice());
    this.alphaInitializer = getInitializer(options.alphaInitializer ?? 'zeros');
    this.alphaRegularizer = options.alphaRegularizer;
    this.alphaConstraint = getConstraint(options.alphaConstraint);
  }

  /** Settable at any time, also after build (docs/semantics.md rule 10). */
  get alphaRegularizer(): Regularizer | undefined {
    return this.weightRegularizer('alpha');
  }
  set alphaRegularizer(id: RegularizerIdentifier | undefined) {
    this.setWeightRegularizer('alpha', id);
  }

  override build(inputShape: SymbolicShape): void {
    const rank = inputShape.length;
    const shared = this.sharedAxes ?? [];
    const bad = shared.find((a) => a >= rank);
    if (rank < 2 || bad !== undefined) {
      throw new ConfigError(
        `${this.describeSelf()}: ${rank < 2 ? 'needs an input of rank >= 2' : `sharedAxes has axis ${bad}, beyond`} ` +
          `input shape ${formatSymbolicShape(inputShape)}; sharedAxes counts from 1 (the first axis after the batch).`,
      );
    }
    const shape = inputShape.slice(1).map((d, i) => (shared.includes(i + 1) ? 1 : d));
    if (shape.some((d) => d === null)) {
      throw new ConfigError(
        `${this.describeSelf()} needs known sizes along every axis not in sharedAxes, received shape ` +
          `${formatSymbolicShape(inputShape)}; share the unknown axes (sharedAxes) or give the input a fixed shape.`,
      );
    }
    this.#rank = rank;
    const axes: Record<number, number> = {};
    shape.forEach((d, i) => {
      if (!shared.includes(i + 1)) axes[i + 1] = d!;
    });
    this.inputSpec = { minRank: rank, axes };
    this.alpha = this.addWeight({
      name: 'alpha',
      shape: shape as number[],
      initializer: this.alphaInitializer,
      regularizer: this.alphaRegularizer,
      constraint: this.alphaConstraint,
    });
  }

  call(inputs: LayerInput): Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as Tensor;
    if (x.rank !== this.#rank) {
      throw new ShapeError(
        `${this.describeSelf()} was built for inputs of rank ${this.#rank}, received shape ${formatShape(x.shape)}; ` +
          'use a separate layer for inputs of another rank.',
      );
    }
    activeTap()?.onPreActivation?.(this, x);
    return sub(relu(x), mul(this.alpha!, relu(neg(x))));
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      alphaInitializer: initializerRegistry.toJson(this.alphaInitializer),
      alphaRegularizer: regularizerRegistry.toJson(this.alphaRegularizer),
      alphaConstraint: constraintRegistry.toJson(this.alphaConstraint),
      sharedAxes: this.sharedAxes ? this.sharedAxes.slice() : null,
    };
  }
}
