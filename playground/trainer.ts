/**
 * One playground run: the model of a configuration, trained one batch at a time on the
 * shipped digits, and the numbers the page draws. Runs in the page's Web Worker (worker.ts)
 * and, in the tests, in Node: it takes sinew as an argument and touches no DOM.
 */
import type * as Sinew from 'sinew';
import type { PlaygroundConfig } from './config.js';
import { batchStart, buildModel, DATA } from './model.js';

type Sn = typeof Sinew;

const PROBE = 256;
const VALIDATION = 500;
const FIXED_DIGITS = 8;
const FEATURE_TILES = 32;
/** Outputs count as active above this (as the lab's table). */
const ACTIVE = 0.1;

export interface StepResult {
  step: number;
  loss: number;
  regularization: number;
}

export interface LayerView {
  name: string;
  weights?: Sinew.diagnostics.Histogram;
  preActivation?: Sinew.diagnostics.Histogram;
  activation: Sinew.diagnostics.Histogram;
}

/** What the page shows at one moment of a run. */
export interface Views {
  /** The model kind: for conv, units are the code's channels and features its maps. */
  model: PlaygroundConfig['model'];
  step: number;
  valLoss: number;
  valRegularization: number;
  layers: LayerView[];
  /**
   * Of the code, on the probe digits: saturated fraction, mean active units per digit (conv:
   * active channels per position of the 14×14 code), dead units (conv: channels active nowhere).
   */
  saturation: number;
  activeUnits: number;
  deadUnits: number;
  units: number;
  /** Dense: the first encoder kernel columns, 784 values each. Conv: the code's maps of the first fixed digit, 14×14 each. */
  features: number[][];
  originals: number[][];
  reconstructions: number[][];
  advice: { rule: string; message: string }[];
}

export interface Digits {
  train: Sinew.Tensor;
  validation: Sinew.Tensor;
}

export class Trainer {
  readonly model: Sinew.Sequential;
  step = 0;
  readonly #sn: Sn;
  readonly #config: PlaygroundConfig;
  readonly #digits: Digits;
  readonly #probe: Sinew.Tensor;
  readonly #monitor: Sinew.diagnostics.Monitor;
  readonly #history: { loss: number[]; val_loss: number[] } = { loss: [], val_loss: [] };
  /** The step of the monitor's latest record (its first is taken at start). */
  #recordedAt = 0;

  constructor(sn: Sn, config: PlaygroundConfig, digits: Digits) {
    this.#sn = sn;
    this.#config = config;
    this.#digits = digits;
    this.model = buildModel(sn, config);
    this.#probe = sn.slice(digits.validation, [0, 0], { size: [PROBE, -1] });
    this.#monitor = sn.diagnostics.monitor({
      probe: this.#scale(this.#probe),
      probeTargets: this.#probe,
    });
    this.#monitor.setModel(this.model);
  }

  /** Starts the monitor's log (its first record: step 0). */
  async start(): Promise<void> {
    await this.#monitor.onTrainBegin();
  }

  #scale(x: Sinew.Tensor): Sinew.Tensor {
    const s = this.#config.inputScale;
    return s === 1 ? x : this.#sn.mul(x, s);
  }

  /** One optimizer step on the next batch: the batch's loss (data + regularization). */
  trainStep(): StepResult {
    const sn = this.#sn;
    const bs = this.#config.batchSize;
    const x = sn.slice(this.#digits.train, [batchStart(this.step, bs), 0], { size: [bs, -1] });
    const logs = this.model.trainOnBatch(this.#scale(x), x);
    this.step++;
    return {
      step: this.step,
      loss: logs.loss ?? NaN,
      regularization: logs.regularization_loss ?? 0,
    };
  }

  /** A monitor record now (the first view reuses the one taken at start), and everything drawn from it. */
  async views(): Promise<Views> {
    const sn = this.#sn;
    const monitor = this.#monitor;
    if (this.#recordedAt !== this.step) {
      // Each view is one "epoch" of the monitor: its epoch-end hook takes a record.
      await monitor.onEpochEnd(monitor.log.records.length - 1);
      this.#recordedAt = this.step;
    }
    const record = monitor.log.records.at(-1)!;
    const val = sn.slice(this.#digits.validation, [0, 0], { size: [VALIDATION, -1] });
    const evaluated = this.model.evaluate(this.#scale(val), val, { batchSize: VALIDATION });
    const valLoss = evaluated.loss ?? NaN;
    this.#history.loss.push(record.loss.total ?? NaN);
    this.#history.val_loss.push(valLoss);
    const layers = record.layers.map((l) => ({
      name: l.name,
      ...(l.weights[0] ? { weights: l.weights[0].stats.histogram } : {}),
      ...(l.preActivation ? { preActivation: l.preActivation.histogram } : {}),
      activation: l.output.histogram,
    }));
    const { maps, ...code } = this.#code();
    const fixed = sn.slice(this.#digits.validation, [0, 0], { size: [FIXED_DIGITS, -1] });
    const out = this.model.predict(this.#scale(fixed)) as Sinew.Tensor;
    let features: Sinew.Tensor;
    if (this.#config.model === 'conv') {
      // The first probe digit (the first fixed digit): [14, 14, C] → C maps of 196 values.
      const first = sn.slice(maps, [0, 0, 0, 0], { size: [1, -1, -1, -1] });
      const channels = maps.shape.at(-1)!;
      features = sn.transpose(sn.reshape(first, [-1, channels]));
    } else {
      const kernel = (this.model.getLayer('encoder') as Sinew.layers.Dense).kernel!;
      const tiles = Math.min(FEATURE_TILES, kernel.shape[1]!);
      features = sn.transpose(sn.slice(kernel, [0, 0], { size: [-1, tiles] }));
    }
    return {
      model: this.#config.model,
      step: this.step,
      valLoss,
      valRegularization: evaluated.regularization_loss ?? 0,
      layers,
      ...code,
      features: features.arraySync() as number[][],
      originals: fixed.arraySync() as number[][],
      reconstructions: out.arraySync() as number[][],
      advice: sn.diagnostics
        .advise(monitor.log, this.#history)
        .map((a) => ({ rule: a.rule, message: a.message })),
    };
  }

  /**
   * Saturation, active units per digit and dead units of the code on the probe digits, and the
   * code itself. The last axis is the unit (dense) or the channel (conv); for conv, each
   * position of each digit counts as one "digit" of the dense view.
   */
  #code(): Pick<Views, 'saturation' | 'activeUnits' | 'deadUnits' | 'units'> & {
    maps: Sinew.Tensor;
  } {
    const sn = this.#sn;
    const name = this.model.layers.some((l) => l.name === 'code') ? 'code' : 'encoder';
    let code: Sinew.Tensor | undefined;
    sn.noGrad(() =>
      sn.layers.withTap(
        {
          onOutput: (layer, _inputs, outs) => {
            if (layer.name === name) code = outs[0];
          },
        },
        () => this.model.apply(this.#scale(this.#probe)),
      ),
    );
    const values = code!.dataSync();
    const units = code!.shape.at(-1)!;
    const digits = values.length / units;
    let active = 0;
    const alive = new Uint8Array(units);
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (Math.abs(v) > ACTIVE) {
        active++;
        alive[i % units] = 1;
      }
    }
    return {
      // The monitor's test of a saturated value (sigmoid, tanh); none for other activations.
      saturation: sn.diagnostics.saturationFraction(values, this.#config.activation) ?? 0,
      activeUnits: active / digits,
      deadUnits: units - alive.reduce((a, b) => a + b, 0),
      units,
      maps: code!,
    };
  }
}

/** The shipped digits from mnist.bin's bytes (see playground/build.mjs). */
export function unpackDigits(sn: Sn, bytes: ArrayBuffer, scale: number): Digits {
  const raw = new Uint16Array(bytes);
  const pixels = new Float32Array(raw.length);
  for (let i = 0; i < raw.length; i++) pixels[i] = raw[i]! / scale;
  const n = DATA.pixels;
  return {
    train: sn.tensor(pixels.subarray(0, DATA.train * n), [DATA.train, n]),
    validation: sn.tensor(pixels.subarray(DATA.train * n), [DATA.validation, n]),
  };
}
