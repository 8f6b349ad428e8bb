import { ConfigError, describe } from '../errors.js';
import { Callback, stateFields, type Logs } from '../models/callback.js';
import {
  WarnOnce,
  checkMonitor,
  missingMonitor,
  worstValue,
  type MonitorMode,
} from '../models/callbacks/monitored-quantity.js';
import type { JsonValue } from '../serialization.js';
import {
  checkBoolean,
  checkNumber,
  checkOptionKeys,
  optionKeys,
  checkOptionalNumber,
  checkString,
} from '../validation.js';
import { save } from './files.js';
import { saveWeights } from './weights-only.js';

export interface ModelCheckpointOptions {
  /**
   * The directory to save the model in (sn.io.save's format: model.json + weights.bin). It may
   * name logged values, formatted as Python does: 'ckpt/{epoch:02d}-{val_loss:.4f}' ({epoch}
   * counts from 1; with a number saveFreq, {batch} too).
   */
  path: string;
  /** The logged quantity saveBestOnly watches. Default 'val_loss'. */
  monitor?: string;
  /** Save only when `monitor` improves on the best value so far. Default false. */
  saveBestOnly?: boolean;
  /** 'min', 'max', or 'auto' (max for acc/auc/precision/recall names, else min). Default 'auto'. */
  mode?: MonitorMode;
  /** 'epoch' (default): save at the end of each epoch; a number k: after every k batches. */
  saveFreq?: 'epoch' | number;
  /** With saveBestOnly, the value the first save must beat. Default: none. */
  initialValueThreshold?: number;
  /** Also save the optimizer's state (sn.io.save's includeOptimizer). Default false. */
  includeOptimizer?: boolean;
  /**
   * Save the weights only (sn.io.saveWeights: weights.json + weights.bin), as Keras's
   * save_weights_only; the way to checkpoint a subclassed model. Default false.
   */
  saveWeightsOnly?: boolean;
  /** 1: print each save (and each epoch that did not improve). Default 0. */
  verbose?: number;
}
const MODEL_CHECKPOINT_OPTION_KEYS = optionKeys<ModelCheckpointOptions>()({
  path: true,
  monitor: true,
  saveBestOnly: true,
  mode: true,
  saveFreq: true,
  initialValueThreshold: true,
  includeOptimizer: true,
  saveWeightsOnly: true,
  verbose: true,
});

/**
 * Saves the model during fit, as Keras 3's ModelCheckpoint: at the end of each epoch (or every
 * `saveFreq` batches), or with saveBestOnly only when `monitor` improves (strictly) on the best
 * value so far. Files are sn.io.save's, loadable by sn.io.load and TensorFlow.js; each file is
 * written atomically. For resuming a killed run exactly, use fit's `checkpoint` option.
 *
 *   model.fit(x, y, { validationSplit: 0.1, callbacks: [
 *     sn.callbacks.modelCheckpoint({ path: 'best-model', saveBestOnly: true }) ] })
 */
export class ModelCheckpoint extends Callback {
  readonly path: string;
  readonly monitor: string;
  readonly mode: 'min' | 'max';
  readonly saveBestOnly: boolean;
  readonly saveFreq: 'epoch' | number;
  readonly initialValueThreshold: number | undefined;
  readonly includeOptimizer: boolean;
  readonly saveWeightsOnly: boolean;
  readonly verbose: number;
  /** The best monitored value saved so far. */
  best: number;
  /** The directory of the latest save, if any. */
  lastSaved: string | undefined;
  #batchesSinceSave = 0;
  #epoch = 0;
  readonly #warnings = new WarnOnce();

  constructor(options: ModelCheckpointOptions) {
    super();
    const owner = 'modelCheckpoint';
    const o = checkOptionKeys(
      options,
      owner,
      MODEL_CHECKPOINT_OPTION_KEYS,
      `${owner}({ path: 'checkpoints/{epoch}', saveBestOnly: true })`,
    );
    this.path = checkString(o.path, owner, 'path', { example: "path: 'best-model'" });
    ({ monitor: this.monitor, mode: this.mode } = checkMonitor(owner, o));
    this.saveBestOnly = checkBoolean(o.saveBestOnly, owner, 'saveBestOnly', false);
    const freq = o.saveFreq ?? 'epoch';
    if (freq !== 'epoch' && !(typeof freq === 'number' && Number.isInteger(freq) && freq >= 1)) {
      throw new ConfigError(
        `${owner}: saveFreq must be 'epoch' or a number of batches (an integer >= 1), received ` +
          `${describe(freq)}; e.g. saveFreq: 100.`,
      );
    }
    this.saveFreq = freq;
    this.initialValueThreshold = checkOptionalNumber(
      o.initialValueThreshold,
      owner,
      'initialValueThreshold',
    );
    this.includeOptimizer = checkBoolean(o.includeOptimizer, owner, 'includeOptimizer', false);
    this.saveWeightsOnly = checkBoolean(o.saveWeightsOnly, owner, 'saveWeightsOnly', false);
    this.verbose = checkNumber(o.verbose, owner, 'verbose', { min: 0, integer: true, fallback: 0 });
    this.best = this.initialValueThreshold ?? worstValue(this.mode);
  }

  override async onTrainBegin(): Promise<void> {
    this.best = this.initialValueThreshold ?? worstValue(this.mode);
    this.#batchesSinceSave = 0;
    this.#warnings.reset();
  }

  override async onEpochBegin(epoch: number): Promise<void> {
    this.#epoch = epoch;
  }

  override async onBatchEnd(batch: number, logs?: Logs): Promise<void> {
    if (this.saveFreq === 'epoch') return;
    this.#batchesSinceSave += 1;
    if (this.#batchesSinceSave < this.saveFreq) return;
    this.#batchesSinceSave = 0;
    await this.#save(this.#epoch, batch, logs);
  }

  override async onEpochEnd(epoch: number, logs?: Logs): Promise<void> {
    if (this.saveFreq === 'epoch') await this.#save(epoch, undefined, logs);
  }

  /** best and the batches counted since the last save, for fit's checkpoints. */
  override getState(): JsonValue {
    return { best: this.best, batchesSinceSave: this.#batchesSinceSave };
  }

  override setState(state: JsonValue): void {
    const s = stateFields(state, 'modelCheckpoint', ['best', 'batchesSinceSave']);
    this.best = s.best as number;
    this.#batchesSinceSave = s.batchesSinceSave as number;
  }

  async #save(epoch: number, batch: number | undefined, logs: Logs = {}): Promise<void> {
    const path = formatPath(this.path, {
      ...logs,
      epoch: epoch + 1,
      ...(batch === undefined ? {} : { batch: batch + 1 }),
    });
    const where = `Epoch ${epoch + 1}${batch === undefined ? '' : `, batch ${batch + 1}`}`;
    if (this.saveBestOnly) {
      const current = logs[this.monitor];
      if (current === undefined) {
        this.#warnings.warn('monitor', missingMonitor('modelCheckpoint', this.monitor, logs));
        return;
      }
      const better = this.mode === 'min' ? current < this.best : current > this.best;
      if (!better) {
        if (this.verbose > 0) {
          console.log(`${where}: ${this.monitor} did not improve from ${this.best}.`);
        }
        return;
      }
      if (this.verbose > 0) {
        console.log(
          `${where}: ${this.monitor} improved from ${this.best} to ${current}, saving the model to ${path}.`,
        );
      }
      this.best = current;
    } else if (this.verbose > 0) {
      console.log(`${where}: saving the model to ${path}.`);
    }
    if (this.saveWeightsOnly) await saveWeights(this.model, path);
    else {
      await save(this.model, path, {
        includeOptimizer: this.includeOptimizer,
        onWarning: (m) => this.#warnings.warn(m, `sinew: modelCheckpoint: ${m}`),
      });
    }
    this.lastSaved = path;
  }
}

export function modelCheckpoint(options: ModelCheckpointOptions): ModelCheckpoint {
  return new ModelCheckpoint(options);
}

/**
 * `path` with each {name} or {name:spec} replaced by the logged value, spec as Python's
 * format: '02d' (integer, zero-padded to 2), '.4f' (4 decimals), '.3e' (exponent), 'd'.
 */
function formatPath(path: string, values: Logs): string {
  return path.replace(/\{([A-Za-z_][\w]*)(?::([^}]*))?\}/g, (_m, key: string, spec?: string) => {
    const value = values[key];
    if (value === undefined) {
      throw new ConfigError(
        `modelCheckpoint: path ${describe(path)} names {${key}}, which is not logged; ` +
          `available: ${Object.keys(values).join(', ')}.`,
      );
    }
    if (spec === undefined || spec === '') return String(value);
    const m = /^(0?)(\d*)(?:\.(\d+))?([dfeg])$/.exec(spec);
    if (!m) {
      throw new ConfigError(
        `modelCheckpoint: path ${describe(path)} has format {${key}:${spec}}; supported ` +
          "formats are 'd', '02d', '.4f', '.3e' and '.3g'.",
      );
    }
    const [, zero, width, precision, kind] = m;
    const digits = precision === undefined ? undefined : Number(precision);
    let text =
      kind === 'd'
        ? String(Math.trunc(value))
        : kind === 'f'
          ? value.toFixed(digits ?? 6)
          : kind === 'e'
            ? value.toExponential(digits ?? 6).replace(/e([+-])(\d)$/, 'e$10$2')
            : String(Number(value.toPrecision(digits ?? 6)));
    if (width) {
      const n = Number(width);
      if (zero) {
        const sign = text.startsWith('-') ? '-' : '';
        text = sign + text.slice(sign.length).padStart(n - sign.length, '0');
      } else text = text.padStart(n, ' ');
    }
    return text;
  });
}
