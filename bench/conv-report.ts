// The conv autoencoder's lines of `npm run bench`: ms per step, GFLOP/s, final losses and peak
// RSS per system, the ratios sinew / peer and the loss agreement between sinew and TF.js cpu.
// Pure functions of the children's results.
import { CONV_BATCH, CONV_L1, convStepFlops } from './conv-workload.js';
import type { Results } from './report.js';
import type { ChildResult } from './workload.js';

export const CONV_TRAIN = ['sinew 1t', 'sinew 2t', 'tfjs cpu'] as const;
export const CONV_PREDICT = [
  'sinew 1t predict',
  'sinew 2t predict',
  'tfjs wasm predict',
  'tfjs cpu predict',
] as const;

/** Digits sinew's and TF.js cpu's final losses must share (the parity target). */
export const CONV_LOSS_DIGITS = 4;

export interface ConvLossAgreement {
  readonly sinew: number;
  readonly tfjs: number;
  readonly relDiff: number;
  readonly digits: number;
  readonly met: boolean;
}

function ok(r: ChildResult | { error: string } | undefined): ChildResult | undefined {
  return r && !('error' in r) && !r.unsupported && r.conv ? r : undefined;
}

const fmt = (x: number | undefined, digits = 1): string =>
  x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits);
const pad = (s: string, n: number): string => s.padStart(n);

/** Agreeing significant digits of two numbers (7 when equal: float32's). */
function agreeingDigits(a: number, b: number): { relDiff: number; digits: number } {
  const relDiff = Math.abs(a - b) / Math.abs(b);
  return { relDiff, digits: relDiff === 0 ? 7 : Math.floor(-Math.log10(relDiff)) };
}

export function convTable(
  results: Results,
  ratios: Record<string, number>,
): { lines: string[]; agreement: ConvLossAgreement | undefined } {
  const train = convStepFlops(CONV_BATCH, true) / 1e6;
  const predict = convStepFlops(CONV_BATCH, false) / 1e6;
  const lines = [
    `conv autoencoder 28×28×1 → conv 3×3×16 relu → max-pool 2 → conv 3×3×8 sigmoid (code) → upsample 2 → conv 3×3×1 sigmoid,`,
    `batch ${CONV_BATCH}, Adam 1e-3 (Keras form), loss mse + ${CONV_L1}·Σ|code|; FLOPs of the convolutions: ` +
      `${train.toFixed(1)} M per training step, ${predict.toFixed(1)} M per prediction`,
    'system'.padEnd(20) +
      ['median ms', 'mean ms', 'timed', 'GFLOP/s', 'first loss', 'final loss', 'peak RSS MiB']
        .map((h) => pad(h, 13))
        .join(''),
  ];
  for (const s of [...CONV_TRAIN, ...CONV_PREDICT]) {
    const r = ok(results[s]);
    if (!r) continue;
    const c = r.conv!;
    lines.push(
      (c.training ? `${s} train` : s).padEnd(20) +
        [
          fmt(c.medianMs, 2),
          fmt(c.meanMs, 2),
          String(c.steps),
          fmt(c.gflops, 2),
          c.firstLoss === undefined ? '—' : c.firstLoss.toPrecision(6),
          c.finalLoss === undefined ? '—' : c.finalLoss.toPrecision(6),
          fmt(r.peakRssMiB),
        ]
          .map((x) => pad(x, 13))
          .join(''),
    );
  }
  const ratio = (mine: string, peer: string, what: string): void => {
    const a = ok(results[mine])?.conv;
    const b = ok(results[peer])?.conv;
    if (!a || !b) return;
    const time = a.medianMs / b.medianMs;
    ratios[`conv ${what} ms ${mine} / ${peer}`] = time;
    lines.push(`${mine} / ${peer}: ${what} time ×${fmt(time, 3)} (sinew ${fmt(1 / time)}× faster)`);
  };
  for (const s of ['sinew 1t', 'sinew 2t']) ratio(s, 'tfjs cpu', 'step');
  for (const s of ['sinew 1t predict', 'sinew 2t predict']) {
    ratio(s, 'tfjs wasm predict', 'predict');
    ratio(s, 'tfjs cpu predict', 'predict');
  }
  const mine = ok(results['sinew 1t'])?.conv?.finalLoss;
  const peer = ok(results['tfjs cpu'])?.conv?.finalLoss;
  let agreement: ConvLossAgreement | undefined;
  if (mine !== undefined && peer !== undefined) {
    const { relDiff, digits } = agreeingDigits(mine, peer);
    agreement = { sinew: mine, tfjs: peer, relDiff, digits, met: digits >= CONV_LOSS_DIGITS };
    lines.push(
      `final loss after the same steps from the same weights: sinew 1t ${mine.toPrecision(7)}, TF.js cpu ` +
        `${peer.toPrecision(7)} (step ${ok(results['sinew 1t'])?.conv?.parityStep}): relative difference ${relDiff.toExponential(1)}, ${digits} digits ` +
        `(${agreement.met ? 'MET' : 'MISS'}: want ≥ ${CONV_LOSS_DIGITS})`,
    );
  }
  return { lines, agreement };
}
