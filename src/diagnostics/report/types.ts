/**
 * The input of the HTML lab report: plain JSON-like data that the lab fills after training
 * each variant. `renderReport` (./render.ts) turns it into one self-contained HTML page.
 */

import type { GateSaturation, Histogram } from '../types.js';

export type { Histogram };

/** Everything the report shows: the comparison table and verdicts first, then one section per variant. */
export interface ReportInput {
  title: string;
  /** e.g. data, epochs, seed, time. */
  subtitle?: string;
  /** One row per variant; a null cell is shown as a dash. */
  table: { columns: string[]; rows: (string | number | null)[][] };
  verdicts: { variant: string; text: string }[];
  advice: { variant: string; rule: string; message: string }[];
  variants: VariantReport[];
}

/** One trained variant: its loss history, per-layer histograms over epochs and images. */
export interface VariantReport {
  /** 'none', 'kernel-l2', 'activity-l1', ... */
  name: string;
  description: string;
  /** loss, regularization_loss, val_loss, val_regularization_loss (and any metric) per epoch. */
  history: Record<string, number[]>;
  layers: {
    name: string;
    epochs: {
      epoch: number;
      weights: Histogram;
      /** Recurrent layers: the recurrent kernel's histogram, drawn beside the kernel's. */
      recurrentWeights?: Histogram;
      preActivation?: Histogram;
      activation: Histogram;
      /** A conv layer (4-D output): its per-channel counts at this epoch. */
      channels?: ChannelSummary;
      /** LSTM layers: the share of saturated gate outputs on the probe (LayerRecord.gateSaturation). */
      gateSaturation?: GateSaturation;
    }[];
  }[];
  /** Learned features of the code layer; each tile has tileWidth·tileHeight values in any range (each tile is normalised for display). */
  features?: {
    rows: number;
    cols: number;
    tileWidth: number;
    tileHeight: number;
    tiles: number[][];
  };
  /**
   * Feature maps of a conv code layer: `digits` rows of `channels` tiles (row d holds each
   * channel's map for digit d), tileWidth·tileHeight values each. All tiles share one grey
   * scale, from the smallest to the largest value over every tile, so a dead channel is black.
   */
  featureMaps?: {
    digits: number;
    channels: number;
    tileWidth: number;
    tileHeight: number;
    tiles: number[][];
  };
  /** Originals beside reconstructions; values in [0, 1]. */
  reconstructions?: {
    tileWidth: number;
    tileHeight: number;
    originals: number[][];
    reconstructions: number[][];
  };
}

/** A conv layer's channels at one epoch (from the monitor's LayerRecord.channels). */
export interface ChannelSummary {
  count: number;
  /** relu-like: channels ≤ 0 at every position of every probe sample. */
  dead?: number;
  /** saturating activations: channels more than half of whose values are saturated. */
  saturated?: number;
  /** Channels a probe sample uses (some value > 0.1), on average. */
  meanActive: number;
}
