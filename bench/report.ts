// Turns the children's results into the printed tables, the ratios sinew / peer and the
// verdicts on the targets. Pure functions of the results: bench/run.ts prints and
// saves what these return.
import { SGEMM_CASES, type ChildResult } from './workload.js';

/** Results by system name ('sinew 1t', 'sinew 2t', 'tfjs wasm', 'tfjs cpu', ...). */
export type Results = Record<string, ChildResult | { error: string }>;

export const SINEW = ['sinew 1t', 'sinew 2t'] as const;
export const PEERS = ['tfjs wasm', 'tfjs cpu'] as const;
/** TF.js wasm trained with sinew's (Keras-form) Adam: the loss-parity run. */
export const PARITY = 'tfjs wasm keras-adam';

export interface Target {
  readonly name: string;
  readonly wanted: string;
  readonly measured: string;
  readonly met: boolean | 'n/a';
}

export interface Derived {
  readonly ratios: Record<string, number>;
  readonly targets: Target[];
  readonly lossAgreement: Record<string, { finalLoss: number; relDiff: number; digits: number }>;
}

function ok(r: ChildResult | { error: string } | undefined): ChildResult | undefined {
  return r && !('error' in r) && !r.unsupported ? r : undefined;
}

const fmt = (x: number | undefined, digits = 1): string =>
  x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits);
const pad = (s: string, n: number): string => s.padStart(n);

function gflopsOf(r: ChildResult | undefined, label: string): number | undefined {
  return r?.sgemm?.find((f) => f.label === label)?.gflops;
}

/** The sgemm table: GFLOP/s per system, then sinew / peer for each pair. */
export function sgemmTable(results: Results, ratios: Record<string, number>): string[] {
  const systems = [...SINEW, ...PEERS].filter((s) => ok(results[s]));
  const pairs = SINEW.flatMap((s) => PEERS.map((p) => [s, p] as const)).filter(
    ([s, p]) => ok(results[s]) && ok(results[p]),
  );
  const lines = [
    'sgemm, float32, GFLOP/s (median after warm-up); ratios are sinew / peer',
    'shape'.padEnd(24) +
      systems.map((s) => pad(s, 11)).join('') +
      pairs.map(([s, p]) => pad(`${s.slice(6)}/${p.slice(5)}`, 10)).join(''),
  ];
  for (const c of SGEMM_CASES) {
    const cells = systems.map((s) => pad(fmt(gflopsOf(ok(results[s]), c.label)), 11));
    const ratioCells = pairs.map(([s, p]) => {
      const r = gflopsOf(ok(results[s]), c.label)! / gflopsOf(ok(results[p]), c.label)!;
      ratios[`sgemm ${c.label} ${s} / ${p}`] = r;
      return pad(`×${fmt(r)}`, 10);
    });
    const label = c.headline ? c.label : `${c.label} *`;
    lines.push(label.padEnd(24) + cells.join('') + ratioCells.join(''));
  }
  lines.push('* the transposed products of the backward pass (informative)');
  return lines;
}

/** The training table: ms per step, final loss, peak RSS per system, then the ratios. */
export function trainTable(
  results: Results,
  ratios: Record<string, number>,
  agreement: Derived['lossAgreement'],
): string[] {
  const systems = [...SINEW, ...PEERS, PARITY].filter((s) => ok(results[s])?.train);
  const reference = ok(results['sinew 1t'])?.train;
  const lines = [
    'autoencoder training step 784→256→784, batch 128, Adam 1e-3, loss mse + 1e-5·Σ|code|',
    'system'.padEnd(22) +
      [
        'median ms',
        'mean ms',
        'p10–p90 ms',
        'steps',
        '>2×median',
        'final loss',
        'Δ vs sinew',
        'peak RSS MiB',
      ]
        .map((h) => pad(h, 13))
        .join(''),
  ];
  for (const s of systems) {
    const r = ok(results[s])!;
    const t = r.train!;
    let delta = '—';
    if (reference && s !== 'sinew 1t') {
      const relDiff = Math.abs(t.finalLoss - reference.finalLoss) / Math.abs(reference.finalLoss);
      const digits = relDiff === 0 ? 7 : Math.floor(-Math.log10(relDiff));
      agreement[s] = { finalLoss: t.finalLoss, relDiff, digits };
      delta = `${relDiff.toExponential(1)} (${digits}d)`;
    }
    lines.push(
      s.padEnd(22) +
        [
          fmt(t.medianMs, 2),
          fmt(t.meanMs, 2),
          `${fmt(t.p10Ms, 1)}–${fmt(t.p90Ms, 1)}`,
          String(t.steps),
          String(t.slowSteps),
          t.finalLoss.toPrecision(6),
          delta,
          fmt(r.peakRssMiB),
        ]
          .map((c) => pad(c, 13))
          .join(''),
    );
  }
  lines.push(
    "final loss: mean over the last timed epoch; Δ: relative difference from sinew 1t's (d = agreeing digits);",
    '>2×median: steps slower than twice the median (the tail between median and mean)',
  );
  for (const s of SINEW) {
    const mine = ok(results[s]);
    if (!mine?.train) continue;
    for (const p of PEERS) {
      const peer = ok(results[p]);
      if (!peer?.train) continue;
      const time = mine.train.medianMs / peer.train.medianMs;
      const rss = mine.peakRssMiB / peer.peakRssMiB;
      ratios[`step ms ${s} / ${p}`] = time;
      ratios[`peak RSS ${s} / ${p}`] = rss;
      lines.push(
        `${s} / ${p}: step time ×${fmt(time, 3)} (sinew ${fmt(1 / time)}× faster), peak RSS ×${fmt(rss, 2)}`,
      );
    }
  }
  return lines;
}

/** The targets, one verdict per sinew configuration that ran. */
export function targets(sgemmResults: Results, results: Results): Target[] {
  const out: Target[] = [];
  const headline = SGEMM_CASES[0]!.label;
  const sgemm = (s: string, wanted: number): void => {
    const r = ok(sgemmResults[s]);
    const g = gflopsOf(r, headline);
    out.push({
      name: `sgemm ${headline}, ${s}`,
      wanted: `≥ ${wanted} GFLOP/s`,
      measured: r ? `${fmt(g)} GFLOP/s` : unsupportedWhy(sgemmResults[s]),
      met: g === undefined ? 'n/a' : g >= wanted,
    });
  };
  sgemm('sinew 1t', 45);
  sgemm('sinew 2t', 85);
  const wasm = ok(results['tfjs wasm'])?.train;
  const cpu = ok(results['tfjs cpu'])?.train;
  const wasmRss = ok(results['tfjs wasm'])?.peakRssMiB;
  for (const s of SINEW) {
    const r = ok(results[s]);
    const t = r?.train;
    const speedup = (peer: number | undefined): number | undefined =>
      t && peer !== undefined ? peer / t.medianMs : undefined;
    const sw = speedup(wasm?.medianMs);
    const sc = speedup(cpu?.medianMs);
    out.push(
      {
        name: `step vs TF.js wasm, ${s}`,
        wanted: '≥ 15× faster',
        measured: sw === undefined ? unsupportedWhy(results[s]) : `${fmt(sw)}× faster`,
        met: sw === undefined ? 'n/a' : sw >= 15,
      },
      {
        name: `step vs TF.js cpu, ${s}`,
        wanted: '≥ 80× faster',
        measured: sc === undefined ? unsupportedWhy(results[s]) : `${fmt(sc)}× faster`,
        met: sc === undefined ? 'n/a' : sc >= 80,
      },
      {
        name: `step time, ${s}`,
        wanted: '≤ ~6 ms',
        measured: t ? `${fmt(t.medianMs, 2)} ms` : unsupportedWhy(results[s]),
        met: t ? t.medianMs <= 6 : 'n/a',
      },
      {
        name: `peak RSS vs TF.js wasm, ${s}`,
        wanted: `≤ ${fmt(wasmRss)} MiB`,
        measured: r && t ? `${fmt(r.peakRssMiB)} MiB` : unsupportedWhy(results[s]),
        met: r && t && wasmRss !== undefined ? r.peakRssMiB <= wasmRss : 'n/a',
      },
    );
  }
  return out;
}

function unsupportedWhy(r: ChildResult | { error: string } | undefined): string {
  if (!r) return 'not run';
  if ('error' in r) return `failed: ${r.error}`;
  return r.unsupported ? `not measured: ${r.unsupported}` : 'not measured';
}

export function targetLines(list: readonly Target[]): string[] {
  return [
    'targets (issue 5)',
    ...list.map(
      (t) =>
        `  ${t.met === 'n/a' ? 'n/a ' : t.met ? 'MET ' : 'MISS'}  ${t.name.padEnd(40)} wanted ${t.wanted.padEnd(16)} measured ${t.measured}`,
    ),
  ];
}
