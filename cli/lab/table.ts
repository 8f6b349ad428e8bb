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

const fmt = (x: number): string =>
  x === 0
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
export function formatTable(rows: readonly (string | number)[][]): string[] {
  const all = [TABLE_COLUMNS, ...rows.map((r) => r.map(String))];
  const widths = TABLE_COLUMNS.map((_, c) => Math.max(...all.map((r) => String(r[c]).length)));
  const line = (r: readonly (string | number)[]) =>
    r
      .map((cell, c) =>
        c === 0 ? String(cell).padEnd(widths[c]!) : String(cell).padStart(widths[c]!),
      )
      .join('  ');
  return [line(TABLE_COLUMNS), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)];
}
