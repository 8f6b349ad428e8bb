/**
 * PNG images for the report, encoded with pngjs: the learned-feature grid, a conv code's
 * feature maps and the originals-over-reconstructions strip. Tiles sit on a grid with 1-pixel grey separators, so
 * a grid of `rows × cols` tiles of `w × h` pixels is `cols·(w+1)+1` by `rows·(h+1)+1` pixels.
 * The PNG is at natural size (one pixel per value); the page scales it up with CSS.
 */
import type * as Pngjs from 'pngjs';
import { reportNodeApis } from './node.js';
import type { VariantReport } from './types.js';

let pngjs: typeof Pngjs | undefined;

/** pngjs (Node only: it needs zlib), required on first use so that browsers never load it. */
function PNG(): typeof Pngjs.PNG {
  pngjs ??= reportNodeApis("The report's images").require('pngjs') as typeof Pngjs;
  return pngjs.PNG;
}

/** An encoded PNG and its pixel size. */
export interface TileImage {
  png: Buffer;
  width: number;
  height: number;
}

/** Grey level of the 1-pixel separators and of empty cells. */
const SEPARATOR = 128;

/** The size in pixels of a `rows × cols` grid of `tileWidth × tileHeight` tiles. */
function gridSize(
  rows: number,
  cols: number,
  tileWidth: number,
  tileHeight: number,
): { width: number; height: number } {
  return { width: cols * (tileWidth + 1) + 1, height: rows * (tileHeight + 1) + 1 };
}

/**
 * Draws tiles (values in [0, 1], row-major, `null` for an empty cell) on a grid, row by row.
 * Non-finite values are drawn black.
 */
function drawGrid(
  rows: number,
  cols: number,
  tileWidth: number,
  tileHeight: number,
  tiles: (readonly number[] | null)[],
): TileImage {
  const { width, height } = gridSize(rows, cols, tileWidth, tileHeight);
  const png = new (PNG())({ width, height });
  png.data.fill(SEPARATOR);
  for (let i = 3; i < png.data.length; i += 4) png.data[i] = 255;
  tiles.forEach((tile, t) => {
    if (!tile) return;
    const x0 = (t % cols) * (tileWidth + 1) + 1;
    const y0 = Math.floor(t / cols) * (tileHeight + 1) + 1;
    for (let y = 0; y < tileHeight; y++) {
      for (let x = 0; x < tileWidth; x++) {
        const v = tile[y * tileWidth + x] ?? 0;
        const grey = Number.isFinite(v) ? Math.round(255 * Math.min(1, Math.max(0, v))) : 0;
        const at = ((y0 + y) * width + x0 + x) * 4;
        png.data[at] = png.data[at + 1] = png.data[at + 2] = grey;
      }
    }
  });
  return { png: PNG().sync.write(png), width, height };
}

/** Rescales one tile to [0, 1] by its own finite minimum and maximum (a flat tile becomes 0.5). */
function normaliseTile(tile: readonly number[]): number[] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of tile) {
    if (!Number.isFinite(v)) continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const span = hi - lo;
  return tile.map((v) => (!Number.isFinite(v) ? 0 : span > 0 ? (v - lo) / span : 0.5));
}

/** The feature grid: `rows × cols` tiles, each normalised on its own; missing tiles stay grey. */
export function featureGridPng(features: NonNullable<VariantReport['features']>): TileImage {
  const { rows, cols, tileWidth, tileHeight } = features;
  const tiles = Array.from({ length: rows * cols }, (_, i) => {
    const tile = features.tiles[i];
    return tile ? normaliseTile(tile) : null;
  });
  return drawGrid(rows, cols, tileWidth, tileHeight, tiles);
}

/** Two rows: the originals on top, their reconstructions below (values clamped to [0, 1]). */
export function reconstructionsPng(
  reconstructions: NonNullable<VariantReport['reconstructions']>,
): TileImage {
  const { tileWidth, tileHeight, originals } = reconstructions;
  const tiles = [...originals, ...reconstructions.reconstructions];
  return drawGrid(2, originals.length, tileWidth, tileHeight, tiles);
}

/**
 * The feature maps of a conv code: `digits` rows of `channels` tiles, all on one grey scale
 * from the smallest finite value over every tile to the largest (a flat set is mid-grey).
 */
export function featureMapsPng(maps: NonNullable<VariantReport['featureMaps']>): TileImage {
  const { digits, channels, tileWidth, tileHeight } = maps;
  let lo = Infinity;
  let hi = -Infinity;
  for (const tile of maps.tiles) {
    for (const v of tile) {
      if (!Number.isFinite(v)) continue;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  const span = hi - lo;
  const tiles = Array.from({ length: digits * channels }, (_, i) => {
    const tile = maps.tiles[i];
    return tile ? tile.map((v) => (span > 0 ? (v - lo) / span : 0.5)) : null;
  });
  return drawGrid(digits, channels, tileWidth, tileHeight, tiles);
}
