import { ConfigError, ShapeError, describe } from '../../errors.js';
import { cast, mul, reshape, split, stack, where } from '../../ops/index.js';
import { withoutNulls, type ConfigDict } from '../../serialization.js';
import { zeros } from '../../tensor/creation.js';
import { dropoutMask } from '../random-layer.js';
import { Random, randomFor } from '../../tensor/random.js';
import { keep } from '../../tensor/scope.js';
import { formatShape } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { checkBoolean, optionKeys, pickOptions } from '../../validation.js';
import {
  Layer,
  type CallOptions,
  type LayerInput,
  type LayerOutput,
  type LayerOptions,
  LAYER_OPTION_KEY_SET,
} from '../layer.js';
import { formatSymbolicShape, type SymbolicShape, type SymbolicTensor } from '../symbolic.js';
import { ProjectedCell } from './cells.js';
import { layerRegistry } from '../registry.js';

/** The options of every recurrent layer (besides its cell's). */
export interface RecurrentOptions extends LayerOptions {
  /** Return the output of every step [batch, steps, units] (default: the last [batch, units]). */
  returnSequences?: boolean;
  /** Also return the final states: [output, ...states]. */
  returnState?: boolean;
  /** Process the sequence from the last step to the first (outputs in that order). */
  goBackwards?: boolean;
  /**
   * Keep the final states of a batch as the initial states of the next call (sample i of a
   * batch continues sample i of the previous one) until resetStates(); the batch size must
   * stay the same.
   */
  stateful?: boolean;
  /** Accepted (Keras, TF.js configs) and ignored: the loop is always run step by step. */
  unroll?: boolean;
}
export const RECURRENT_KEY_SET = {
  ...LAYER_OPTION_KEY_SET,
  returnSequences: true,
  returnState: true,
  goBackwards: true,
  stateful: true,
  unroll: true,
} as const;

/** The options of `sn.layers.rnn`: a cell (or a list of cells, stacked) and the loop options. */
export interface RNNOptions extends RecurrentOptions {
  /**
   * The cell run at each step: a built-in cell (simpleRNNCell, lstmCell, gruCell,
   * stackedRNNCells), a list of cells (stacked), or a layer of your own that fulfils the cell
   * contract: a `stateSize` property (number or list), `call([x_t, ...states])` returning
   * `[output_t, ...newStates]` with x_t [batch, features] and each state [batch, size], and
   * optionally `outputSize` (default: the first state's size).
   */
  cell: Layer | readonly Layer[];
}
export const RNN_OPTION_KEYS = optionKeys<RNNOptions>()({ ...RECURRENT_KEY_SET, cell: true });

/** What the RNN reads from a cell (the contract above). */
interface CellLike {
  stateSize?: unknown;
  outputSize?: unknown;
}

/** A cell's state sizes as a list of positive integers, or a ConfigError naming the cell. */
export function cellStateSizes(cell: Layer, where: string): number[] {
  const raw = (cell as unknown as CellLike).stateSize;
  const list = Array.isArray(raw) ? (raw as unknown[]) : [raw];
  if (list.length === 0 || !list.every((s) => Number.isInteger(s) && (s as number) > 0)) {
    throw new ConfigError(
      `${where}: the cell ${cell.describeSelf()} must have a stateSize (a positive integer or a list of them), ` +
        `received ${describe(raw)}; declare e.g. get stateSize() { return [this.units]; } in the cell class.`,
    );
  }
  return list as number[];
}

/** A recurrent layer's call options: the base ones plus initialState. */
export interface RNNCallOptions extends CallOptions {
  /**
   * The initial states, one [batch, size] tensor per state (LSTM: h and c), as Keras's
   * initial_state; the same as applying the layer to [x, ...states].
   */
  initialState?: readonly (Tensor | SymbolicTensor)[] | undefined;
}
const RNN_CALL_OPTION_KEYS = optionKeys<RNNCallOptions>()({
  training: true,
  mask: true,
  initialState: true,
});

/**
 * The recurrent loop of every recurrent layer (Keras's RNN): runs a cell over the steps of
 * [batch, steps, features].
 *
 * - Inputs: `x`, or `[x, ...initialStates]` (each state [batch, size]), or `x` with
 *   `apply(x, { initialState: [h, c] })` (Keras's initial_state; also in functional models).
 * - Outputs: the last output [batch, outputSize] or, with `returnSequences`, every output
 *   [batch, steps, outputSize]; with `returnState`, followed by the final states.
 * - Masks (`options.mask` [batch, steps], from embedding({ maskZero }) or masking()): at a
 *   masked step the states are carried unchanged and the output repeats the previous one
 *   (Keras; zeros instead when zeroOutputForMask, as Bidirectional sets for sequences).
 * - Dropout (cells' `dropout` / `recurrentDropout`): one mask per call, the same at every step.
 * - For the built-in cells the input projection of ALL steps is one matrix product before the
 *   loop ([batch·steps, features] · kernel); the loop does only the recurrent step
 *   (ProjectedCell.step, cell-math.ts).
 *
 * The activity regularizer (LayerOptions) applies to each output returned (the sequence or
 * the last output, and each state with returnState), divided by the batch size, as Keras 3.
 */
export class RNN extends Layer {
  static override readonly className: string = 'RNN';
  static override readonly optionKeys: readonly string[] = RNN_OPTION_KEYS;
  static override readonly callOptionKeys: readonly string[] = RNN_CALL_OPTION_KEYS;

  static override fromConfig(config: ConfigDict): RNN {
    return rnnFromConfig(config);
  }

  readonly cell: Layer;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  readonly goBackwards: boolean;
  readonly stateful: boolean;
  readonly unroll: boolean;
  /** Output zeros (not the previous output) at masked steps; Bidirectional sets it for sequences. */
  zeroOutputForMask = false;
  #states: Tensor[] | undefined;
  #rng: Random | undefined;
  /** The cell was made by a subclass from its own options (not written in the config). */
  readonly #ownCell: boolean;

  /**
   * `makeCell` (for the layers built on a cell of their own: simpleRNN, lstm, gru) makes the
   * cell from the layer's name, so its weights are named `lstm/kernel`.
   */
  constructor(options: RNNOptions | RecurrentOptions, makeCell?: (name: string) => Layer) {
    super(options);
    const where = this.describeSelf();
    this.#ownCell = makeCell !== undefined;
    if (makeCell) {
      this.cell = makeCell(this.name);
    } else {
      const cell = (options as RNNOptions).cell;
      if (Array.isArray(cell)) {
        throw new ConfigError(
          `${where}: a list of cells is stacked with sn.layers.stackedRNNCells({ cells }); pass that as cell.`,
        );
      }
      if (!(cell instanceof Layer)) {
        throw new ConfigError(
          `${where}: cell must be a layer that fulfils the cell contract (e.g. sn.layers.lstmCell({ units: 8 })), received ${describe(cell)}.`,
        );
      }
      this.cell = cell as Layer;
    }
    cellStateSizes(this.cell, where);
    this.returnSequences = checkBoolean(options.returnSequences, where, 'returnSequences', false);
    this.returnState = checkBoolean(options.returnState, where, 'returnState', false);
    this.goBackwards = checkBoolean(options.goBackwards, where, 'goBackwards', false);
    this.stateful = checkBoolean(options.stateful, where, 'stateful', false);
    this.unroll = checkBoolean(options.unroll, where, 'unroll', false);
    const seed = (this.cell as { seed?: number }).seed;
    this.#rng = seed === undefined ? undefined : new Random(seed);
  }

  override get sublayers(): readonly Layer[] {
    return [this.cell];
  }

  get stateSize(): number[] {
    return cellStateSizes(this.cell, this.describeSelf());
  }

  get outputSize(): number {
    const size = (this.cell as unknown as CellLike).outputSize;
    return typeof size === 'number' ? size : this.stateSize[0]!;
  }

  /** Forgets the kept states of a stateful layer (the next call starts from zeros), or sets them. */
  resetStates(states?: readonly Tensor[]): void {
    if (states === undefined) {
      this.#states = undefined;
      return;
    }
    const sizes = this.stateSize;
    if (states.length !== sizes.length) {
      throw new ShapeError(
        `${this.describeSelf()}.resetStates expected ${sizes.length} state(s), received ${states.length}.`,
      );
    }
    this.#states = states.map((s) => keep(detached(s)));
  }

  /**
   * The state of the dropout generator of a layer whose cell has a seed, which fit's
   * checkpoints save so a resumed run draws the masks an uninterrupted one would; undefined
   * without a seed (the global generator is used, and checkpoints save that one).
   */
  getRandomState(): number[] | undefined {
    return this.#rng?.getState();
  }

  /** Puts back a state getRandomState() returned (a cell with a seed only). */
  setRandomState(state: readonly number[]): void {
    if (this.#rng === undefined) {
      throw new ConfigError(
        `${this.describeSelf()}: setRandomState needs a cell with a seed (its dropout masks have their own generator only then).`,
      );
    }
    this.#rng.setState(state);
  }

  /** The kept states of a stateful layer (undefined before the first call or after a reset). */
  get states(): Tensor[] | undefined {
    return this.#states?.slice();
  }

  /**
   * Checks a concrete input's rank and initial states before the base class builds the
   * layer, so the message shows the shapes as given (build sees the batch axis as null).
   */
  override apply(inputs: Tensor, options?: RNNCallOptions): Tensor;
  override apply(inputs: SymbolicTensor, options?: RNNCallOptions): SymbolicTensor;
  override apply(
    inputs: readonly SymbolicTensor[],
    options?: RNNCallOptions,
  ): SymbolicTensor | SymbolicTensor[];
  override apply(inputs: LayerInput, options?: RNNCallOptions): LayerOutput;
  override apply(
    inputs: LayerInput | SymbolicTensor | readonly SymbolicTensor[],
    options?: RNNCallOptions,
  ): LayerOutput | SymbolicTensor | SymbolicTensor[] {
    if (options?.initialState !== undefined) {
      const { initialState, ...rest } = options;
      if (Array.isArray(inputs) && inputs.length > 1) {
        throw new ConfigError(
          `${this.describeSelf()} received initial states twice: as extra inputs and as initialState; pass one of them.`,
        );
      }
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as Tensor;
      return this.apply([x, ...(initialState as Tensor[])], rest);
    }
    const list: readonly unknown[] = Array.isArray(inputs) ? inputs : [inputs];
    if (list.length > 0 && list.every((t) => t instanceof Tensor)) {
      const [x, ...states] = list as Tensor[];
      this.#checkSequenceShape(x!.shape);
      this.#checkInitialStateShapes(
        states.map((t) => t.shape),
        x!.shape[0]!,
      );
    }
    return super.apply(inputs as LayerInput, options);
  }

  override build(inputShape: SymbolicShape | SymbolicShape[]): void {
    const list = (Array.isArray(inputShape[0]) ? inputShape : [inputShape]) as SymbolicShape[];
    const x = list[0]!;
    this.#checkSequenceShape(x);
    const features = x[2];
    if (features === null || features === undefined) {
      throw new ConfigError(
        `${this.describeSelf()} needs a known feature size (last input dimension), received shape ${formatSymbolicShape(x)}.`,
      );
    }
    this.#checkInitialStateShapes(list.slice(1), x[0] ?? null);
    if (!this.cell.built) {
      this.cell.build([null, features]);
      this.cell.built = true;
    }
  }

  #checkSequenceShape(x: SymbolicShape | readonly number[]): void {
    if (x.length !== 3) {
      throw new ShapeError(
        `${this.describeSelf()} expected a sequence input of rank 3 [batch, steps, features], received shape ${formatSymbolicShape(x)}; ` +
          (x.length === 2
            ? 'for one feature per step reshape to [batch, steps, 1] (sn.expandDims(x, -1)); for one step per sample, [batch, 1, features].'
            : 'reshape the data to [batch, steps, features].'),
      );
    }
  }

  #checkInitialStateShapes(
    shapes: readonly (SymbolicShape | readonly number[])[],
    batch: number | null,
  ): void {
    if (shapes.length === 0) return;
    const sizes = this.stateSize;
    if (shapes.length !== sizes.length) {
      throw new ShapeError(
        `${this.describeSelf()} expected ${sizes.length} initial state(s) of shapes ${sizes.map((s) => `[batch, ${s}]`).join(', ')}, received ${shapes.length}; ` +
          'pass apply([x, ...states]) with one tensor per state.',
      );
    }
    shapes.forEach((s, i) => {
      const ok =
        s.length === 2 && s[1] === sizes[i] && (batch === null || s[0] === null || s[0] === batch);
      if (!ok) {
        throw new ShapeError(
          `${this.describeSelf()} initial state ${i} must have shape [${batch ?? 'batch'}, ${sizes[i]}], received ${formatSymbolicShape(s)}; ` +
            `make it with the batch size of the input and ${sizes[i]} units.`,
        );
      }
    });
  }

  call(inputs: LayerInput, options: CallOptions): Tensor | Tensor[] {
    const [x, ...given] = Array.isArray(inputs) ? (inputs as Tensor[]) : [inputs as Tensor];
    this.#checkSequenceShape(x!.shape);
    const [batch, steps, features] = x!.shape as [number, number, number];
    this.#checkInitialStateShapes(
      given.map((s) => s.shape),
      batch,
    );
    const sizes = this.stateSize;
    let states = given.length > 0 ? given : this.#initialStates(batch, sizes, x!);
    const training = options.training === true;
    const cell = this.cell;
    const rates = cell instanceof ProjectedCell ? cell : { dropout: 0, recurrentDropout: 0 };
    const inputMask =
      training && rates.dropout > 0
        ? this.#dropoutMask([batch, 1, features], rates.dropout, x!)
        : undefined;
    const recurrentMask =
      training && rates.recurrentDropout > 0
        ? this.#dropoutMask([batch, sizes[0]!], rates.recurrentDropout, x!)
        : undefined;
    const xIn = inputMask ? mul(x!, inputMask) : x!;

    // One product for the input projection of every step (built-in cells), then the loop.
    let stepFn: (k: number, states: Tensor[]) => [Tensor, Tensor[]];
    if (cell instanceof ProjectedCell) {
      const proj = cell.projectInputs(reshape(xIn, [batch * steps, features]));
      const width = proj.shape[1]!;
      const perStep = split(reshape(proj, [batch, steps, width]), steps, { axis: 1 }).map((p) =>
        reshape(p, [batch, width]),
      );
      stepFn = (k, s) => {
        const hForProduct = recurrentMask ? mul(s[0]!, recurrentMask) : s[0]!;
        const next = cell.step(perStep[k]!, s, hForProduct);
        return [next[0]!, next];
      };
    } else {
      const perStep = split(xIn, steps, { axis: 1 }).map((p) => reshape(p, [batch, features]));
      stepFn = (k, s) => {
        const out = cell.apply([perStep[k]!, ...s], { training });
        const list = Array.isArray(out) ? out : [out];
        return [list[0]!, list.slice(1)];
      };
    }

    const masks =
      options.mask === undefined ? undefined : this.#stepMasks(options.mask, batch, steps);
    const outputs: Tensor[] = [];
    let previous: Tensor | undefined;
    let zero: Tensor | undefined; // one zero output for every masked step, made at the first
    for (let i = 0; i < steps; i++) {
      const k = this.goBackwards ? steps - 1 - i : i;
      let [output, next] = stepFn(k, states);
      const m = masks?.[k];
      if (m) {
        next = next.map((s, j) => where(m, s, states[j]!));
        zero ??= zeros(output.shape, output.dtype);
        output = where(m, output, this.zeroOutputForMask ? zero : (previous ?? zero));
      }
      states = next;
      previous = output;
      outputs.push(output);
    }
    if (this.stateful) this.#states = states.map((s) => keep(detached(s)));
    const last = steps === 0 ? zeros([batch, this.outputSize], x!.dtype) : previous!;
    const y = this.returnSequences
      ? steps === 0
        ? zeros([batch, 0, this.outputSize], x!.dtype)
        : stack(outputs, 1)
      : last;
    return this.returnState ? [y, ...states] : y;
  }

  #initialStates(batch: number, sizes: readonly number[], x: Tensor): Tensor[] {
    const kept = this.stateful ? this.#states : undefined;
    if (kept) {
      if (kept[0]!.shape[0] !== batch) {
        throw new ShapeError(
          `${this.describeSelf()} is stateful and kept states for a batch of ${kept[0]!.shape[0]}, received a batch of ${batch} (input shape ${formatShape(x.shape)}); ` +
            'use the same batch size on every call (fit with shuffle: false and a batchSize that divides the data), or call resetStates() first.',
        );
      }
      return kept;
    }
    return sizes.map((s) => zeros([batch, s], x.dtype === 'float64' ? 'float64' : 'float32'));
  }

  /** A bool [batch, 1] per step. */
  #stepMasks(mask: Tensor, batch: number, steps: number): Tensor[] {
    if (mask.rank !== 2 || mask.shape[0] !== batch || mask.shape[1] !== steps) {
      throw new ShapeError(
        `${this.describeSelf()} received a mask of shape ${formatShape(mask.shape)} for an input of ${batch} sequences of ${steps} steps; ` +
          `a mask has shape [${batch}, ${steps}] (one entry per step).`,
      );
    }
    const bool = mask.dtype === 'bool' ? mask : cast(mask, 'bool');
    return split(bool, steps, { axis: 1 });
  }

  /** Inverted-dropout mask (1/(1−rate) or 0), drawn once per call. */
  #dropoutMask(shape: number[], rate: number, x: Tensor): Tensor {
    return dropoutMask(this.#rng ?? randomFor(undefined, this.className), shape, rate, x);
  }

  override computeMask(_inputs: LayerInput, mask: Tensor | undefined): Tensor | undefined {
    return this.returnSequences ? mask : undefined;
  }

  override computeOutputShape(
    inputShape: SymbolicShape | SymbolicShape[],
  ): SymbolicShape | SymbolicShape[] {
    const x = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as SymbolicShape;
    const batch = x[0] ?? null;
    const y: SymbolicShape = this.returnSequences
      ? [batch, x[1] ?? null, this.outputSize]
      : [batch, this.outputSize];
    return this.returnState ? [y, ...this.stateSize.map((s) => [batch, s])] : y;
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      ...(this.#ownCell ? {} : { cell: serializeLayer(this.cell) }),
      returnSequences: this.returnSequences,
      returnState: this.returnState,
      goBackwards: this.goBackwards,
      stateful: this.stateful,
      unroll: this.unroll,
    };
  }
}

/** A nested layer's config as Keras writes it: { className, config }. */
export function serializeLayer(layer: Layer): ConfigDict {
  return layerRegistry.serialize(layer);
}

/** A nested layer from { className, config } (a built-in class, by the layer registry). */
export function deserializeLayer(value: unknown, where: string): Layer {
  const v = value as { className?: unknown; config?: unknown } | undefined;
  const known = typeof v?.className === 'string' && layerRegistry.has(v.className);
  if (!known || typeof v?.config !== 'object' || v.config === null) {
    throw new ConfigError(
      `${where}: expected a nested layer { class_name, config } of a known class, received ${describe(value)}; ` +
        'a cell or layer of your own must be registered (sn.registerClass) before loading.',
    );
  }
  return layerRegistry.deserialize({
    className: v.className as string,
    config: v.config as ConfigDict,
  });
}

/** The same values, outside the tape (a kept state carries no gradient into the next batch). */
function detached(t: Tensor): Tensor {
  return new Tensor(t.dataId, t.shape, t.dtype, t.store);
}

/** sn.layers.rnn({ cell }) from a config: the nested cell rebuilt first. */
export function rnnFromConfig(config: ConfigDict): RNN {
  const { cell, ...rest } = pickOptions(withoutNulls(config), RNN_OPTION_KEYS);
  return new RNN({ ...(rest as RecurrentOptions), cell: deserializeLayer(cell, 'RNN') });
}
