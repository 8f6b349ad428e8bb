import type { Measures } from './measure.js';

export const TABLE_COLUMNS = [
  'variant',
  'test mse',
  'reg. loss',
  'mean |code|',
  'active/digit',
  'saturated',
  'dead units',
  'kernel L2',
  'max |w|',
  'mean |pre-act|',
];

/** The conv lab's columns: its code's unit is a channel. */
export const CONV_TABLE_COLUMNS = TABLE_COLUMNS.map((c) =>
  c === 'dead units' ? 'dead channels' : c,
);

const fmt = (x: number): string =>
  Number.isNaN(x)
    ? '—'
    : x === 0
      ? '0'
      : Math.abs(x) >= 100
        ? x.toFixed(0)
        : Math.abs(x) >= 0.01
          ? x.toFixed(4)
          : x.toExponential(2);
const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

export function tableRow(name: string, m: Measures): (string | number)[] {
  return [
    name,
    fmt(m.mse),
    fmt(m.regularization),
    fmt(m.meanAbsCode),
    pct(m.activeFraction),
    pct(m.saturatedFraction),
    m.deadUnits,
    fmt(m.kernelNorm),
    fmt(m.maxAbsWeight),
    fmt(m.meanAbsPreActivation),
  ];
}

/** The table as aligned text lines: names left, numbers right. */
export function formatTable(
  rows: readonly (string | number)[][],
  columns: readonly string[] = TABLE_COLUMNS,
): string[] {
  const all = [columns, ...rows.map((r) => r.map(String))];
  const widths = columns.map((_, c) => Math.max(...all.map((r) => String(r[c]).length)));
  const line = (r: readonly (string | number)[]) =>
    r
      .map((cell, c) =>
        c === 0 ? String(cell).padEnd(widths[c]!) : String(cell).padStart(widths[c]!),
      )
      .join('  ');
  return [line(columns), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)];
}
