import { noGrad } from '../../autograd/tape.js';
import { ConfigError, describe } from '../../errors.js';
import { withTap, type LayerTap } from '../../layers/taps.js';
import { Callback, type Logs } from '../../models/callback.js';
import { isTensor, type Tensor } from '../../tensor/tensor.js';
import { checkNumber, checkOptionKeys, optionKeys, checkString } from '../../validation.js';
import type { SummaryValue } from './events.js';
import { DEFAULT_BUCKETS, histogramOf } from './histogram.js';
import { loadNode, type NodeModules } from './node.js';
import { EventFileWriter } from './writer.js';

export interface TensorBoardOptions {
  /**
   * Write histograms every this many epochs (epochs 0, f, 2f, ..., as Keras); 0 writes none.
   * Default 1.
   */
  histogramFreq?: number;
  /**
   * A batch (one tensor per model input) run through the model in inference mode whenever
   * histograms are written, to histogram every layer's output (`<layer>/activation`) and, for
   * Dense and Activation layers, the value before the activation function
   * (`<layer>/pre_activation`). Default none: weight histograms only.
   */
  probe?: Tensor | Tensor[];
  /** Equal-width buckets per histogram (tf.summary.histogram's default). Default 30. */
  histogramBuckets?: number;
}
const TENSORBOARD_OPTION_KEYS = optionKeys<TensorBoardOptions>()({
  histogramFreq: true,
  probe: true,
  histogramBuckets: true,
});

/**
 * Writes TensorBoard event files (Node.js only), laid out as Keras's callback does:
 * `<logdir>/train/events.out.tfevents.*` and `<logdir>/validation/events.out.tfevents.*`.
 *
 * At each epoch's end, every log becomes a scalar at step = epoch: `loss` is written as
 * `epoch_loss` under train/, `val_loss` as `epoch_loss` under validation/ (so TensorBoard
 * draws both runs on one chart), and likewise `epoch_regularization_loss` and every metric.
 * Every `histogramFreq` epochs, under train/: a histogram of every weight (`dense/kernel`,
 * `dense/bias`, ...) and, given a `probe` batch, of every layer's activations and
 * pre-activations — which Keras no longer logs — so a sparsity penalty's effect is visible.
 *
 * Histograms use `histogramBuckets` equal-width buckets between the values' min and max. Each
 * fit starts new event files. The probe pass runs the model with `training: false` under
 * noGrad; like any forward pass it refreshes the layers' recorded activity penalties
 * (`model.lossTerms()`), which the next training step recomputes.
 *
 *   await model.fit(x, y, {
 *     epochs: 20,
 *     validationSplit: 0.1,
 *     callbacks: [sn.callbacks.tensorBoard('logs/run1', { probe: sn.slice(xTest, 0, { size: [256] }) })],
 *   });
 *   // then: tensorboard --logdir logs
 */
export class TensorBoard extends Callback {
  readonly logdir: string;
  readonly histogramFreq: number;
  readonly histogramBuckets: number;
  readonly probe: readonly Tensor[] | undefined;
  #node: NodeModules | undefined;
  #train: EventFileWriter | undefined;
  #validation: EventFileWriter | undefined;

  constructor(logdir: string, options: TensorBoardOptions = {}) {
    super();
    const owner = 'tensorBoard';
    const example = `${owner}('logs/run1', { histogramFreq: 1 })`;
    this.logdir = checkString(logdir, owner, 'logdir', { example });
    const o = checkOptionKeys(options, owner, TENSORBOARD_OPTION_KEYS, example);
    this.histogramFreq = checkNumber(o.histogramFreq, owner, 'histogramFreq', {
      min: 0,
      integer: true,
      fallback: 1,
    });
    this.histogramBuckets = checkNumber(o.histogramBuckets, owner, 'histogramBuckets', {
      min: 1,
      integer: true,
      fallback: DEFAULT_BUCKETS,
    });
    this.probe = checkProbe(o.probe, owner);
  }

  /** The event files written so far in this fit (train first, then validation if any). */
  get files(): string[] {
    return [this.#train, this.#validation].flatMap((w) => (w ? [w.path] : []));
  }

  override async onTrainBegin(): Promise<void> {
    this.#node ??= await loadNode('tensorBoard');
    this.#train = new EventFileWriter(this.#node, this.#node.path.join(this.logdir, 'train'));
    this.#validation = undefined;
  }

  override async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    const node = this.#node;
    const train = this.#train;
    if (node === undefined || train === undefined) {
      throw new Error('internal: tensorBoard.onEpochEnd before onTrainBegin');
    }
    const trainValues: SummaryValue[] = [];
    const validationValues: SummaryValue[] = [];
    for (const [key, value] of Object.entries(logs)) {
      if (key.startsWith('val_')) {
        validationValues.push({ tag: `epoch_${key.slice(4)}`, simpleValue: value });
      } else {
        trainValues.push({ tag: `epoch_${key}`, simpleValue: value });
      }
    }
    if (this.histogramFreq > 0 && epoch % this.histogramFreq === 0) {
      trainValues.push(...this.#weightHistograms(), ...this.#activationHistograms());
    }
    train.write(epoch, trainValues);
    if (validationValues.length > 0) {
      this.#validation ??= new EventFileWriter(node, node.path.join(this.logdir, 'validation'));
      this.#validation.write(epoch, validationValues);
    }
  }

  /** `<layer>/<weight>` for every weight of the model (nested models' included). */
  #weightHistograms(): SummaryValue[] {
    const tags = new UniqueTags();
    return this.model.weights.map((w) => ({
      tag: tags.next(w.name),
      histo: histogramOf(w.dataSync(), this.histogramBuckets),
    }));
  }

  /**
   * `<layer>/activation` (`_1`, `_2`, ... for further outputs) and `<layer>/pre_activation` on
   * the probe batch; a layer called several times (shared) gets its values pooled.
   */
  #activationHistograms(): SummaryValue[] {
    const probe = this.probe;
    if (probe === undefined) return [];
    const model = this.model;
    const pooled = new Map<string, number[]>();
    const add = (tag: string, t: Tensor): void => {
      const into = pooled.get(tag) ?? [];
      for (const v of t.dataSync()) into.push(Number(v));
      pooled.set(tag, into);
    };
    const tap: LayerTap = {
      onPreActivation(layer, pre) {
        add(`${layer.name}/pre_activation`, pre);
      },
      onOutput(layer, _inputs, outputs) {
        if (layer === model) return; // the model reports its own output too: its last layer's
        outputs.forEach((out, i) => add(`${layer.name}/activation${i === 0 ? '' : `_${i}`}`, out));
      },
    };
    if (model.singleInput && probe.length !== 1) {
      throw new ConfigError(
        `tensorBoard: the model has one input, but probe is a list of ${probe.length} tensors; ` +
          `pass a single tensor.`,
      );
    }
    try {
      noGrad(() =>
        withTap(tap, () =>
          model.apply(model.singleInput ? probe[0]! : [...probe], { training: false }),
        ),
      );
    } catch (cause) {
      throw new ConfigError(
        `tensorBoard: the probe batch could not be run through the model ` +
          `(${cause instanceof Error ? cause.message : String(cause)}); ` +
          `pass probe: a batch shaped like the training inputs, one tensor per model input.`,
        { cause },
      );
    }
    return [...pooled].map(([tag, values]) => ({
      tag,
      histo: histogramOf(values, this.histogramBuckets),
    }));
  }
}

/** Tags made unique by a `_1`, `_2`, ... suffix (two weights of the same name in nested models). */
class UniqueTags {
  readonly #seen = new Set<string>();
  next(tag: string): string {
    let unique = tag;
    for (let n = 1; this.#seen.has(unique); n++) unique = `${tag}_${n}`;
    this.#seen.add(unique);
    return unique;
  }
}

function checkProbe(probe: unknown, owner: string): Tensor[] | undefined {
  if (probe === undefined) return undefined;
  const list = Array.isArray(probe) ? (probe as unknown[]) : [probe];
  if (list.length > 0 && list.every(isTensor)) return list;
  throw new ConfigError(
    `${owner}: probe must be a Tensor (or one Tensor per model input), received ${describe(probe)}; ` +
      `e.g. probe: sn.slice(xTrain, 0, { size: [256] }).`,
  );
}

/** `sn.callbacks.tensorBoard(logdir, options)`: see TensorBoard. */
export function tensorBoard(logdir: string, options?: TensorBoardOptions): TensorBoard {
  return new TensorBoard(logdir, options);
}
