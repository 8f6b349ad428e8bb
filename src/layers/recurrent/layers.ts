import type { Regularizer } from '../../regularizers/regularizer.js';
import type { RegularizerIdentifier } from '../../regularizers/index.js';
import { fromConfigDefault, withoutNulls, type ConfigDict } from '../../serialization.js';
import { optionKeys } from '../../validation.js';
import {
  GRUCell,
  LSTMCell,
  SimpleRNNCell,
  type GRUCellOptions,
  type LSTMCellOptions,
  type ProjectedCell,
  type RecurrentCellOptions,
  GRU_CELL_OPTION_KEYS,
  LSTM_CELL_OPTION_KEYS,
  SIMPLE_RNN_CELL_OPTION_KEYS,
} from './cells.js';
import { RECURRENT_KEY_SET, RNN, type RecurrentOptions } from './rnn.js';

/**
 * SimpleRNN, LSTM and GRU: the RNN loop (rnn.ts) around a built-in cell made from the layer's
 * own options. The cell takes the layer's name, so the weights are `lstm/kernel`,
 * `lstm/recurrent_kernel`, `lstm/bias` (as TF.js and Keras save them), and
 * `model.regularizationLosses()` names the penalties `lstm/kernel`, `lstm/recurrent_kernel`,
 * `lstm/bias` and `lstm/activity`.
 */

/** The options that go to the cell: the cell's own, not the layer's (name, activity, shapes). */
const LAYER_ONLY = new Set([
  'name',
  'trainable',
  'inputShape',
  'batchInputShape',
  'activityRegularizer',
  'activityRegularizerReduction',
  'returnSequences',
  'returnState',
  'goBackwards',
  'stateful',
  'unroll',
]);
function cellPart<T>(options: object, keys: readonly string[]): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) {
    if (keys.includes(k) && !LAYER_ONLY.has(k)) out[k] = v;
  }
  return out as T;
}

/** A recurrent layer on one built-in cell: the cell's weights and regularizers, settable. */
abstract class CellLayer<C extends ProjectedCell> extends RNN {
  declare readonly cell: C;

  /** Flat options (units, activation, ...), not RNN's nested cell: the family's default. */
  static override fromConfig(config: ConfigDict): RNN {
    return fromConfigDefault(this, config);
  }

  get units(): number {
    return this.cell.units;
  }
  get kernelRegularizer(): Regularizer | undefined {
    return this.cell.kernelRegularizer;
  }
  set kernelRegularizer(id: RegularizerIdentifier | undefined) {
    this.cell.kernelRegularizer = id;
  }
  get recurrentRegularizer(): Regularizer | undefined {
    return this.cell.recurrentRegularizer;
  }
  set recurrentRegularizer(id: RegularizerIdentifier | undefined) {
    this.cell.recurrentRegularizer = id;
  }
  get biasRegularizer(): Regularizer | undefined {
    return this.cell.biasRegularizer;
  }
  set biasRegularizer(id: RegularizerIdentifier | undefined) {
    this.cell.biasRegularizer = id;
  }

  /** The cell's config (its name dropped: it is the layer's) after the layer's own. */
  override getConfig(): ConfigDict {
    const cell = this.cell.getConfig();
    delete cell.name;
    delete cell.trainable;
    delete cell.dtype;
    return { ...super.getConfig(), ...cell };
  }
}

export interface SimpleRNNOptions extends RecurrentCellOptions, RecurrentOptions {}
export const SIMPLE_RNN_OPTION_KEYS = optionKeys<SimpleRNNOptions>()({
  ...RECURRENT_KEY_SET,
  ...Object.fromEntries(SIMPLE_RNN_CELL_OPTION_KEYS.map((k) => [k, true])),
} as Record<keyof SimpleRNNOptions, true>);

/**
 * A fully connected recurrent layer: h_t = activation(x_t·kernel + h_{t−1}·recurrentKernel + bias).
 * Input [batch, steps, features] → [batch, units] (or [batch, steps, units] with
 * returnSequences). Weights: kernel [features, units], recurrent_kernel [units, units], bias [units].
 *
 *   sn.layers.simpleRNN({ units: 16, recurrentRegularizer: sn.regularizers.l2(1e-4) })
 */
export class SimpleRNN extends CellLayer<SimpleRNNCell> {
  static override readonly className: string = 'SimpleRNN';
  static override readonly optionKeys: readonly string[] = SIMPLE_RNN_OPTION_KEYS;

  constructor(options: SimpleRNNOptions) {
    super(
      options,
      (name) =>
        new SimpleRNNCell({
          ...cellPart<RecurrentCellOptions>(options, SIMPLE_RNN_CELL_OPTION_KEYS),
          name,
          dtype: options?.dtype ?? 'float32',
        }),
    );
  }
}

export interface LSTMOptions extends LSTMCellOptions, RecurrentOptions {}
export const LSTM_OPTION_KEYS = optionKeys<LSTMOptions>()({
  ...RECURRENT_KEY_SET,
  ...Object.fromEntries(LSTM_CELL_OPTION_KEYS.map((k) => [k, true])),
} as Record<keyof LSTMOptions, true>);

/**
 * Long short-term memory (Hochreiter & Schmidhuber), Keras's LSTM: states h and c, gates
 * i, f, c, o (cell-math.ts). Input [batch, steps, features] → [batch, units] (or
 * [batch, steps, units]); with returnState [output, h, c]. Weights: kernel
 * [features, 4·units], recurrent_kernel [units, 4·units], bias [4·units] (forget block
 * initialised to 1 with unitForgetBias, the default).
 *
 *   sn.layers.lstm({ units: 128, recurrentRegularizer: sn.regularizers.l2(1e-4) })
 */
export class LSTM extends CellLayer<LSTMCell> {
  static override readonly className: string = 'LSTM';
  static override readonly optionKeys: readonly string[] = LSTM_OPTION_KEYS;

  constructor(options: LSTMOptions) {
    super(
      options,
      (name) =>
        new LSTMCell({
          ...cellPart<LSTMCellOptions>(options, LSTM_CELL_OPTION_KEYS),
          name,
          dtype: options?.dtype ?? 'float32',
        }),
    );
  }
}

export interface GRUOptions extends GRUCellOptions, RecurrentOptions {}
export const GRU_OPTION_KEYS = optionKeys<GRUOptions>()({
  ...RECURRENT_KEY_SET,
  ...Object.fromEntries(GRU_CELL_OPTION_KEYS.map((k) => [k, true])),
} as Record<keyof GRUOptions, true>);

/**
 * Gated recurrent unit (Cho et al.), Keras's GRU: gates z, r and candidate ĥ (cell-math.ts).
 * `resetAfter` true (Keras's default) has bias [2, 3·units]; false (TensorFlow.js's only
 * variant) has bias [3·units]. A file of either kind loads: the config says which.
 *
 *   sn.layers.gru({ units: 32, returnSequences: true })
 */
export class GRU extends CellLayer<GRUCell> {
  static override readonly className: string = 'GRU';
  static override readonly optionKeys: readonly string[] = GRU_OPTION_KEYS;

  constructor(options: GRUOptions) {
    super(
      options,
      (name) =>
        new GRUCell({
          ...cellPart<GRUCellOptions>(options, GRU_CELL_OPTION_KEYS),
          name,
          dtype: options?.dtype ?? 'float32',
        }),
    );
  }

  /**
   * A file without reset_after is TensorFlow.js's (which has only resetAfter false); Keras
   * always writes it.
   */
  static override fromConfig(config: ConfigDict): GRU {
    return fromConfigDefault(this, { resetAfter: false, ...withoutNulls(config) });
  }
}
