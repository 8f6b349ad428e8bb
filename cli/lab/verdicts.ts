import type { Measures } from './measure.js';

/** One sentence or two per variant, in plain words, backed by the table's numbers. */

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const num = (x: number) =>
  Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 1 ? x.toFixed(2) : x.toPrecision(3);
const change = (from: number, to: number) => `${num(from)} → ${num(to)}`;

/** How the verdicts name the code: the dense lab's 256 units, or a conv code's values and channels. */
export interface CodeWords {
  /** 'the 256 code units', 'the code's values (14×14 positions × 8 channels)'. */
  units: string;
  /** What an active share counts: 'units', 'code values'. */
  active: string;
  /** The k-sparse variant's rule in words, and the share it keeps. */
  kSparse: string;
  kSparseShare: number;
}

export const DENSE_CODE: CodeWords = {
  units: 'the 256 code units',
  active: 'units',
  kSparse: '25 of 256 units',
  kSparseShare: 25 / 256,
};

export const CONV_CODE: CodeWords = {
  units: "the code's values (14×14 positions × 8 channels)",
  active: 'code values',
  kSparse: '1 of 8 channels at each position',
  kSparseShare: 1 / 8,
};

export function verdict(
  name: string,
  m: Measures,
  all: ReadonlyMap<string, Measures>,
  code: CodeWords = DENSE_CODE,
): string {
  const base = all.get('none');
  const cost = base ? ` Reconstruction error ${change(base.mse, m.mse)}.` : '';
  switch (name) {
    case 'none':
      return (
        `The baseline: reconstruction error ${num(m.mse)}, ${pct(m.activeFraction)} of ${code.units} active per digit, ` +
        `mean |code| ${num(m.meanAbsCode)}. A dense code: nearly every unit takes part in every digit.`
      );
    case 'kernel-l2':
      return base
        ? `The kernel penalty acts on the weights: the encoder's weight norm went ${change(base.kernelNorm, m.kernelNorm)} and ` +
            `max |w| ${change(base.maxAbsWeight, m.maxAbsWeight)}, while the code stays dense ` +
            `(active ${code.active} per digit ${pct(base.activeFraction)} → ${pct(m.activeFraction)}).${cost}`
        : `Encoder weight norm ${num(m.kernelNorm)}, max |w| ${num(m.maxAbsWeight)}.`;
    case 'activity-l1':
      return base
        ? `The activity penalty acts on the code: mean |code| ${change(base.meanAbsCode, m.meanAbsCode)}, active ${code.active} per digit ` +
            `${pct(base.activeFraction)} → ${pct(m.activeFraction)}: a sparse code, as a sparse autoencoder wants.${cost}`
        : `Mean |code| ${num(m.meanAbsCode)}, ${pct(m.activeFraction)} of ${code.active} active per digit.`;
    case 'kl':
      return (
        `KL sparsity pulls each unit's mean activation towards 0.05: mean |code| ${num(m.meanAbsCode)}` +
        (base ? ` (baseline ${num(base.meanAbsCode)})` : '') +
        `, ${pct(m.activeFraction)} of ${code.active} active per digit.${cost}`
      );
    case 'ksparse':
      return (
        `Sparse by construction: ${code.kSparse} (${pct(code.kSparseShare)}) pass per digit, so ${pct(m.activeFraction)} are active; ` +
        `no penalty is involved (regularization loss ${num(m.regularization)}).${cost}`
      );
    case 'saturate':
      return (
        `Inputs ×50: the weights stay small (max |w| ${num(m.maxAbsWeight)}) yet the pre-activations average ${num(m.meanAbsPreActivation)} ` +
        `and ${pct(m.saturatedFraction)} of the sigmoid outputs are saturated (below 0.01 or above 0.99). A kernel penalty sees ` +
        `small weights and does nothing here; this is the case for an activity regularizer.`
      );
    case 'saturate-activity': {
      const sat = all.get('saturate');
      return sat
        ? `The activity penalty on the pre-activations cut mean |pre-activation| ${change(sat.meanAbsPreActivation, m.meanAbsPreActivation)} ` +
            `and saturation ${pct(sat.saturatedFraction)} → ${pct(m.saturatedFraction)}, with the weights still small ` +
            `(max |w| ${num(m.maxAbsWeight)}).`
        : `Saturation ${pct(m.saturatedFraction)}, mean |pre-activation| ${num(m.meanAbsPreActivation)}, max |w| ${num(m.maxAbsWeight)}.`;
    }
    default:
      return '';
  }
}
