import { ConfigError, describe } from '../errors.js';
import { checkBoolean, checkKeys, checkNumber } from '../optimizers/options.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import type * as NodeFsModule from 'node:fs';
import type { Tensor } from '../tensor/tensor.js';
import { Callback, type Logs, type TrainingParams } from './callback.js';
import type { Model } from './model.js';

/**
 * fit's built-in callbacks, named as TensorFlow.js (`sn.callbacks.earlyStopping({...})`) and
 * behaving as Keras 3 (`keras.callbacks.EarlyStopping`, ...), plus the CallbackList that fit
 * uses to call them. Each factory takes an options object; bad options throw a ConfigError.
 */

export type MonitorMode = 'auto' | 'min' | 'max';

/** Metric names where larger is better; 'auto' mode maximizes a name containing one of them. */
const LARGER_IS_BETTER = ['acc', 'auc', 'precision', 'recall'];

/**
 * The direction of `mode` for `monitor`: 'auto' means 'max' for accuracy-like names
 * (containing acc, auc, precision or recall: 'val_accuracy', 'auc') and 'min' otherwise.
 */
export function resolveMode(monitor: string, mode: MonitorMode): 'min' | 'max' {
  if (mode !== 'auto') return mode;
  return LARGER_IS_BETTER.some((s) => monitor.includes(s)) ? 'max' : 'min';
}

function checkMonitor(owner: string, value: unknown): string {
  if (value === undefined) return 'val_loss';
  if (typeof value !== 'string' || value === '') {
    throw new ConfigError(
      `${owner}: monitor must be the name of a logged quantity, received ${describe(value)}; ` +
        `e.g. monitor: 'val_loss'.`,
    );
  }
  return value;
}

function checkMode(owner: string, value: unknown): MonitorMode {
  if (value === undefined) return 'auto';
  if (value !== 'auto' && value !== 'min' && value !== 'max') {
    throw new ConfigError(
      `${owner}: mode must be 'auto', 'min' or 'max', received ${describe(value)}.`,
    );
  }
  return value;
}

const count = { min: 0, integer: true };

/** The optimizer of a compiled model, or a ConfigError naming the callback. */
function optimizerOf(owner: string, model: Model | undefined): Optimizer {
  const optimizer = model?.compiled?.optimizer;
  if (optimizer === undefined) {
    throw new ConfigError(
      `${owner}: the model has no optimizer; call model.compile({ optimizer, loss }) before fit.`,
    );
  }
  return optimizer;
}

/** The warnings a callback has already printed, so that each is printed once. */
class WarnOnce {
  readonly #seen = new Set<string>();
  warn(key: string, message: string): void {
    if (this.#seen.has(key)) return;
    this.#seen.add(key);
    console.warn(message);
  }
  reset(): void {
    this.#seen.clear();
  }
}

function missingMonitor(owner: string, monitor: string, logs: Logs | undefined): string {
  const keys = Object.keys(logs ?? {});
  return (
    `${owner}: the monitored quantity '${monitor}' is not in the logs, so it is ignored; ` +
    `available: ${keys.length ? keys.join(', ') : '(none)'}` +
    (monitor.startsWith('val_')
      ? ' (val_ quantities need validationData or validationSplit).'
      : '.')
  );
}

// ---------------------------------------------------------------------------------------
// earlyStopping

export interface EarlyStoppingOptions {
  /** The logged quantity to watch. Default 'val_loss'. */
  monitor?: string;
  /** A change smaller than this (in absolute value) is no improvement. Default 0. */
  minDelta?: number;
  /** Epochs without improvement after which training stops. Default 0. */
  patience?: number;
  /** 'min', 'max', or 'auto' (max for acc/auc/precision/recall names, else min). Default 'auto'. */
  mode?: MonitorMode;
  /** Stop unless the quantity improves on this value within `patience` epochs. */
  baseline?: number;
  /** At the end of training, set the weights of the best epoch. Default false. */
  restoreBestWeights?: boolean;
  /** Epochs to let pass (a warm-up) before watching. Default 0. */
  startFromEpoch?: number;
  /** 1: print when it stops and when it restores weights. Default 0. */
  verbose?: number;
}

/**
 * Stops training when `monitor` has not improved for `patience` epochs, as Keras 3's
 * EarlyStopping. An epoch improves when `current − minDelta < best` ('min'; `current − minDelta
 * > best` for 'max'). A counter `wait` counts epochs since the last improvement (an
 * improvement that does not also beat `baseline` does not reset it); training stops at the
 * first non-improving epoch (after the first) where `wait >= patience`. With
 * restoreBestWeights the weights of the best epoch are restored when training ends, whether
 * it stopped early or ran all its epochs. A monitored quantity missing from the logs prints
 * one warning listing the logged ones, and the epoch is ignored.
 *
 *   model.fit(x, y, { callbacks: [sn.callbacks.earlyStopping({ patience: 3, restoreBestWeights: true })] })
 */
export class EarlyStopping extends Callback {
  readonly monitor: string;
  readonly mode: 'min' | 'max';
  /** Always >= 0 (Keras takes the absolute value). */
  readonly minDelta: number;
  readonly patience: number;
  readonly baseline: number | undefined;
  readonly restoreBestWeights: boolean;
  readonly startFromEpoch: number;
  readonly verbose: number;
  /** Epochs since the last improvement. */
  wait = 0;
  /** The epoch (0-based) at which it stopped training; 0 if it did not stop it. */
  stoppedEpoch = 0;
  /** The epoch (0-based) with the best monitored value. */
  bestEpoch = 0;
  /** The best monitored value so far (±Infinity before the first). */
  best: number;
  #bestWeights: Tensor[] | undefined;
  readonly #warnings = new WarnOnce();

  constructor(options: EarlyStoppingOptions = {}) {
    super();
    const owner = 'earlyStopping';
    const o = checkKeys(
      owner,
      options,
      [
        'monitor',
        'minDelta',
        'patience',
        'mode',
        'baseline',
        'restoreBestWeights',
        'startFromEpoch',
        'verbose',
      ],
      `${owner}({ monitor: 'val_loss', patience: 3 })`,
    );
    this.monitor = checkMonitor(owner, o.monitor);
    this.mode = resolveMode(this.monitor, checkMode(owner, o.mode));
    this.minDelta = Math.abs(checkNumber(owner, 'minDelta', o.minDelta, {}, 0));
    this.patience = checkNumber(owner, 'patience', o.patience, count, 0);
    this.baseline = checkNumber(owner, 'baseline', o.baseline, {});
    this.restoreBestWeights = checkBoolean(
      owner,
      'restoreBestWeights',
      o.restoreBestWeights,
      false,
    );
    this.startFromEpoch = checkNumber(owner, 'startFromEpoch', o.startFromEpoch, count, 0);
    this.verbose = checkNumber(owner, 'verbose', o.verbose, count, 0);
    this.best = this.#worst();
  }

  #worst(): number {
    return this.mode === 'min' ? Infinity : -Infinity;
  }

  #isImprovement(value: number, reference: number): boolean {
    return this.mode === 'min'
      ? value + this.minDelta < reference
      : value - this.minDelta > reference;
  }

  // Keras 3 keeps `best` between fit calls; sinew resets it too, so a reused instance starts afresh.
  override async onTrainBegin(): Promise<void> {
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.bestEpoch = 0;
    this.best = this.#worst();
    this.#bestWeights = undefined;
    this.#warnings.reset();
  }

  override async onEpochEnd(epoch: number, logs?: Logs): Promise<void> {
    const current = logs?.[this.monitor];
    if (current === undefined) {
      this.#warnings.warn('monitor', missingMonitor('earlyStopping', this.monitor, logs));
      return;
    }
    if (epoch < this.startFromEpoch) return;
    if (this.restoreBestWeights && this.#bestWeights === undefined) {
      // Until an epoch improves, the first watched epoch counts as the best.
      this.#bestWeights = this.model.getWeights();
      this.bestEpoch = epoch;
    }
    this.wait += 1;
    if (this.#isImprovement(current, this.best)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights) this.#bestWeights = this.model.getWeights();
      if (this.baseline === undefined || this.#isImprovement(current, this.baseline)) this.wait = 0;
      return;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      this.model.stopTraining = true;
    }
  }

  override async onTrainEnd(): Promise<void> {
    if (this.stoppedEpoch > 0 && this.verbose > 0) {
      console.log(`Epoch ${this.stoppedEpoch + 1}: early stopping`);
    }
    if (this.restoreBestWeights && this.#bestWeights !== undefined) {
      if (this.verbose > 0) {
        console.log(
          `Restoring model weights from the end of the best epoch: ${this.bestEpoch + 1}.`,
        );
      }
      this.model.setWeights(this.#bestWeights);
    }
  }
}

export function earlyStopping(options?: EarlyStoppingOptions): EarlyStopping {
  return new EarlyStopping(options);
}

// ---------------------------------------------------------------------------------------
// reduceLROnPlateau

export interface ReduceLROnPlateauOptions {
  /** The logged quantity to watch. Default 'val_loss'. */
  monitor?: string;
  /** new learning rate = old · factor; in (0, 1). Default 0.1. */
  factor?: number;
  /** Epochs without improvement after which the learning rate is reduced. Default 10. */
  patience?: number;
  /** 'min', 'max', or 'auto' (max for acc/auc/precision/recall names, else min). Default 'auto'. */
  mode?: MonitorMode;
  /** An improvement must beat the best by more than this. Default 1e-4. */
  minDelta?: number;
  /** Epochs to wait after a reduction before counting again. Default 0. */
  cooldown?: number;
  /** The learning rate is never reduced below this. Default 0. */
  minLr?: number;
  /** 1: print each reduction. Default 0. */
  verbose?: number;
}

/**
 * Multiplies the optimizer's learning rate by `factor` when `monitor` has not improved (by
 * more than minDelta) for `patience` epochs, never below minLr, then waits `cooldown`
 * epochs, as Keras 3's ReduceLROnPlateau. It writes `model.compiled.optimizer.learningRate`;
 * an optimizer whose learning rate is a schedule is left alone (with one warning). As Keras,
 * it adds `learning_rate` to each epoch's logs: the rate used during that epoch (before any
 * reduction at its end).
 */
export class ReduceLROnPlateau extends Callback {
  readonly monitor: string;
  readonly mode: 'min' | 'max';
  readonly factor: number;
  readonly patience: number;
  readonly minDelta: number;
  readonly cooldown: number;
  readonly minLr: number;
  readonly verbose: number;
  wait = 0;
  cooldownCounter = 0;
  best: number;
  readonly #warnings = new WarnOnce();

  constructor(options: ReduceLROnPlateauOptions = {}) {
    super();
    const owner = 'reduceLROnPlateau';
    const o = checkKeys(
      owner,
      options,
      ['monitor', 'factor', 'patience', 'mode', 'minDelta', 'cooldown', 'minLr', 'verbose'],
      `${owner}({ monitor: 'val_loss', factor: 0.5, patience: 5 })`,
    );
    this.monitor = checkMonitor(owner, o.monitor);
    this.mode = resolveMode(this.monitor, checkMode(owner, o.mode));
    const unit = { min: 0, minExclusive: true, max: 1, maxExclusive: true };
    this.factor = checkNumber(owner, 'factor', o.factor, unit, 0.1);
    this.patience = checkNumber(owner, 'patience', o.patience, count, 10);
    this.minDelta = checkNumber(owner, 'minDelta', o.minDelta, { min: 0 }, 1e-4);
    this.cooldown = checkNumber(owner, 'cooldown', o.cooldown, count, 0);
    this.minLr = checkNumber(owner, 'minLr', o.minLr, { min: 0 }, 0);
    this.verbose = checkNumber(owner, 'verbose', o.verbose, count, 0);
    this.best = this.#worst();
  }

  #worst(): number {
    return this.mode === 'min' ? Infinity : -Infinity;
  }

  #isImprovement(value: number): boolean {
    return this.mode === 'min'
      ? value < this.best - this.minDelta
      : value > this.best + this.minDelta;
  }

  override async onTrainBegin(): Promise<void> {
    this.wait = 0;
    this.cooldownCounter = 0;
    this.best = this.#worst();
    this.#warnings.reset();
  }

  override async onEpochEnd(epoch: number, logs?: Logs): Promise<void> {
    const owner = 'reduceLROnPlateau';
    const optimizer = optimizerOf(owner, this.model);
    if (logs) logs.learning_rate = optimizer.currentLearningRate();
    const current = logs?.[this.monitor];
    if (current === undefined) {
      this.#warnings.warn('monitor', missingMonitor(owner, this.monitor, logs));
      return;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.wait = 0;
    }
    if (this.#isImprovement(current)) {
      this.best = current;
      this.wait = 0;
      return;
    }
    if (this.cooldownCounter > 0) return;
    this.wait += 1;
    if (this.wait < this.patience) return;
    const lr = optimizer.learningRate;
    if (typeof lr !== 'number') {
      this.#warnings.warn(
        'schedule',
        `${owner}: the optimizer's learningRate is a schedule, which this callback cannot ` +
          `reduce; it leaves it alone. Pass a number as learningRate to use ${owner}.`,
      );
      return;
    }
    if (lr > this.minLr) {
      const newLr = Math.max(lr * this.factor, this.minLr);
      optimizer.learningRate = newLr;
      if (this.verbose > 0) {
        console.log(`Epoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${newLr}.`);
      }
      this.cooldownCounter = this.cooldown;
      this.wait = 0;
    }
  }
}

export function reduceLROnPlateau(options?: ReduceLROnPlateauOptions): ReduceLROnPlateau {
  return new ReduceLROnPlateau(options);
}

// ---------------------------------------------------------------------------------------
// learningRateScheduler

export interface LearningRateSchedulerOptions {
  /** 1: print the learning rate set at each epoch. Default 0. */
  verbose?: number;
}

/**
 * Sets the optimizer's learning rate at the start of each epoch to `schedule(epoch, lr)`
 * (epoch 0-based, lr the current learning rate), as Keras's LearningRateScheduler. As Keras,
 * it adds `learning_rate` to each epoch's logs. The optimizer's learningRate must be a number
 * (not a schedule, which this would overwrite).
 *
 *   sn.callbacks.learningRateScheduler((epoch, lr) => (epoch < 10 ? lr : lr * Math.exp(-0.1)))
 */
export class LearningRateScheduler extends Callback {
  readonly schedule: (epoch: number, lr: number) => number;
  readonly verbose: number;

  constructor(
    schedule: (epoch: number, lr: number) => number,
    options: LearningRateSchedulerOptions = {},
  ) {
    super();
    const owner = 'learningRateScheduler';
    if (typeof schedule !== 'function') {
      throw new ConfigError(
        `${owner}: schedule must be a function (epoch, lr) => number, received ${describe(schedule)}; ` +
          `e.g. ${owner}((epoch, lr) => lr * 0.9).`,
      );
    }
    const o = checkKeys(owner, options, ['verbose'], `${owner}(schedule, { verbose: 1 })`);
    this.schedule = schedule;
    this.verbose = checkNumber(owner, 'verbose', o.verbose, count, 0);
  }

  override async onEpochBegin(epoch: number): Promise<void> {
    const owner = 'learningRateScheduler';
    const optimizer = optimizerOf(owner, this.model);
    const lr = optimizer.learningRate;
    if (typeof lr !== 'number') {
      throw new ConfigError(
        `${owner}: the optimizer's learningRate is a schedule, which this callback would ` +
          `overwrite; use one or the other (pass a number as the optimizer's learningRate).`,
      );
    }
    const next = this.schedule(epoch, lr);
    // The optimizer accepts a learning rate > 0 (see Optimizer.learningRate).
    if (typeof next !== 'number' || !Number.isFinite(next) || next <= 0) {
      throw new ConfigError(
        `${owner}: the schedule returned ${describe(next)} at epoch ${epoch} (lr ${lr}); ` +
          `it must return a finite number > 0.`,
      );
    }
    optimizer.learningRate = next;
    if (this.verbose > 0) {
      console.log(`Epoch ${epoch + 1}: LearningRateScheduler setting learning rate to ${next}.`);
    }
  }

  override async onEpochEnd(_epoch: number, logs?: Logs): Promise<void> {
    if (logs)
      logs.learning_rate = optimizerOf('learningRateScheduler', this.model).currentLearningRate();
  }
}

export function learningRateScheduler(
  schedule: (epoch: number, lr: number) => number,
  options?: LearningRateSchedulerOptions,
): LearningRateScheduler {
  return new LearningRateScheduler(schedule, options);
}

// ---------------------------------------------------------------------------------------
// terminateOnNaN

/**
 * Stops training at the first batch whose `loss` is NaN or ±Infinity, and restores the
 * weights from before that batch (so its non-finite gradients never reach the model; the
 * optimizer's own state, such as Adam's moments, is not rolled back). Prints one line naming
 * the epoch and batch. Keras's TerminateOnNaN only stops.
 */
export class TerminateOnNaN extends Callback {
  #epoch = 0;
  #before: Tensor[] | undefined;

  override async onEpochBegin(epoch: number): Promise<void> {
    this.#epoch = epoch;
  }

  override async onBatchBegin(): Promise<void> {
    // Free: tensors are immutable and assign swaps handles, so this is a snapshot.
    this.#before = this.model.getWeights();
  }

  override async onBatchEnd(batch: number, logs?: Logs): Promise<void> {
    const loss = logs?.loss;
    if (loss === undefined || Number.isFinite(loss)) return;
    if (this.#before !== undefined) this.model.setWeights(this.#before);
    this.model.stopTraining = true;
    const steps = this.params?.steps ? ` of ${this.params.steps}` : '';
    console.log(
      `TerminateOnNaN: loss is ${loss} at epoch ${this.#epoch + 1}, batch ${batch + 1}${steps}; ` +
        `training stopped, weights restored to those before that batch.`,
    );
  }
}

export function terminateOnNaN(): TerminateOnNaN {
  return new TerminateOnNaN();
}

// ---------------------------------------------------------------------------------------
// csvLogger

export interface CSVLoggerOptions {
  /** Between fields. Default ','. */
  separator?: string;
  /** Add to an existing file (no header if it is not empty) instead of overwriting it. Default false. */
  append?: boolean;
}

type NodeFs = typeof NodeFsModule;

/**
 * Writes one row per epoch to a CSV file (Node.js only): `epoch`, then the epoch's logs in
 * the order of the first epoch's keys (a later missing key is written `NA`, a later new key
 * is left out). A header row starts the file unless appending to a non-empty one. Each epoch
 * is one `appendFileSync` of whole lines (a single append write), so the file never holds half
 * a row. Fields holding the separator, a quote or a newline are quoted as CSV.
 */
export class CSVLogger extends Callback {
  readonly filename: string;
  readonly separator: string;
  readonly append: boolean;
  #fs: NodeFs | undefined;
  #keys: string[] | undefined;
  #header = true;

  constructor(filename: string, options: CSVLoggerOptions = {}) {
    super();
    const owner = 'csvLogger';
    if (typeof filename !== 'string' || filename === '') {
      throw new ConfigError(
        `${owner}: filename must be a non-empty string, received ${describe(filename)}; ` +
          `e.g. ${owner}('training.csv').`,
      );
    }
    const o = checkKeys(
      owner,
      options,
      ['separator', 'append'],
      `${owner}('log.csv', { append: true })`,
    );
    const separator = o.separator ?? ',';
    if (typeof separator !== 'string' || separator === '' || /["\r\n]/.test(separator)) {
      throw new ConfigError(
        `${owner}: separator must be a non-empty string without quotes or newlines, ` +
          `received ${describe(separator)}; e.g. separator: ';'.`,
      );
    }
    this.filename = filename;
    this.separator = separator;
    this.append = checkBoolean(owner, 'append', o.append, false);
  }

  override async onTrainBegin(): Promise<void> {
    let fs: NodeFs;
    try {
      fs = await import('node:fs');
    } catch (cause) {
      throw new ConfigError(
        `csvLogger: writing files needs Node.js (node:fs could not be loaded).`,
        {
          cause,
        },
      );
    }
    this.#fs = fs;
    this.#keys = undefined;
    if (this.append) {
      this.#header = !(fs.existsSync(this.filename) && fs.statSync(this.filename).size > 0);
    } else {
      fs.writeFileSync(this.filename, '');
      this.#header = true;
    }
  }

  override async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    const fs = this.#fs;
    if (fs === undefined) throw new Error('internal: csvLogger.onEpochEnd before onTrainBegin');
    const keys = (this.#keys ??= Object.keys(logs));
    const row = (fields: string[]): string =>
      fields.map((f) => this.#quote(f)).join(this.separator) + '\n';
    let text = this.#header ? row(['epoch', ...keys]) : '';
    text += row([String(epoch), ...keys.map((k) => (k in logs ? String(logs[k]) : 'NA'))]);
    fs.appendFileSync(this.filename, text);
    this.#header = false;
  }

  #quote(field: string): string {
    if (!field.includes(this.separator) && !/["\r\n]/.test(field)) return field;
    return `"${field.replaceAll('"', '""')}"`;
  }
}

export function csvLogger(filename: string, options?: CSVLoggerOptions): CSVLogger {
  return new CSVLogger(filename, options);
}

// ---------------------------------------------------------------------------------------
// lambdaCallback

type Hook<A extends unknown[]> = (...args: A) => void | Promise<void>;

/** Plain functions for any of the hooks (as TensorFlow.js's CustomCallbackArgs). */
export interface LambdaCallbackOptions {
  onTrainBegin?: Hook<[logs?: Logs]>;
  onTrainEnd?: Hook<[logs?: Logs]>;
  onEpochBegin?: Hook<[epoch: number, logs?: Logs]>;
  onEpochEnd?: Hook<[epoch: number, logs?: Logs]>;
  onBatchBegin?: Hook<[batch: number, logs?: Logs]>;
  onBatchEnd?: Hook<[batch: number, logs?: Logs]>;
}

const HOOKS = [
  'onTrainBegin',
  'onTrainEnd',
  'onEpochBegin',
  'onEpochEnd',
  'onBatchBegin',
  'onBatchEnd',
] as const;

/**
 * A callback made of plain (possibly async) functions, as Keras's LambdaCallback:
 *
 *   sn.callbacks.lambdaCallback({ onEpochEnd: (epoch, logs) => console.log(epoch, logs?.loss) })
 */
export class LambdaCallback extends Callback {
  readonly #hooks: LambdaCallbackOptions;

  constructor(hooks: LambdaCallbackOptions) {
    super();
    const owner = 'lambdaCallback';
    const o = checkKeys(owner, hooks, HOOKS, `${owner}({ onEpochEnd: (epoch, logs) => {...} })`);
    for (const name of HOOKS) {
      if (o[name] !== undefined && typeof o[name] !== 'function') {
        throw new ConfigError(
          `${owner}: ${name} must be a function, received ${describe(o[name])}.`,
        );
      }
    }
    this.#hooks = { ...hooks };
  }

  override async onTrainBegin(logs?: Logs): Promise<void> {
    await this.#hooks.onTrainBegin?.(logs);
  }
  override async onTrainEnd(logs?: Logs): Promise<void> {
    await this.#hooks.onTrainEnd?.(logs);
  }
  override async onEpochBegin(epoch: number, logs?: Logs): Promise<void> {
    await this.#hooks.onEpochBegin?.(epoch, logs);
  }
  override async onEpochEnd(epoch: number, logs?: Logs): Promise<void> {
    await this.#hooks.onEpochEnd?.(epoch, logs);
  }
  override async onBatchBegin(batch: number, logs?: Logs): Promise<void> {
    await this.#hooks.onBatchBegin?.(batch, logs);
  }
  override async onBatchEnd(batch: number, logs?: Logs): Promise<void> {
    await this.#hooks.onBatchEnd?.(batch, logs);
  }
}

export function lambdaCallback(hooks: LambdaCallbackOptions): LambdaCallback {
  return new LambdaCallback(hooks);
}

// ---------------------------------------------------------------------------------------
// CallbackList

/** What fit's `callbacks` option accepts: callbacks, or plain objects of hook functions. */
export type CallbackLike = Callback | LambdaCallbackOptions;

/**
 * The callbacks of one fit: sets their model and params and calls each hook on every
 * callback in order, awaiting each. All of them get the same logs object (so a callback that
 * adds `learning_rate` shows it to the ones after it). Plain objects of hook functions are
 * wrapped in a LambdaCallback, as TensorFlow.js accepts `callbacks: { onEpochEnd }`.
 */
export class CallbackList {
  readonly callbacks: Callback[] = [];

  constructor(callbacks: CallbackLike | readonly CallbackLike[] = []) {
    const list = Array.isArray(callbacks) ? callbacks : [callbacks];
    for (const c of list) this.append(c);
  }

  append(callback: CallbackLike): void {
    if (callback instanceof Callback) {
      this.callbacks.push(callback);
    } else if (typeof callback === 'object' && callback !== null && !Array.isArray(callback)) {
      this.callbacks.push(new LambdaCallback(callback));
    } else {
      throw new ConfigError(
        `callbacks: expected Callback objects (e.g. sn.callbacks.earlyStopping()) or objects of ` +
          `hook functions ({ onEpochEnd: (epoch, logs) => ... }), received ${describe(callback)}.`,
      );
    }
  }

  setModel(model: Model): void {
    for (const c of this.callbacks) c.setModel(model);
  }
  setParams(params: TrainingParams): void {
    for (const c of this.callbacks) c.setParams(params);
  }

  async onTrainBegin(logs?: Logs): Promise<void> {
    for (const c of this.callbacks) await c.onTrainBegin(logs);
  }
  async onTrainEnd(logs?: Logs): Promise<void> {
    for (const c of this.callbacks) await c.onTrainEnd(logs);
  }
  async onEpochBegin(epoch: number, logs?: Logs): Promise<void> {
    for (const c of this.callbacks) await c.onEpochBegin(epoch, logs);
  }
  async onEpochEnd(epoch: number, logs?: Logs): Promise<void> {
    for (const c of this.callbacks) await c.onEpochEnd(epoch, logs);
  }
  async onBatchBegin(batch: number, logs?: Logs): Promise<void> {
    for (const c of this.callbacks) await c.onBatchBegin(batch, logs);
  }
  async onBatchEnd(batch: number, logs?: Logs): Promise<void> {
    for (const c of this.callbacks) await c.onBatchEnd(batch, logs);
  }
}
