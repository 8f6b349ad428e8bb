/**
 * The data the report's browser script draws, derived from a ReportInput: loss split into
 * data and regularization parts, other metrics paired with their val_ twins, and the layer
 * histograms. Computed here (in Node, where it is unit-tested) so the page script only draws.
 */
import type { GateSaturation } from '../types.js';
import type { Histogram, ReportInput, VariantReport } from './types.js';

/** One line of the loss chart. */
export interface LossSeries {
  label: string;
  values: (number | null)[];
  kind: 'data' | 'regularization';
  split: 'train' | 'val';
}

/** One line of the metrics chart; a metric and its val_ twin share a colour. */
export interface MetricSeries {
  label: string;
  values: (number | null)[];
  split: 'train' | 'val';
  colorIndex: number;
}

export interface VariantView {
  loss: { epochs: number[]; series: LossSeries[] } | null;
  metrics: { epochs: number[]; series: MetricSeries[] } | null;
  layers: {
    name: string;
    epochs: {
      epoch: number;
      weights: Histogram;
      /** Recurrent layers only. */
      recurrentWeights?: Histogram;
      preActivation: Histogram | null;
      activation: Histogram;
      /** LSTM layers only. */
      gateSaturation?: GateSaturation;
    }[];
  }[];
}

export interface ReportView {
  variants: VariantView[];
}

const LOSS_KEYS = ['loss', 'regularization_loss', 'val_loss', 'val_regularization_loss'];

function finiteOrNull(x: number | undefined): number | null {
  return x !== undefined && Number.isFinite(x) ? x : null;
}

/** 1, 2, ..., the length of the longest series. */
function epochNumbers(series: { values: unknown[] }[]): number[] {
  const n = Math.max(0, ...series.map((s) => s.values.length));
  return Array.from({ length: n }, (_, i) => i + 1);
}

/**
 * Data loss (`loss − regularization_loss`) and regularization loss, for train and val. With
 * no regularization_loss logged, the data loss is the loss itself. Null when no loss is logged.
 */
export function lossView(history: Record<string, number[]>): VariantView['loss'] {
  const series: LossSeries[] = [];
  for (const split of ['train', 'val'] as const) {
    const prefix = split === 'val' ? 'val_' : '';
    const total = history[`${prefix}loss`];
    const reg = history[`${prefix}regularization_loss`];
    if (total) {
      const values = total.map((t, i) => finiteOrNull(reg ? t - (reg[i] ?? NaN) : t));
      series.push({ label: `data loss (${split})`, values, kind: 'data', split });
    }
    if (reg) {
      const values = reg.map((r) => finiteOrNull(r));
      series.push({
        label: `regularization loss (${split})`,
        values,
        kind: 'regularization',
        split,
      });
    }
  }
  return series.length === 0 ? null : { epochs: epochNumbers(series), series };
}

/** Every other logged series (metrics, learning rate...); null when there is none. */
export function metricsView(history: Record<string, number[]>): VariantView['metrics'] {
  const bases: string[] = [];
  for (const key of Object.keys(history)) {
    if (LOSS_KEYS.includes(key)) continue;
    const base = key.startsWith('val_') ? key.slice(4) : key;
    if (!bases.includes(base)) bases.push(base);
  }
  const series: MetricSeries[] = [];
  bases.forEach((base, colorIndex) => {
    for (const split of ['train', 'val'] as const) {
      const key = split === 'val' ? `val_${base}` : base;
      const values = history[key];
      if (values) series.push({ label: key, values: values.map(finiteOrNull), split, colorIndex });
    }
  });
  return series.length === 0 ? null : { epochs: epochNumbers(series), series };
}

function variantView(v: VariantReport): VariantView {
  return {
    loss: lossView(v.history),
    metrics: metricsView(v.history),
    layers: v.layers.map((layer) => ({
      name: layer.name,
      epochs: layer.epochs.map((e) => ({
        epoch: e.epoch,
        weights: e.weights,
        ...(e.recurrentWeights ? { recurrentWeights: e.recurrentWeights } : {}),
        preActivation: e.preActivation ?? null,
        activation: e.activation,
        ...(e.gateSaturation ? { gateSaturation: e.gateSaturation } : {}),
      })),
    })),
  };
}

/** The JSON embedded in the page for its script. */
export function reportView(input: ReportInput): ReportView {
  return { variants: input.variants.map(variantView) };
}
