/**
 * renderReport: one self-contained HTML page for a regularization lab, openable offline.
 * Everything is inline: the stylesheet, the Chart.js UMD bundle, the data (as JSON) and a
 * small script that draws the charts; images are PNG data: URLs. Nothing is fetched.
 *
 * Order: heading, the comparison table, verdicts and advice, then one section per variant
 * (loss split into data and regularization parts, other metrics, per-layer histograms of
 * weights | pre-activation | activation with an epoch slider, and for a conv layer its
 * per-channel counts by epoch; learned features or a conv code's feature maps, originals over
 * reconstructions).
 */
import { CLIENT_SCRIPT } from './client.js';
import { escapeHtml, formatCell, jsonForScript } from './format.js';
import { reportNodeApis } from './node.js';
import { featureGridPng, featureMapsPng, reconstructionsPng, type TileImage } from './png.js';
import { REPORT_CSS } from './style.js';
import type { ReportInput, VariantReport } from './types.js';
import { validateReportInput } from './validate.js';
import { reportView } from './view.js';

/** Images are drawn at this many screen pixels per PNG pixel (CSS scaling, PNG stays 1:1). */
const IMAGE_SCALE = 2;

let chartJs: string | undefined;

/**
 * The Chart.js UMD bundle. The package's `exports` map does not list dist/chart.umd.min.js,
 * so it is found beside the resolved main entry (dist/chart.cjs).
 */
function chartJsBundle(): string {
  if (chartJs === undefined) {
    const { fs, path, require } = reportNodeApis('renderReport()');
    const main = require.resolve('chart.js');
    const source = fs.readFileSync(path.join(path.dirname(main), 'chart.umd.min.js'), 'utf8');
    chartJs = source.replace(/<\/script/gi, '<\\/script');
  }
  return chartJs;
}

const esc = escapeHtml;

function tableHtml(table: ReportInput['table']): string {
  const head = table.columns.map((c) => `<th>${esc(c)}</th>`).join('');
  const rows = table.rows.map((row) => {
    const cells = row.map((cell) => {
      const cls = typeof cell === 'string' ? '' : ' class="num"';
      return `<td${cls}>${esc(formatCell(cell))}</td>`;
    });
    return `<tr>${cells.join('')}</tr>`;
  });
  return `<div class="table-wrap"><table id="summary-table"><thead><tr>${head}</tr></thead><tbody>${rows.join('\n')}</tbody></table></div>`;
}

function verdictsHtml(input: ReportInput): string {
  const verdicts =
    input.verdicts.length === 0
      ? '<p class="note">No verdicts.</p>'
      : `<ul class="verdicts" id="verdicts">${input.verdicts
          .map((v) => `<li><strong>${esc(v.variant)}</strong>: ${esc(v.text)}</li>`)
          .join('\n')}</ul>`;
  const advice =
    input.advice.length === 0
      ? '<p class="note">No advice: no rule fired.</p>'
      : `<table id="advice"><thead><tr><th>variant</th><th>rule</th><th>advice</th></tr></thead><tbody>${input.advice
          .map(
            (a) =>
              `<tr><td>${esc(a.variant)}</td><td class="rule">${esc(a.rule)}</td><td>${esc(a.message)}</td></tr>`,
          )
          .join('\n')}</tbody></table>`;
  return `<h2>Verdicts</h2>${verdicts}<h3>Advice</h3>${advice}`;
}

function chartBox(v: number, chart: string, label: string, extra = ''): string {
  return `<div class="chart"><canvas data-chart="${chart}" data-variant="${v}"${extra} role="img" aria-label="${esc(label)}"></canvas></div>`;
}

function layersHtml(variant: VariantReport, v: number): string {
  if (variant.layers.length === 0) return '';
  const blocks = variant.layers.map((layer, l) => {
    const at = ` data-variant="${v}" data-layer="${l}"`;
    const name = `<h4>${esc(layer.name)}</h4>`;
    const n = layer.epochs.length;
    const last = layer.epochs[n - 1];
    if (!last) return `<div class="layer">${name}<p class="note">No histograms recorded.</p></div>`;
    const slider =
      n > 1
        ? `<input type="range" min="0" max="${n - 1}" step="1" value="${n - 1}" data-epoch-slider${at} aria-label="epoch of ${esc(layer.name)}">`
        : '';
    const epochLabel = `<label>epoch <output data-epoch-label${at}>${last.epoch}</output>${slider}</label>`;
    const recurrent = layer.epochs.some((e) => e.recurrentWeights);
    const names = recurrent
      ? (['weights', 'recurrentWeights', 'preActivation', 'activation'] as const)
      : (['weights', 'preActivation', 'activation'] as const);
    const parts = names.map((part) => {
      if (part === 'preActivation' && !layer.epochs.some((e) => e.preActivation)) {
        return '<div class="chart empty">no pre-activation (no activation inside this layer)</div>';
      }
      const label = `${part} histogram of ${layer.name}`;
      return `<div class="chart"><canvas data-chart="histogram" data-part="${part}"${at} role="img" aria-label="${esc(label)}"></canvas></div>`;
    });
    const gates = last.gateSaturation;
    const gateNote = gates
      ? `<p class="note gates">Saturated gate outputs at epoch ${last.epoch} (sigmoid &lt; 0.01 or &gt; 0.99, tanh |g| &gt; 0.99): ` +
        `input ${percent(gates.input)}, forget ${percent(gates.forget)}, candidate ${percent(gates.candidate)}, ` +
        `output ${percent(gates.output)}, all ${percent(gates.all)}.</p>`
      : '';
    return `<div class="layer"><div class="layer-head">${name}${epochLabel}</div><div class="hist-row${recurrent ? ' recurrent' : ''}">${parts.join('')}</div>${gateNote}${channelsHtml(layer)}</div>`;
  });
  return `<h3>Layers: weights | pre-activation | activation</h3>${blocks.join('\n')}`;
}

/** A conv layer's per-channel counts, one row per recorded epoch ('' for a layer without them). */
function channelsHtml(layer: VariantReport['layers'][number]): string {
  const rows = layer.epochs.filter((e) => e.channels);
  if (rows.length === 0) return '';
  const hasDead = rows.some((e) => e.channels!.dead !== undefined);
  const hasSaturated = rows.some((e) => e.channels!.saturated !== undefined);
  const head = [
    'epoch',
    'channels',
    ...(hasDead ? ['dead'] : []),
    ...(hasSaturated ? ['saturated (> 50%)'] : []),
    'active per digit',
  ];
  const cell = (v: number | undefined): string =>
    `<td class="num">${esc(formatCell(v ?? null))}</td>`;
  const body = rows.map((e) => {
    const c = e.channels!;
    const cells = [
      cell(e.epoch),
      cell(c.count),
      ...(hasDead ? [cell(c.dead)] : []),
      ...(hasSaturated ? [cell(c.saturated)] : []),
      cell(c.meanActive),
    ];
    return `<tr>${cells.join('')}</tr>`;
  });
  return (
    `<table class="channels" data-channels="${esc(layer.name)}"><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead>` +
    `<tbody>${body.join('')}</tbody></table>`
  );
}

function imageHtml(image: TileImage, kind: string, alt: string): string {
  const src = `data:image/png;base64,${image.png.toString('base64')}`;
  const w = image.width * IMAGE_SCALE;
  const h = image.height * IMAGE_SCALE;
  return `<img class="tiles" data-kind="${kind}" width="${w}" height="${h}" alt="${esc(alt)}" src="${src}">`;
}

function imagesHtml(variant: VariantReport): string {
  let html = '';
  const f = variant.features;
  if (f) {
    const alt = `${f.tiles.length} learned features of the code layer`;
    html +=
      `<h3>Learned features of the code layer</h3><p class="note">${f.tiles.length} tiles of ` +
      `${f.tileWidth}×${f.tileHeight}, each scaled to its own minimum (black) and maximum (white).</p>` +
      imageHtml(featureGridPng(f), 'features', alt);
  }
  const m = variant.featureMaps;
  if (m) {
    const alt = `feature maps of the code layer: ${m.digits} digits × ${m.channels} channels`;
    html +=
      `<h3>Feature maps of the code layer</h3><p class="note">One row per digit, one column per ` +
      `channel (${m.tileWidth}×${m.tileHeight} each), on one grey scale from the smallest value ` +
      `(black) to the largest (white): a dead channel is a black column.</p>` +
      imageHtml(featureMapsPng(m), 'feature-maps', alt);
  }
  const r = variant.reconstructions;
  if (r) {
    const alt = `${r.originals.length} originals above their reconstructions`;
    html +=
      `<h3>Originals and reconstructions</h3><p class="note">Top row: inputs; bottom row: ` +
      `what the model rebuilt from them.</p>` +
      imageHtml(reconstructionsPng(r), 'reconstructions', alt);
  }
  return html;
}

function variantHtml(
  variant: VariantReport,
  v: number,
  hasLoss: boolean,
  hasMetrics: boolean,
): string {
  const loss = hasLoss
    ? `<h3>Loss: data part and regularization part</h3><p class="note">Solid: train; dashed: validation. Data loss on the left axis, regularization loss on the right.</p>${chartBox(v, 'loss', `loss of ${variant.name}`)}`
    : '<p class="note">No loss history recorded.</p>';
  const metrics = hasMetrics
    ? `<h3>Other metrics</h3>${chartBox(v, 'metrics', `metrics of ${variant.name}`)}`
    : '';
  return (
    `<section class="variant" id="variant-${v}"><h2>${esc(variant.name)}</h2>` +
    `<p class="description">${esc(variant.description)}</p>${loss}${metrics}` +
    `${layersHtml(variant, v)}${imagesHtml(variant)}</section>`
  );
}

/** The whole report as one HTML document (see the file comment). Throws a ConfigError on inconsistent input. */
export function renderReport(input: ReportInput): string {
  validateReportInput(input);
  const view = reportView(input);
  const nav = input.variants
    .map((v, i) => `<li><a href="#variant-${i}">${esc(v.name)}</a></li>`)
    .join('');
  const sections = input.variants.map((variant, i) => {
    const vv = view.variants[i]!;
    return variantHtml(variant, i, vv.loss !== null, vv.metrics !== null);
  });
  const hasLayers = input.variants.some((v) => v.layers.length > 0);
  const controls = hasLayers
    ? '<div class="controls"><label><input type="checkbox" id="log-counts"> log-scale histogram counts</label></div>'
    : '';
  const subtitle = input.subtitle ? `<p class="subtitle">${esc(input.subtitle)}</p>` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="sinew">
<title>${esc(input.title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<main>
<header><h1>${esc(input.title)}</h1>${subtitle}<nav><ul>${nav}</ul></nav></header>
<h2>Comparison</h2>
${tableHtml(input.table)}
${verdictsHtml(input)}
${controls}
${sections.join('\n')}
</main>
<script type="application/json" id="report-data">${jsonForScript(view)}</script>
<script>
${chartJsBundle()}
</script>
<script>${CLIENT_SCRIPT}</script>
</body>
</html>
`;
}

/** 0.375 → '37.5%'. */
function percent(x: number): string {
  return `${Number((100 * x).toPrecision(3))}%`;
}
