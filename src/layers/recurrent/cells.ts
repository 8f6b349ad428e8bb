import {
  activationName,
  getActivation,
  type Activation,
  type ActivationIdentifier,
} from '../../activations/index.js';
import type { Constraint } from '../../constraints/constraint.js';
import {
  constraintRegistry,
  getConstraint,
  type ConstraintIdentifier,
} from '../../constraints/index.js';
import { ConfigError, describe } from '../../errors.js';
import {
  getInitializer,
  initializerRegistry,
  type InitializerIdentifier,
} from '../../initializers/index.js';
import type { Initializer } from '../../initializers/initializer.js';
import { concat, reshape, split } from '../../ops/index.js';
import { fusedDense } from '../../ops/dense.js';
import type { Regularizer } from '../../regularizers/regularizer.js';
import { regularizerRegistry, type RegularizerIdentifier } from '../../regularizers/index.js';
import { type ConfigDict } from '../../serialization.js';
import { ones } from '../../tensor/creation.js';
import { checkSeed } from '../../tensor/random.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkBoolean, checkNumber, optionKeys } from '../../validation.js';
import {
  Layer,
  type CallOptions,
  type LayerInput,
  type LayerOptions,
  type LayerVariable,
  LAYER_OPTION_KEY_SET,
} from '../layer.js';
import type { SymbolicShape } from '../symbolic.js';
import { gruStep, lstmStep, simpleRNNStep } from './cell-math.js';

/**
 * The built-in recurrent cells (SimpleRNNCell, LSTMCell, GRUCell). A cell computes ONE time
 * step; the RNN layer (rnn.ts) runs it over the sequence.
 *
 * The cell contract (also what a user-written cell for `sn.layers.rnn({ cell })` fulfils):
 *   - `stateSize`: the size of each state, a number or a list (LSTM: [units, units]);
 *   - `call([x_t, ...states])` with x_t [batch, features] and each state [batch, size]
 *     returns `[output_t, ...newStates]` (output_t [batch, outputSize]; `outputSize` defaults
 *     to the first state's size);
 *   - `build([null, features])` makes its weights.
 * The built-in cells also split the step in two (ProjectedCell): `projectInputs` (x·kernel +
 * bias, done by the RNN for all steps in one product) and `step` (the recurrent part), whose
 * math is in cell-math.ts.
 */

/** The options every built-in cell has (and the layers made from them). */
export interface RecurrentCellOptions extends LayerOptions {
  /** Size of the hidden state and of the output. */
  units: number;
  /** Activation of the output (and of the candidate in LSTM and GRU); default tanh. */
  activation?: ActivationIdentifier;
  useBias?: boolean;
  kernelInitializer?: InitializerIdentifier;
  /** Default 'orthogonal', as Keras. */
  recurrentInitializer?: InitializerIdentifier;
  biasInitializer?: InitializerIdentifier;
  /** Penalty on the input weights (kernel). */
  kernelRegularizer?: RegularizerIdentifier;
  /** Penalty on the hidden-to-hidden weights (recurrent_kernel). */
  recurrentRegularizer?: RegularizerIdentifier;
  biasRegularizer?: RegularizerIdentifier;
  kernelConstraint?: ConstraintIdentifier;
  recurrentConstraint?: ConstraintIdentifier;
  biasConstraint?: ConstraintIdentifier;
  /** Fraction of the input units dropped in training (the same mask at every step). */
  dropout?: number;
  /** Fraction of the state units dropped before the recurrent product (same mask at every step). */
  recurrentDropout?: number;
  /** Seeds the dropout masks of this cell. */
  seed?: number;
}
const CELL_KEY_SET = {
  ...LAYER_OPTION_KEY_SET,
  units: true,
  activation: true,
  useBias: true,
  kernelInitializer: true,
  recurrentInitializer: true,
  biasInitializer: true,
  kernelRegularizer: true,
  recurrentRegularizer: true,
  biasRegularizer: true,
  kernelConstraint: true,
  recurrentConstraint: true,
  biasConstraint: true,
  dropout: true,
  recurrentDropout: true,
  seed: true,
} as const;
export const SIMPLE_RNN_CELL_OPTION_KEYS = optionKeys<RecurrentCellOptions>()(CELL_KEY_SET);

export interface LSTMCellOptions extends RecurrentCellOptions {
  /** Activation of the gates; default sigmoid. */
  recurrentActivation?: ActivationIdentifier;
  /** Adds 1 to the forget gate's bias at initialization (default true, as Keras). */
  unitForgetBias?: boolean;
  /** Accepted for Keras/TF.js configs and ignored (one implementation). */
  implementation?: number;
}
export const LSTM_CELL_OPTION_KEYS = optionKeys<LSTMCellOptions>()({
  ...CELL_KEY_SET,
  recurrentActivation: true,
  unitForgetBias: true,
  implementation: true,
});

export interface GRUCellOptions extends RecurrentCellOptions {
  /** Activation of the gates; default sigmoid. */
  recurrentActivation?: ActivationIdentifier;
  /**
   * Apply the reset gate after the recurrent product (true: Keras's default, with a second
   * bias for the recurrent product, bias shape [2, 3·units]); false: the original GRU, which
   * TensorFlow.js implements (bias [3·units]). Default true.
   */
  resetAfter?: boolean;
  /** Accepted for Keras/TF.js configs and ignored (one implementation). */
  implementation?: number;
}
export const GRU_CELL_OPTION_KEYS = optionKeys<GRUCellOptions>()({
  ...CELL_KEY_SET,
  recurrentActivation: true,
  resetAfter: true,
  implementation: true,
});

/**
 * The base of the built-in cells: weights kernel [features, gates·units], recurrent_kernel
 * [units, gates·units] and bias, with settable regularizers (docs/semantics.md rule 10), and the
 * split of a step into `projectInputs` (all steps at once) and `step`.
 */
export abstract class ProjectedCell extends Layer {
  readonly units: number;
  readonly activation: Activation;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly recurrentInitializer: Initializer;
  readonly biasInitializer: Initializer;
  kernelConstraint: Constraint | undefined;
  recurrentConstraint: Constraint | undefined;
  biasConstraint: Constraint | undefined;
  readonly dropout: number;
  readonly recurrentDropout: number;
  readonly seed: number | undefined;
  kernel: LayerVariable | undefined;
  recurrentKernel: LayerVariable | undefined;
  bias: LayerVariable | undefined;

  /** Number of gate blocks in the kernel (1, 4 or 3). */
  protected abstract readonly gates: number;

  constructor(options: RecurrentCellOptions) {
    super(options);
    const where = this.describeSelf();
    if (!Number.isInteger(options?.units) || options.units < 1) {
      throw new ConfigError(
        `${where}: units must be a positive integer, received ${describe(options?.units)}; e.g. units: 32.`,
      );
    }
    this.units = options.units;
    this.activation = getActivation(options.activation ?? 'tanh');
    this.useBias = checkBoolean(options.useBias, where, 'useBias', true);
    this.kernelInitializer = getInitializer(options.kernelInitializer ?? 'glorotUniform');
    this.recurrentInitializer = getInitializer(options.recurrentInitializer ?? 'orthogonal');
    this.biasInitializer = getInitializer(options.biasInitializer ?? 'zeros');
    this.kernelRegularizer = options.kernelRegularizer;
    this.recurrentRegularizer = options.recurrentRegularizer;
    this.biasRegularizer = options.biasRegularizer;
    this.kernelConstraint = getConstraint(options.kernelConstraint);
    this.recurrentConstraint = getConstraint(options.recurrentConstraint);
    this.biasConstraint = getConstraint(options.biasConstraint);
    const rate = { min: 0, max: 1, maxExclusive: true } as const;
    this.dropout = checkNumber(options.dropout, where, 'dropout', { ...rate, fallback: 0 });
    this.recurrentDropout = checkNumber(options.recurrentDropout, where, 'recurrentDropout', {
      ...rate,
      fallback: 0,
    });
    this.seed = options.seed === undefined ? undefined : checkSeed(options.seed, where);
  }

  /** The size of each state (LSTM: h and c). */
  get stateSize(): number[] {
    return [this.units];
  }
  get outputSize(): number {
    return this.units;
  }

  /** Settable at any time, also after build: the new penalty applies from the next step. */
  get kernelRegularizer(): Regularizer | undefined {
    return this.weightRegularizer('kernel');
  }
  set kernelRegularizer(id: RegularizerIdentifier | undefined) {
    this.setWeightRegularizer('kernel', id);
  }
  get recurrentRegularizer(): Regularizer | undefined {
    return this.weightRegularizer('recurrent_kernel');
  }
  set recurrentRegularizer(id: RegularizerIdentifier | undefined) {
    this.setWeightRegularizer('recurrent_kernel', id);
  }
  get biasRegularizer(): Regularizer | undefined {
    return this.weightRegularizer('bias');
  }
  set biasRegularizer(id: RegularizerIdentifier | undefined) {
    this.setWeightRegularizer('bias', id);
  }

  /** The bias shape ([gates·units]; GRU with resetAfter: [2, 3·units]). */
  protected biasShape(): number[] {
    return [this.gates * this.units];
  }

  /** Called once the bias exists (LSTM's unitForgetBias sets its forget block to 1). */
  protected initBias(_bias: LayerVariable): void {}

  override build(inputShape: SymbolicShape | SymbolicShape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as SymbolicShape;
    const features = shape[shape.length - 1];
    if (features === null || features === undefined) {
      throw new ConfigError(
        `${this.describeSelf()} needs a known feature size (last input dimension), received shape [${shape.join(', ')}].`,
      );
    }
    const width = this.gates * this.units;
    this.kernel = this.addWeight({
      name: 'kernel',
      shape: [features, width],
      initializer: this.kernelInitializer,
      regularizer: this.kernelRegularizer,
      constraint: this.kernelConstraint,
    });
    this.recurrentKernel = this.addWeight({
      name: 'recurrent_kernel',
      shape: [this.units, width],
      initializer: this.recurrentInitializer,
      regularizer: this.recurrentRegularizer,
      constraint: this.recurrentConstraint,
    });
    if (this.useBias) {
      this.bias = this.addWeight({
        name: 'bias',
        shape: this.biasShape(),
        initializer: this.biasInitializer,
        regularizer: this.biasRegularizer,
        constraint: this.biasConstraint,
      });
      this.initBias(this.bias);
    }
  }

  /**
   * x [n, features] → x·kernel + input bias [n, gates·units] (every time step at once), as
   * one fused op with one gradient node, as the Dense layer does.
   */
  projectInputs(x: Tensor): Tensor {
    return fusedDense(x, this.kernel!, { bias: this.inputBias() });
  }

  /** The part of the bias added to the input projection. */
  protected inputBias(): Tensor | undefined {
    return this.bias;
  }

  /**
   * One recurrent step from the projected input: the new states (the output is the first).
   * `hForProduct` is states[0], times the recurrent dropout mask in training.
   */
  abstract step(xProj: Tensor, states: readonly Tensor[], hForProduct: Tensor): Tensor[];

  /** The cell contract: [x_t, ...states] → [output_t, ...newStates]. */
  call(inputs: LayerInput, _options: CallOptions): Tensor[] {
    const [x, ...states] = Array.isArray(inputs) ? inputs : [inputs as Tensor];
    if (states.length !== this.stateSize.length) {
      throw new ConfigError(
        `${this.describeSelf()} expects [input, ${this.stateSize.map((_, i) => `state${i}`).join(', ')}], received ${states.length} state(s).`,
      );
    }
    const next = this.step(this.projectInputs(x!), states, states[0]!);
    return [next[0]!, ...next];
  }

  override computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape[] {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as SymbolicShape;
    return [
      [shape[0] ?? null, this.outputSize],
      ...this.stateSize.map((s) => [shape[0] ?? null, s]),
    ];
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: activationName(this.activation),
      useBias: this.useBias,
      kernelInitializer: initializerRegistry.toJson(this.kernelInitializer),
      recurrentInitializer: initializerRegistry.toJson(this.recurrentInitializer),
      biasInitializer: initializerRegistry.toJson(this.biasInitializer),
      kernelRegularizer: regularizerRegistry.toJson(this.kernelRegularizer),
      recurrentRegularizer: regularizerRegistry.toJson(this.recurrentRegularizer),
      biasRegularizer: regularizerRegistry.toJson(this.biasRegularizer),
      kernelConstraint: constraintRegistry.toJson(this.kernelConstraint),
      recurrentConstraint: constraintRegistry.toJson(this.recurrentConstraint),
      biasConstraint: constraintRegistry.toJson(this.biasConstraint),
      dropout: this.dropout,
      recurrentDropout: this.recurrentDropout,
      seed: this.seed ?? null,
    };
  }
}

/** The cell of SimpleRNN: h' = activation(x·kernel + h·recurrentKernel + bias). */
export class SimpleRNNCell extends ProjectedCell {
  static override readonly className: string = 'SimpleRNNCell';
  static override readonly optionKeys: readonly string[] = SIMPLE_RNN_CELL_OPTION_KEYS;
  protected readonly gates = 1;

  step(xProj: Tensor, _states: readonly Tensor[], hForProduct: Tensor): Tensor[] {
    return [simpleRNNStep(xProj, hForProduct, this.recurrentKernel!, this.activation)];
  }
}

/** The cell of LSTM: states [h, c]; gates i, f, c, o (see cell-math.ts). */
export class LSTMCell extends ProjectedCell {
  static override readonly className: string = 'LSTMCell';
  static override readonly optionKeys: readonly string[] = LSTM_CELL_OPTION_KEYS;
  protected readonly gates = 4;
  readonly recurrentActivation: Activation;
  readonly unitForgetBias: boolean;
  readonly implementation: number;

  constructor(options: LSTMCellOptions) {
    super(options);
    this.recurrentActivation = getActivation(options.recurrentActivation ?? 'sigmoid');
    this.unitForgetBias = checkBoolean(
      options.unitForgetBias,
      this.describeSelf(),
      'unitForgetBias',
      true,
    );
    this.implementation = options.implementation ?? 2;
  }

  override get stateSize(): number[] {
    return [this.units, this.units];
  }

  /** Keras: [init(units), ones(units), init(2·units)] when unitForgetBias. */
  protected override initBias(bias: LayerVariable): void {
    if (!this.unitForgetBias) return;
    const [init, u, dtype] = [this.biasInitializer, this.units, bias.dtype];
    bias.assign(concat([init.apply([u], dtype), ones([u], dtype), init.apply([2 * u], dtype)], 0));
  }

  step(xProj: Tensor, states: readonly Tensor[], hForProduct: Tensor): Tensor[] {
    const { h, c } = lstmStep(xProj, hForProduct, states[1]!, this.recurrentKernel!, this);
    return [h, c];
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      recurrentActivation: activationName(this.recurrentActivation),
      unitForgetBias: this.unitForgetBias,
      implementation: this.implementation,
    };
  }
}

/** The cell of GRU: gates z, r, h; Keras's resetAfter (default) or the original variant. */
export class GRUCell extends ProjectedCell {
  static override readonly className: string = 'GRUCell';
  static override readonly optionKeys: readonly string[] = GRU_CELL_OPTION_KEYS;
  protected readonly gates = 3;
  readonly recurrentActivation: Activation;
  readonly resetAfter: boolean;
  readonly implementation: number;

  constructor(options: GRUCellOptions) {
    super(options);
    this.recurrentActivation = getActivation(options.recurrentActivation ?? 'sigmoid');
    this.resetAfter = checkBoolean(options.resetAfter, this.describeSelf(), 'resetAfter', true);
    this.implementation = options.implementation ?? 2;
  }

  protected override biasShape(): number[] {
    return this.resetAfter ? [2, 3 * this.units] : [3 * this.units];
  }

  protected override inputBias(): Tensor | undefined {
    if (!this.bias || !this.resetAfter) return this.bias;
    return reshape(split(this.bias, 2, { axis: 0 })[0]!, [3 * this.units]);
  }

  step(xProj: Tensor, states: readonly Tensor[], hForProduct: Tensor): Tensor[] {
    const recurrentBias =
      this.resetAfter && this.bias
        ? reshape(split(this.bias, 2, { axis: 0 })[1]!, [3 * this.units])
        : undefined;
    return [
      gruStep(
        xProj,
        hForProduct,
        states[0]!,
        this.recurrentKernel!,
        { resetAfter: this.resetAfter, recurrentBias },
        this,
      ),
    ];
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      recurrentActivation: activationName(this.recurrentActivation),
      resetAfter: this.resetAfter,
      implementation: this.implementation,
    };
  }
}
