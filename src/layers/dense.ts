import { ConfigError, describe } from '../errors.js';
import {
  Linear,
  Relu,
  Relu6,
  Sigmoid,
  Tanh,
  activationName,
  getActivation,
  type Activation,
  type ActivationIdentifier,
} from '../activations/index.js';
import { FUSED_ACTIVATIONS, type FusedActivation } from '../backends/backend.js';
import type { Constraint } from '../constraints/constraint.js';
import {
  constraintRegistry,
  getConstraint,
  type ConstraintIdentifier,
} from '../constraints/index.js';
import {
  initializerRegistry,
  getInitializer,
  type InitializerIdentifier,
} from '../initializers/index.js';
import type { Initializer } from '../initializers/initializer.js';
import { fusedDense } from '../ops/dense.js';
import { add, matmul, reshape } from '../ops/index.js';
import type { Regularizer } from '../regularizers/regularizer.js';
import { regularizerRegistry, type RegularizerIdentifier } from '../regularizers/index.js';
import { type ConfigDict } from '../serialization.js';
import type { Tensor } from '../tensor/tensor.js';
import {
  Layer,
  type LayerInput,
  type LayerOptions,
  type LayerVariable,
  LAYER_OPTION_KEY_SET,
} from './layer.js';
import { optionKeys } from '../validation.js';
import type { SymbolicShape } from './symbolic.js';
import { activeTap } from './taps.js';

/**
 * The built-in activations the fused op applies, by class: an instance of exactly that class
 * (a subclass may change apply(), so it takes the unfused path, as any other activation).
 * Keyed by FusedActivation, so an activation added to FUSED_ACTIVATIONS needs its class here.
 */
const FUSED_CLASSES: Record<FusedActivation, unknown> = {
  linear: Linear,
  relu: Relu,
  relu6: Relu6,
  sigmoid: Sigmoid,
  tanh: Tanh,
};
const FUSABLE = new Map(FUSED_ACTIVATIONS.map((name) => [FUSED_CLASSES[name], name]));

export interface DenseOptions extends LayerOptions {
  /** Number of output units. */
  units: number;
  /** Activation by Keras name or object (default linear). */
  activation?: ActivationIdentifier;
  useBias?: boolean;
  kernelInitializer?: InitializerIdentifier;
  biasInitializer?: InitializerIdentifier;
  /** A penalty on the kernel (the weights). */
  kernelRegularizer?: RegularizerIdentifier;
  biasRegularizer?: RegularizerIdentifier;
  kernelConstraint?: ConstraintIdentifier;
  biasConstraint?: ConstraintIdentifier;
}
export const DENSE_OPTION_KEYS = optionKeys<DenseOptions>()({
  ...LAYER_OPTION_KEY_SET,
  units: true,
  activation: true,
  useBias: true,
  kernelInitializer: true,
  biasInitializer: true,
  kernelRegularizer: true,
  biasRegularizer: true,
  kernelConstraint: true,
  biasConstraint: true,
});

/**
 * A fully connected layer: `output = activation(input · kernel + bias)`.
 *
 * Input [batch, ..., inputDim] → output [batch, ..., units] (the kernel applies to the last
 * axis). Weights: kernel [inputDim, units], bias [units].
 *
 *   sn.layers.dense({ units: 256, activation: 'sigmoid', activityRegularizer: sn.regularizers.l1(1e-5) })
 */
export class Dense extends Layer {
  static override readonly className: string = 'Dense';
  static override readonly optionKeys: readonly string[] = DENSE_OPTION_KEYS;

  readonly units: number;
  readonly activation: Activation;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  kernelConstraint: Constraint | undefined;
  biasConstraint: Constraint | undefined;
  kernel: LayerVariable | undefined;
  bias: LayerVariable | undefined;

  constructor(options: DenseOptions) {
    super(options);
    if (!Number.isInteger(options?.units) || options.units < 1) {
      throw new ConfigError(
        `Dense '${this.name}': units must be a positive integer, received ${describe(options?.units)}.`,
      );
    }
    this.units = options.units;
    this.activation = getActivation(options.activation);
    this.useBias = options.useBias ?? true;
    this.kernelInitializer = getInitializer(options.kernelInitializer ?? 'glorotUniform');
    this.biasInitializer = getInitializer(options.biasInitializer ?? 'zeros');
    this.kernelRegularizer = options.kernelRegularizer;
    this.biasRegularizer = options.biasRegularizer;
    this.kernelConstraint = getConstraint(options.kernelConstraint);
    this.biasConstraint = getConstraint(options.biasConstraint);
  }

  /** Settable at any time, also after build: the new penalty applies from the next step. */
  get kernelRegularizer(): Regularizer | undefined {
    return this.weightRegularizer('kernel');
  }
  set kernelRegularizer(id: RegularizerIdentifier | undefined) {
    this.setWeightRegularizer('kernel', id);
  }

  get biasRegularizer(): Regularizer | undefined {
    return this.weightRegularizer('bias');
  }
  set biasRegularizer(id: RegularizerIdentifier | undefined) {
    this.setWeightRegularizer('bias', id);
  }

  override build(inputShape: SymbolicShape): void {
    const inputDim = inputShape[inputShape.length - 1];
    if (inputDim === null || inputDim === undefined) {
      throw new ConfigError(
        `Dense '${this.name}' needs a known last input dimension, received shape [${inputShape.join(', ')}].`,
      );
    }
    this.inputSpec = { minRank: 2, axes: { [-1]: inputDim } };
    this.kernel = this.addWeight({
      name: 'kernel',
      shape: [inputDim, this.units],
      initializer: this.kernelInitializer,
      regularizer: this.kernelRegularizer,
      constraint: this.kernelConstraint,
    });
    if (this.useBias) {
      this.bias = this.addWeight({
        name: 'bias',
        shape: [this.units],
        initializer: this.biasInitializer,
        regularizer: this.biasRegularizer,
        constraint: this.biasConstraint,
      });
    }
  }

  call(inputs: LayerInput): Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : (inputs as Tensor);
    const kernel = this.kernel!;
    // A rank > 2 input is flattened to 2-D for the product and reshaped back.
    const flat = x.rank === 2 ? x : reshape(x, [-1, kernel.shape[0]!]);
    const unflat = (t: Tensor): Tensor =>
      x.rank === 2 ? t : reshape(t, [...x.shape.slice(0, -1), this.units]);
    // One fused op (product, bias, activation; one gradient node) unless a diagnostics tap
    // needs the pre-activation.
    const fused = FUSABLE.get(this.activation.constructor);
    const tap = activeTap();
    if (fused !== undefined && tap?.onPreActivation === undefined) {
      return unflat(fusedDense(flat, kernel, { bias: this.bias, activation: fused }));
    }
    let y = matmul(flat, kernel);
    if (this.bias) y = add(y, this.bias);
    y = unflat(y);
    tap?.onPreActivation?.(this, y);
    return this.activation.apply(y);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [...inputShape.slice(0, -1), this.units];
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: activationName(this.activation),
      useBias: this.useBias,
      kernelInitializer: initializerRegistry.toJson(this.kernelInitializer),
      biasInitializer: initializerRegistry.toJson(this.biasInitializer),
      kernelRegularizer: regularizerRegistry.toJson(this.kernelRegularizer),
      biasRegularizer: regularizerRegistry.toJson(this.biasRegularizer),
      kernelConstraint: constraintRegistry.toJson(this.kernelConstraint),
      biasConstraint: constraintRegistry.toJson(this.biasConstraint),
    };
  }
}
