import type { Metric } from '../../metrics/metric.js';
import { Random, randomFor, withGenerator } from '../../tensor/random.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { Logs, TrainingParams } from '../callback.js';
import { CallbackList, type CallbackLike } from '../callbacks/index.js';
import {
  callbackStates,
  layerRngStates,
  metricStates,
  restoreCallbacks,
  type TrainingState,
} from '../checkpoint/state.js';
import { History } from '../history.js';
import type { Model } from '../model.js';
import { ProgressLogger } from '../progress.js';
import { metricResults, stepScope, type Tracker } from './batch.js';
import type { Compiled } from './compile.js';
import { nonFiniteLossWarning } from './non-finite.js';
import { fitStep } from './step.js';

/**
 * What fit (tensors) and fitDataset (a stream) share: the callbacks, history and progress bar
 * around training, one training batch between onBatchBegin and onBatchEnd, and the training
 * state written to checkpoints.
 */

/**
 * A run's generator for dropout and noise. A seeded run owns one and installs it as the global
 * generator only for the synchronous span of each step (`inStep`), so it draws the same
 * numbers whatever other fits run between its awaits; an unseeded run uses the global one.
 */
export interface RunRandom {
  generator(): Random;
  inStep<T>(fn: () => T): T;
}

export function runRandom(seed: number | undefined): RunRandom {
  const own = seed === undefined ? undefined : new Random(seed);
  return {
    generator: () => own ?? randomFor(undefined, 'fit'),
    inStep: (fn) => (own ? withGenerator(own, fn) : fn()),
  };
}

export interface TrainingLoop {
  readonly model: Model;
  readonly compiled: Compiled;
  readonly metrics: readonly { output: number; metric: Metric; name: string }[];
  readonly callbacks: CallbackList;
  readonly progress: ProgressLogger | undefined;
  readonly history: History;
  readonly random: RunRandom;
  /** Warns once at the first non-finite loss (training/non-finite.ts). */
  readonly watchLoss: (loss: number, epoch: number, step: number) => void;
}

/** The callbacks (the user's, then the progress bar, then History) set up for a run. */
export function startLoop(
  model: Model,
  compiled: Compiled,
  metrics: TrainingLoop['metrics'],
  options: {
    callbacks: CallbackLike | readonly CallbackLike[] | undefined;
    verbose: 0 | 1 | 2;
    random: RunRandom;
  },
  params: Omit<TrainingParams, 'metrics' | 'verbose'>,
): TrainingLoop {
  const history = new History();
  const callbacks = new CallbackList(options.callbacks ?? []);
  const progress = options.verbose > 0 ? new ProgressLogger() : undefined;
  if (progress) callbacks.append(progress);
  callbacks.append(history);
  const logNames = ['loss', 'regularization_loss', ...metrics.map((m) => m.name)];
  callbacks.setModel(model);
  callbacks.setParams({
    ...params,
    verbose: options.verbose,
    metrics: [...logNames, ...(params.doValidation ? logNames.map((n) => `val_${n}`) : [])],
  } satisfies TrainingParams);
  model.stopTraining = false;
  const watchLoss = nonFiniteLossWarning(callbacks.callbacks, compiled, params.steps);
  const { random } = options;
  return { model, compiled, metrics, callbacks, progress, history, random, watchLoss };
}

/**
 * One training batch of `size` samples (model.trainStep), with its callbacks. `makeBatch`
 * runs inside the step's scope, so tensors it makes (fit's gathered rows) are released with
 * the step. Returns the epoch's running logs.
 */
export async function trainLoopBatch(
  loop: TrainingLoop,
  epoch: number,
  step: number,
  size: number,
  tracker: Tracker,
  makeBatch: () => readonly [Tensor[], Tensor[], Tensor | undefined],
): Promise<Logs> {
  const { model, compiled, metrics, callbacks } = loop;
  await callbacks.onBatchBegin(step, { batch: step, size });
  const stepLogs = loop.random.inStep(() =>
    stepScope(compiled, () => {
      const [xs, ys, sw] = makeBatch();
      return fitStep(model, compiled, xs, ys, sw, metrics);
    }),
  );
  if (stepLogs.loss !== undefined) loop.watchLoss(stepLogs.loss, epoch, step);
  tracker.add(stepLogs, size);
  const logs = { ...tracker.means(), ...metricResults(metrics) };
  await callbacks.onBatchEnd(step, { batch: step, size, ...logs });
  return logs;
}

/** The training state for a checkpoint: the loop's part, plus what the caller positions. */
export function loopState(
  loop: TrainingLoop,
  at: Pick<TrainingState, 'epoch' | 'step' | 'samples' | 'batchSize' | 'shuffleRng'> &
    Pick<Partial<TrainingState>, 'dataset' | 'data'> & { tracker?: Tracker | undefined },
): TrainingState {
  const { model, compiled, metrics, callbacks } = loop;
  const lr = compiled.optimizer.learningRate;
  const { tracker, ...position } = at;
  return {
    ...position,
    stopped: model.stopTraining,
    globalRng: loop.random.generator().getState(),
    layerRngs: layerRngStates(model),
    tracker: tracker?.getState() ?? { sums: {}, count: 0 },
    metrics: at.step > 0 ? metricStates(metrics) : metrics.map(() => null),
    callbacks: callbackStates(callbacks.callbacks),
    learningRate: typeof lr === 'number' ? lr : null,
  };
}

/**
 * Restores the loop's part of a checkpoint's state (callbacks, the run's generator, stop
 * flag); `where` names the checkpoint in messages.
 */
export function restoreLoop(loop: TrainingLoop, state: TrainingState, where: string): void {
  restoreCallbacks(loop.callbacks.callbacks, state.callbacks, where);
  loop.random.generator().setState(state.globalRng);
  loop.model.stopTraining = state.stopped;
}
