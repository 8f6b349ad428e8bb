import type * as NodeFsModule from 'node:fs';
import { ConfigError, describe } from '../errors.js';
import { writeFileAtomicSync } from '../util/atomic.js';
import { Callback, type Logs } from '../models/callback.js';
import { Tensor } from '../tensor/tensor.js';
import { checkNumber, checkOptionKeys, optionKeys, checkString } from '../validation.js';
import { advise, formatAdvice } from './advice.js';
import { takeRecord, type Snapshots } from './record.js';
import type { Advice, MonitorLog } from './types.js';

export interface MonitorOptions {
  /** The fixed probe batch: one tensor (or one per model input), e.g. 64 validation samples. */
  probe: Tensor | readonly Tensor[];
  /**
   * Targets of the probe, one per output, for the data loss and the gradient norms. Default:
   * the probe itself when the model has one input and one output of the probe's shape (an
   * autoencoder); required for other compiled models.
   */
  probeTargets?: Tensor | readonly Tensor[];
  /** 'epoch' (default): a record at every epoch end; a number N: every N batches. */
  every?: 'epoch' | number;
  /** A JSON file (Node.js) rewritten atomically after every record: the MonitorLog. */
  logPath?: string;
  /** Histogram bins (default 30). */
  bins?: number;
}
const MONITOR_OPTION_KEYS = optionKeys<MonitorOptions>()({
  probe: true,
  probeTargets: true,
  every: true,
  logPath: true,
  bins: true,
});

type NodeFs = typeof NodeFsModule;

/**
 * A fit callback that watches weights, activations, gradients and the loss split on a fixed
 * probe batch: `callbacks: [sn.diagnostics.monitor({ probe: xVal.slice(0, 64) })]`.
 *
 * A record is taken when training begins (epoch 0, step 0), then at every epoch end (or every
 * N batches): one forward pass in inference mode on the probe, watched by a layer tap (see
 * record.ts). Records accumulate in `monitor.log` (a MonitorLog, plain JSON) and, with
 * `logPath`, in a JSON file replaced atomically (temporary file + rename) after each record.
 * The log also keeps fit's per-epoch logs as `history`. At the end of fit, `monitor.advice`
 * holds `advise(log, history)`, printed when fit is verbose.
 *
 * Cost: nothing runs unless the monitor is in fit's callbacks; when it is not, each layer
 * call pays one `undefined` check (the tap). The monitor does not change training: the probe
 * pass uses inference mode (no random numbers drawn, no batch-norm statistics updated),
 * computes gradients without applying them and never touches the optimizer, so a seeded fit
 * ends with the same weights with or without it. One caveat: after a record,
 * `model.regularizationLosses()` describes the probe pass (its activity terms), so a callback
 * that reads it at epoch end should come before the monitor.
 *
 * Each fit starts a new log; the monitor keeps no tensors but the probe and one copy of the
 * weights (for update ratios).
 */
export class Monitor extends Callback {
  readonly probe: readonly Tensor[];
  readonly probeTargets: readonly Tensor[] | undefined;
  readonly every: 'epoch' | number;
  readonly logPath: string | undefined;
  readonly bins: number;
  log: MonitorLog = { model: '', probeSize: 0, records: [] };
  /** The advice of the latest fit (set when training ends). */
  advice: Advice[] = [];
  #fs: NodeFs | undefined;
  #targets: readonly Tensor[] | undefined;
  #snapshots: Snapshots = new Map();
  #step = 0;
  #epoch = 0;

  constructor(options: MonitorOptions) {
    super();
    const owner = 'diagnostics.monitor';
    const example = `${owner}({ probe: xVal, every: 'epoch' })`;
    const o = checkOptionKeys(options, owner, MONITOR_OPTION_KEYS, example);
    if (o.probe === undefined) {
      throw new ConfigError(
        `${owner}: the probe option is required (a batch of inputs to watch), e.g. ${example}.`,
      );
    }
    this.probe = tensorList(o.probe, owner, 'probe');
    const size = this.probe[0]!.shape[0];
    if (this.probe.some((t) => t.rank === 0 || t.shape[0] !== size) || size === 0) {
      throw new ConfigError(
        `${owner}: probe tensors must have the same non-zero number of samples (first dimension), ` +
          `received shapes ${this.probe.map((t) => `[${t.shape.join(', ')}]`).join(', ')}.`,
      );
    }
    this.probeTargets =
      o.probeTargets === undefined ? undefined : tensorList(o.probeTargets, owner, 'probeTargets');
    if (o.every === undefined || o.every === 'epoch') this.every = 'epoch';
    else {
      this.every = checkNumber(o.every, owner, "every (a number of batches, or 'epoch')", {
        min: 1,
        integer: true,
        example: "every: 'epoch' or every: 100",
      });
    }
    this.logPath =
      o.logPath === undefined
        ? undefined
        : checkString(o.logPath, owner, 'logPath', { example: "logPath: 'monitor.json'" });
    this.bins = checkNumber(o.bins, owner, 'bins', { min: 1, integer: true, fallback: 30 });
  }

  override async onTrainBegin(): Promise<void> {
    if (this.logPath !== undefined && this.#fs === undefined) {
      try {
        this.#fs = await import('node:fs');
      } catch (cause) {
        throw new ConfigError(
          'diagnostics.monitor: logPath needs Node.js (node:fs could not be loaded); leave it out in the browser and read monitor.log.',
          { cause },
        );
      }
    }
    this.#targets = this.#resolveTargets();
    this.log = {
      model: this.model.name,
      probeSize: this.probe[0]!.shape[0]!,
      records: [],
      history: {},
    };
    this.advice = [];
    this.#snapshots = new Map();
    this.#step = 0;
    this.#epoch = this.params?.initialEpoch ?? 0;
    this.#record();
  }

  override async onEpochBegin(epoch: number): Promise<void> {
    this.#epoch = epoch;
  }

  override async onBatchEnd(): Promise<void> {
    this.#step++;
    if (typeof this.every === 'number' && this.#step % this.every === 0) this.#record();
  }

  override async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    const history = (this.log.history ??= {});
    const done = epoch - (this.params?.initialEpoch ?? 0);
    for (const [key, value] of Object.entries(logs)) {
      const list = (history[key] ??= []);
      while (list.length < done) list.push(null);
      list.push(Number.isFinite(value) ? value : null);
    }
    this.#epoch = epoch + 1;
    if (this.every === 'epoch') this.#record();
    else this.#write();
  }

  override async onTrainEnd(): Promise<void> {
    this.advice = advise(this.log);
    if ((this.params?.verbose ?? 0) > 0 && this.advice.length > 0) {
      console.log(formatAdvice(this.advice));
    }
  }

  #record(): void {
    this.log.records.push(
      takeRecord({
        model: this.model,
        xs: this.probe,
        ys: this.#targets,
        bins: this.bins,
        epoch: this.#epoch,
        step: this.#step,
        snapshots: this.#snapshots,
      }),
    );
    this.#write();
  }

  /** Replaces the log file atomically: a reader never sees half a file. */
  #write(): void {
    const fs = this.#fs;
    if (this.logPath === undefined || fs === undefined) return;
    writeFileAtomicSync(fs, this.logPath, JSON.stringify(this.log));
  }

  /** probeTargets, else the probe for an autoencoder, else undefined (not compiled) or an error. */
  #resolveTargets(): readonly Tensor[] | undefined {
    const model = this.model;
    if (this.probeTargets !== undefined) {
      if (this.probeTargets.length !== model.outputs.length) {
        throw new ConfigError(
          `diagnostics.monitor: probeTargets has ${this.probeTargets.length} tensor(s) but model '${model.name}' has ` +
            `${model.outputs.length} output(s); pass one target per output.`,
        );
      }
      return this.probeTargets;
    }
    const out = model.outputs[0]?.shape;
    const x = this.probe[0]!;
    const fits =
      model.outputs.length === 1 &&
      this.probe.length === 1 &&
      out !== undefined &&
      out.length === x.rank &&
      out.every((d, i) => d === null || d === x.shape[i]);
    if (fits) return this.probe;
    if (model.compiled === undefined) return undefined;
    throw new ConfigError(
      `diagnostics.monitor: model '${model.name}' does not reconstruct its input (outputs ` +
        `${model.outputs.map((o) => `[${o.shape.map((d) => d ?? 'null').join(', ')}]`).join(', ')}, probe ` +
        `[${x.shape.join(', ')}]), so the probe cannot be its own target; pass probeTargets: yVal.slice(...).`,
    );
  }
}

function tensorList(value: unknown, owner: string, what: string): Tensor[] {
  const list = Array.isArray(value) ? (value as unknown[]) : [value];
  if (list.length === 0 || !list.every((t) => t instanceof Tensor)) {
    throw new ConfigError(
      `${owner}: ${what} must be a Tensor or a list of Tensors (one per model input or output), received ${describe(value)}.`,
    );
  }
  return list as Tensor[];
}

/** A Monitor callback: `fit(x, y, { callbacks: [sn.diagnostics.monitor({ probe })] })`. */
export function monitor(options: MonitorOptions): Monitor {
  return new Monitor(options);
}
