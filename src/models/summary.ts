import type { Layer } from '../layers/layer.js';
import { formatSymbolicShape } from '../layers/symbolic.js';
import type { Serializable } from '../serialization.js';
import type { Model } from './model.js';
import { checkOptionKeys, optionKeys } from '../validation.js';

export interface SummaryOptions {
  /** Where each line goes (default console.log). */
  printFn?: (line: string) => void;
}
export const SUMMARY_OPTION_KEYS = optionKeys<SummaryOptions>()({ printFn: true });

/** "L2(l2=0.01)" from a regularizer's or constraint's class name and config. */
function describeObject(obj: Serializable): string {
  const className = (obj.constructor as { className?: string }).className ?? obj.constructor.name;
  let config: Record<string, unknown> = {};
  try {
    config = obj.getConfig();
  } catch {
    // A plain-function regularizer has no config to show.
  }
  const args = Object.entries(config).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return `${className}(${args.join(', ')})`;
}

/** What penalises and constrains a layer: "kernel: L2(l2=0.01); activity: L1(l1=1e-5)". */
export function describePenalties(layer: Layer): string {
  const parts: string[] = [];
  // A built-in layer's nested layers (a recurrent layer's cell, a wrapper's layer) are part of
  // its row; a nested model's layers have rows of their own elsewhere.
  const weights = 'summary' in layer ? layer.ownWeights : layer.weights;
  for (const w of weights) {
    const name = w.layer.name === layer.name ? w.shortName : w.name;
    if (w.regularizer) parts.push(`${name}: ${describeObject(w.regularizer)}`);
    if (w.constraint)
      parts.push(`${name} ≤ ${describeObject(w.constraint as unknown as Serializable)}`);
  }
  if (layer.activityRegularizer) {
    const sum = layer.activityRegularizerReduction === 'sum' ? ' summed over batch' : '';
    parts.push(`activity: ${describeObject(layer.activityRegularizer)}${sum}`);
  }
  return parts.join('; ');
}

/** 200960 → '200,960', as Keras prints parameter counts. */
function count(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function summarize(model: Model, options: SummaryOptions): string {
  checkOptionKeys(options, `${model.describeSelf()}.summary`, SUMMARY_OPTION_KEYS);
  const printFn = options.printFn ?? ((line: string) => console.log(line));
  const rows: string[][] = [
    ['Layer (type)', 'Output shape', 'Param #', 'Regularizers and constraints'],
  ];
  for (const layer of model.layers) {
    const node = model.nodes.find((n) => n.layer === layer);
    // A subclassed model's layers have no graph node: their shapes are not known ('?').
    const shapes =
      node?.outputs.map((x) => formatSymbolicShape(x.shape)).join(', ') ??
      (layer.built ? '?' : '(not built)');
    rows.push([
      `${layer.name} (${layer.className})`,
      shapes,
      count(layer.countParams()),
      describePenalties(layer),
    ]);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) =>
    r
      .map((cell, c) => cell.padEnd(widths[c]!))
      .join('  ')
      .trimEnd();
  const rule = '─'.repeat(widths.reduce((a, b) => a + b + 2, -2));
  const trainable = model.trainableWeights.reduce((n, w) => n + w.size, 0);
  const total = model.countParams();
  const lines = [
    `Model: '${model.name}' (${model.className})`,
    rule,
    line(rows[0]!),
    rule,
    ...rows.slice(1).map(line),
    rule,
    `Total params: ${count(total)}`,
    `Trainable params: ${count(trainable)}`,
    `Non-trainable params: ${count(total - trainable)}`,
  ];
  for (const l of lines) printFn(l);
  return lines.join('\n');
}
