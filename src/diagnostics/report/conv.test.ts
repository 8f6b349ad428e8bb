import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PNG } from 'pngjs';
import { ConfigError } from '../../errors.js';
import { renderReport, type ReportInput } from './index.js';

/** A report with one conv layer (per-channel counts at two epochs) and a code's feature maps. */
function convInput(): ReportInput {
  const h = { edges: [0, 1], counts: [4] };
  return {
    title: 'Conv lab',
    table: { columns: ['variant'], rows: [['a']] },
    verdicts: [],
    advice: [],
    variants: [
      {
        name: 'a',
        description: 'conv',
        history: { loss: [1] },
        layers: [
          {
            name: 'conv1',
            epochs: [
              {
                epoch: 0,
                weights: h,
                activation: h,
                channels: { count: 16, dead: 0, meanActive: 16 },
              },
              {
                epoch: 1,
                weights: h,
                activation: h,
                channels: { count: 16, dead: 3, meanActive: 12.5 },
              },
            ],
          },
          { name: 'dense', epochs: [{ epoch: 1, weights: h, activation: h }] },
        ],
        // 2 digits × 2 channels of 2×1 pixels; values from -1 to 3 over all tiles: -1 → black,
        // 3 → white, 1 → 128 (one scale for every tile, unlike the learned-feature grid).
        featureMaps: {
          digits: 2,
          channels: 2,
          tileWidth: 2,
          tileHeight: 1,
          tiles: [
            [-1, 3],
            [1, 1],
            [0, 0],
            [3, 3],
          ],
        },
      },
    ],
  };
}

function grey(png: PNG, x: number, y: number): number {
  return png.data[(y * png.width + x) * 4]!;
}

test('renderReport: a conv layer gets a table of its channels by epoch', () => {
  const html = renderReport(convInput());
  const tables = html.match(/<table class="channels"[\s\S]*?<\/table>/g) ?? [];
  assert.equal(tables.length, 1, 'only the conv layer has one');
  const table = tables[0]!;
  assert.match(table, /data-channels="conv1"/);
  const head = [...table.matchAll(/<th>([^<]*)<\/th>/g)].map((m) => m[1]);
  assert.deepEqual(head, ['epoch', 'channels', 'dead', 'active per digit']);
  const rows = [...table.matchAll(/<tr>((?:<td[^>]*>[^<]*<\/td>)+)<\/tr>/g)].map((m) =>
    [...m[1]!.matchAll(/<td class="num">([^<]*)<\/td>/g)].map((c) => c[1]),
  );
  assert.deepEqual(rows, [
    ['0', '16', '0', '16'],
    ['1', '16', '3', '12.5'],
  ]);
});

test('renderReport: feature maps on one grey scale, a row per digit, a column per channel', () => {
  const html = renderReport(convInput());
  assert.match(html, /<h3>Feature maps of the code layer<\/h3>/);
  const m =
    /<img class="tiles" data-kind="feature-maps" width="(\d+)" height="(\d+)" alt="feature maps of the code layer: 2 digits × 2 channels" src="data:image\/png;base64,([A-Za-z0-9+/=]+)">/.exec(
      html,
    );
  assert.ok(m, 'feature-maps image present');
  const png = PNG.sync.read(Buffer.from(m[3]!, 'base64'));
  // 2 columns of 2 px: 2·3+1 = 7 wide; 2 rows of 1 px: 2·2+1 = 5 high; shown at 2×.
  assert.deepEqual([png.width, png.height, +m[1]!, +m[2]!], [7, 5, 14, 10]);
  // Digit 0 (y = 1): channel 0 at x = 1, 2; channel 1 at x = 4, 5. Digit 1 at y = 3.
  assert.deepEqual(
    [grey(png, 1, 1), grey(png, 2, 1), grey(png, 4, 1), grey(png, 5, 1)],
    [0, 255, 128, 128],
  );
  assert.deepEqual([grey(png, 1, 3), grey(png, 4, 3)], [64, 255]);
  assert.equal(grey(png, 0, 0), 128, 'separator');
});

test('renderReport rejects feature maps of the wrong size', () => {
  const input = convInput();
  input.variants[0]!.featureMaps!.tiles[1] = [1, 2, 3];
  assert.throws(
    () => renderReport(input),
    (e: Error) =>
      e instanceof ConfigError &&
      /variant 'a'\.featureMaps\.tiles\[1\] has 3 values, expected tileWidth·tileHeight = 2·1 = 2 values/.test(
        e.message,
      ),
  );
  const more = convInput();
  more.variants[0]!.featureMaps!.tiles.push([0, 0]);
  assert.throws(() => renderReport(more), /has 5 tiles but digits·channels = 2·2 = 4 cells/);
});
