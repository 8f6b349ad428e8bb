import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { PNG } from 'pngjs';
import { syntheticReportInput } from '../../../test/fixtures/report-input.js';
import { ConfigError } from '../../errors.js';
import { escapeHtml, formatCell, jsonForScript } from './format.js';
import { renderReport, writeReport, type ReportInput } from './index.js';
import { lossView, metricsView, type ReportView } from './view.js';

const CHART_JS = readFileSync(
  new URL('../../../node_modules/chart.js/dist/chart.umd.min.js', import.meta.url),
  'utf8',
);

/** A small hand-made input whose every number is checked below. */
function smallInput(): ReportInput {
  return {
    title: 'Lab',
    table: { columns: ['variant', 'loss'], rows: [['a', 0.25]] },
    verdicts: [],
    advice: [],
    variants: [
      {
        name: 'a',
        description: 'd',
        history: {
          loss: [1.5, 1.25],
          regularization_loss: [0.5, 0.75],
          val_loss: [2, 1],
          val_regularization_loss: [0.5, 0.25],
          mae: [3, 2],
        },
        layers: [
          {
            name: 'enc',
            epochs: [
              {
                epoch: 1,
                weights: { edges: [-1, 0, 1], counts: [3, 4] },
                activation: { edges: [0, 0.5, 1], counts: [7, 0] },
              },
            ],
          },
        ],
        // Tile 0: a ramp 0..3 (min → black, max → white); tile 1 is constant (→ grey 128).
        features: {
          rows: 1,
          cols: 3,
          tileWidth: 2,
          tileHeight: 2,
          tiles: [
            [0, 1, 2, 3],
            [5, 5, 5, 5],
          ],
        },
        reconstructions: {
          tileWidth: 2,
          tileHeight: 2,
          originals: [[1, 0, 0.25, 1]],
          reconstructions: [[0.5, 2, -1, 0]],
        },
      },
    ],
  };
}

function embeddedView(html: string): ReportView {
  const m = /<script type="application\/json" id="report-data">([^<]*)<\/script>/.exec(html);
  assert.ok(m, 'report-data script present');
  return JSON.parse(m[1]!) as ReportView;
}

function image(html: string, kind: string): { png: PNG; width: number; height: number } {
  const re = new RegExp(
    `<img class="tiles" data-kind="${kind}" width="(\\d+)" height="(\\d+)" alt="[^"]*" src="data:image/png;base64,([A-Za-z0-9+/=]+)">`,
  );
  const m = re.exec(html);
  assert.ok(m, `${kind} image present`);
  return { png: PNG.sync.read(Buffer.from(m[3]!, 'base64')), width: +m[1]!, height: +m[2]! };
}

function grey(png: PNG, x: number, y: number): number {
  const at = (y * png.width + x) * 4;
  assert.equal(png.data[at], png.data[at + 1]);
  assert.equal(png.data[at + 3], 255);
  return png.data[at]!;
}

test('escapeHtml and jsonForScript neutralise markup', () => {
  assert.equal(
    escapeHtml(`<a href="x">'&'</a>`),
    '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;',
  );
  const value = { s: '</script><!-- \u2028 &' };
  const json = jsonForScript(value);
  assert.ok(!/[<>&\u2028]/.test(json), json);
  assert.deepEqual(JSON.parse(json), value);
});

test('formatCell: dash for null, integers as is, 4 significant digits otherwise', () => {
  assert.equal(formatCell(null), '—');
  assert.equal(formatCell(12), '12');
  assert.equal(formatCell(0.0812345), '0.08123');
  assert.equal(formatCell(1.5), '1.5');
  assert.equal(formatCell(0.00012346), '1.235e-4');
  assert.equal(formatCell(NaN), 'NaN');
  assert.equal(formatCell(-Infinity), '−∞');
  assert.equal(formatCell('<x>'), '<x>');
});

test('lossView splits loss into data and regularization parts; metricsView pairs val_', () => {
  const { history } = smallInput().variants[0]!;
  const loss = lossView(history)!;
  assert.deepEqual(loss.epochs, [1, 2]);
  assert.deepEqual(
    loss.series.map((s) => [s.label, s.values]),
    [
      ['data loss (train)', [1, 0.5]],
      ['regularization loss (train)', [0.5, 0.75]],
      ['data loss (val)', [1.5, 0.75]],
      ['regularization loss (val)', [0.5, 0.25]],
    ],
  );
  // Without regularization_loss the data loss is the loss; non-finite values become gaps.
  assert.deepEqual(lossView({ loss: [2, NaN] })!.series, [
    { label: 'data loss (train)', values: [2, null], kind: 'data', split: 'train' },
  ]);
  assert.equal(lossView({}), null);
  const metrics = metricsView({ ...history, val_mae: [4, 3], lr: [0.1] })!;
  assert.deepEqual(
    metrics.series.map((s) => [s.label, s.split, s.colorIndex]),
    [
      ['mae', 'train', 0],
      ['val_mae', 'val', 0],
      ['lr', 'train', 1],
    ],
  );
  assert.equal(metricsView({ loss: [1] }), null);
});

test('renderReport embeds the data, the histograms and a canvas per chart', () => {
  const html = renderReport(smallInput());
  const view = embeddedView(html);
  assert.deepEqual(view.variants[0]!.loss!.series[0]!.values, [1, 0.5]);
  assert.deepEqual(view.variants[0]!.layers[0]!.epochs[0], {
    epoch: 1,
    weights: { edges: [-1, 0, 1], counts: [3, 4] },
    preActivation: null,
    activation: { edges: [0, 0.5, 1], counts: [7, 0] },
  });
  assert.equal((html.match(/<canvas data-chart="loss"/g) ?? []).length, 1);
  assert.equal((html.match(/<canvas data-chart="metrics"/g) ?? []).length, 1);
  assert.equal((html.match(/<canvas data-chart="histogram"/g) ?? []).length, 2);
  assert.match(html, /no pre-activation/);
  assert.match(html, /<td class="num">0\.25<\/td>/);
  assert.match(html, /No verdicts\./);
});

test('renderReport: feature grid and reconstruction strip PNGs, pixel by pixel', () => {
  const html = renderReport(smallInput());
  const f = image(html, 'features');
  // 3 cols of 2 px + 4 separators = 3·3+1 = 10 wide; 1 row: 1·3+1 = 4 high; shown at 2×.
  assert.deepEqual([f.png.width, f.png.height, f.width, f.height], [10, 4, 20, 8]);
  assert.equal(grey(f.png, 0, 0), 128, 'separator');
  assert.equal(grey(f.png, 1, 1), 0, 'tile 0 min');
  assert.equal(grey(f.png, 2, 1), 85, 'tile 0: 1/3 of 255');
  assert.equal(grey(f.png, 2, 2), 255, 'tile 0 max');
  assert.equal(grey(f.png, 4, 1), 128, 'flat tile is mid grey');
  assert.equal(grey(f.png, 7, 2), 128, 'empty third cell');
  const r = image(html, 'reconstructions');
  // 1 column, 2 rows: 4 by 7 pixels.
  assert.deepEqual([r.png.width, r.png.height, r.width, r.height], [4, 7, 8, 14]);
  assert.deepEqual(
    [grey(r.png, 1, 1), grey(r.png, 2, 1), grey(r.png, 1, 2), grey(r.png, 2, 2)],
    [255, 0, 64, 255],
  );
  // Reconstructions are clamped to [0, 1], not rescaled.
  assert.deepEqual(
    [grey(r.png, 1, 4), grey(r.png, 2, 4), grey(r.png, 1, 5), grey(r.png, 2, 5)],
    [128, 255, 0, 0],
  );
});

test('renderReport escapes every input string', () => {
  const input = syntheticReportInput();
  const html = renderReport(input);
  const outsideBundle = html.replace(CHART_JS, '');
  assert.ok(!outsideBundle.includes('<script>alert'), 'no raw script from the input');
  assert.ok(!outsideBundle.includes('<b>'), 'no raw <b> from a variant name');
  assert.ok(!outsideBundle.includes('<yet>'));
  assert.ok(html.includes('<title>sinew lab &lt;test&gt; &amp; &quot;friends&quot;</title>'));
  assert.ok(html.includes('<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>'));
  assert.ok(html.includes('L1 on the code &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'));
  assert.ok(
    html.includes(
      '<strong>activity-l1 &lt;b&gt;</strong>: Sparse codes &amp; &quot;crisper&quot; features.',
    ),
  );
  // Every <script> element is one of the three the page needs.
  assert.equal((html.match(/<script\b/g) ?? []).length, 3);
});

test('renderReport inlines Chart.js and refers to nothing outside the file', () => {
  const html = renderReport(syntheticReportInput());
  assert.ok(html.includes(`<script>\n${CHART_JS}\n</script>`), 'Chart.js bundle inlined verbatim');
  const rest = html.replace(CHART_JS, '');
  assert.deepEqual(
    rest.match(/https?:|\/\/[a-z0-9.-]+\.[a-z]{2,}\//gi),
    null,
    'no URL outside Chart.js',
  );
  assert.ok(!/<link\b|@import|url\(|\bsrc="(?!data:image\/png;base64,)/i.test(rest));
  // Inside Chart.js, the only URLs are in its /*! license */ comments.
  const withoutComments = CHART_JS.replace(/\/\*![\s\S]*?\*\//g, '');
  assert.equal(withoutComments.match(/https?:\/\//g), null);
  assert.equal((CHART_JS.match(/https?:\/\//g) ?? []).length, 2);
});

test('renderReport rejects inconsistent input with a message naming the field', () => {
  const badHistogram = smallInput();
  badHistogram.variants[0]!.layers[0]!.epochs[0]!.weights.counts.push(1);
  assert.throws(
    () => renderReport(badHistogram),
    (e: unknown) =>
      e instanceof ConfigError &&
      /variant 'a' layer 'enc' epoch 1 weights has 3 edges and 3 counts; expected edges.length = counts.length \+ 1/.test(
        e.message,
      ),
  );
  const badTile = smallInput();
  badTile.variants[0]!.features!.tiles[1] = [1, 2, 3];
  assert.throws(
    () => renderReport(badTile),
    /features\.tiles\[1\] has 3 values, expected tileWidth·tileHeight = 2·2 = 4/,
  );
  const zeroRows = smallInput();
  zeroRows.variants[0]!.features!.rows = 0;
  assert.throws(() => renderReport(zeroRows), /features: rows must be an integer >= 1, received 0/);
  const tooMany = smallInput();
  tooMany.variants[0]!.features!.cols = 1;
  assert.throws(() => renderReport(tooMany), /has 2 tiles but rows·cols = 1·1 = 1 cells/);
  const badRow = smallInput();
  badRow.table.rows.push(['b']);
  assert.throws(() => renderReport(badRow), /table\.rows\[1\] has 1 cells, expected 2/);
  const unpaired = smallInput();
  unpaired.variants[0]!.reconstructions!.reconstructions.push([0, 0, 0, 0]);
  assert.throws(() => renderReport(unpaired), /1 originals and 2 reconstructions/);
});

test('writeReport writes dir/index.html atomically, creating the folder', () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'sinew-report-unit-')), 'nested', 'lab-report');
  const input = smallInput();
  const path = writeReport(dir, input);
  assert.equal(path, join(dir, 'index.html'));
  assert.equal(readFileSync(path, 'utf8'), renderReport(input));
  assert.deepEqual(readdirSync(dir), ['index.html'], 'no temporary file left behind');
  // A failed render writes nothing.
  const bad = smallInput();
  bad.table.rows.push([]);
  const other = join(dir, '..', 'other');
  assert.throws(() => writeReport(other, bad), ConfigError);
  assert.equal(existsSync(other), false);
});

test('renderReport: a recurrent layer shows its recurrent kernel beside its kernel and its gate saturation', () => {
  const input = smallInput();
  input.variants[0]!.layers.push({
    name: 'lstm',
    epochs: [
      {
        epoch: 1,
        weights: { edges: [-1, 0, 1], counts: [2, 2] },
        recurrentWeights: { edges: [-0.5, 0, 0.5], counts: [1, 3] },
        activation: { edges: [-1, 0, 1], counts: [1, 1] },
        gateSaturation: { input: 0.5, forget: 0.25, candidate: 0.125, output: 0, all: 0.21875 },
      },
    ],
  });
  const html = renderReport(input);
  const lstmBlock = html.slice(html.indexOf('<h4>lstm</h4>'));
  const parts = [...lstmBlock.matchAll(/data-part="(\w+)" data-variant="0" data-layer="1"/g)].map(
    (m) => m[1],
  );
  // No pre-activation was recorded: that column is a note, not a chart.
  assert.deepEqual(parts, ['weights', 'recurrentWeights', 'activation']);
  assert.match(lstmBlock, /class="hist-row recurrent"/);
  assert.match(lstmBlock, /input 50%, forget 25%, candidate 12.5%, output 0%, all 21.9%/);
  // The dense layer keeps its three columns and no gate line.
  const encBlock = html.slice(html.indexOf('<h4>enc</h4>'), html.indexOf('<h4>lstm</h4>'));
  assert.ok(!encBlock.includes('recurrentWeights') && !encBlock.includes('Saturated gate'));
  const epoch = embeddedView(html).variants[0]!.layers[1]!.epochs[0]!;
  assert.deepEqual(epoch.recurrentWeights!.counts, [1, 3]);
  assert.equal(epoch.gateSaturation!.forget, 0.25);
});
