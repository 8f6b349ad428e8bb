/** The report's inline stylesheet: system fonts only, nothing fetched. */
export const REPORT_CSS = `
:root { --fg: #1d2330; --muted: #5b6472; --line: #d9dde3; --panel: #f5f6f8; --accent: #2f6db5; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--fg); background: #fff;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 28px 64px; }
h1 { font-size: 1.8rem; margin: 0 0 4px; }
h2 { font-size: 1.35rem; margin: 0 0 4px; }
h3 { font-size: 1.05rem; margin: 24px 0 8px; }
h4 { font-size: 0.95rem; margin: 0; font-family: ui-monospace, Menlo, Consolas, monospace; }
a { color: var(--accent); }
.subtitle, .description, .note { color: var(--muted); margin: 0 0 12px; }
header { margin-bottom: 24px; }
nav ul { list-style: none; padding: 0; margin: 8px 0 0; display: flex; flex-wrap: wrap; gap: 6px 16px; }
table { border-collapse: collapse; margin: 8px 0; font-size: 0.92rem; }
th, td { padding: 5px 12px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
th { background: var(--panel); font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.table-wrap { overflow-x: auto; }
ul.verdicts { padding-left: 20px; }
ul.verdicts li { margin: 4px 0; }
code, .rule { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.9em; }
section.variant { border-top: 2px solid var(--line); margin-top: 40px; padding-top: 20px; }
.chart { position: relative; height: 280px; }
.layer { background: var(--panel); border-radius: 6px; padding: 10px 12px 6px; margin: 10px 0; }
.layer-head { display: flex; align-items: center; gap: 16px; flex-wrap: wrap; }
.layer-head label { color: var(--muted); font-size: 0.9rem; display: flex; align-items: center; gap: 8px; }
.hist-row { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 12px; }
.hist-row.recurrent { grid-template-columns: repeat(4, minmax(0, 1fr)); }
.hist-row .chart { height: 190px; background: #fff; border-radius: 4px; }
.chart.empty { display: flex; align-items: center; justify-content: center; color: var(--muted); font-size: 0.9rem; }
img.tiles { image-rendering: pixelated; max-width: 100%; height: auto; border: 1px solid var(--line); display: block; }
table.channels { margin: 8px 0 4px; font-size: 0.85rem; }
.controls { color: var(--muted); font-size: 0.9rem; margin: 12px 0; }
`;
