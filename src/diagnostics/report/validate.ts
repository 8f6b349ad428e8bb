/**
 * Checks a ReportInput before rendering, so a mismatched histogram or a tile of the wrong
 * length fails with a message naming the variant and the field instead of drawing garbage.
 */
import { ConfigError } from '../../errors.js';
import { checkNumber, checkString } from '../../validation.js';
import type { Histogram, ReportInput, VariantReport } from './types.js';

const WHERE = 'renderReport';

function checkHistogram(h: Histogram, where: string): void {
  if (!Array.isArray(h?.edges) || !Array.isArray(h?.counts)) {
    throw new ConfigError(`${WHERE}: ${where} must be { edges: number[], counts: number[] }.`);
  }
  if (h.edges.length !== h.counts.length + 1) {
    throw new ConfigError(
      `${WHERE}: ${where} has ${h.edges.length} edges and ${h.counts.length} counts; ` +
        `expected edges.length = counts.length + 1 (each bin lies between two edges).`,
    );
  }
}

function checkTiles(tiles: number[][], size: number, where: string, sizeText: string): void {
  tiles.forEach((tile, i) => {
    if (!Array.isArray(tile) || tile.length !== size) {
      const got = Array.isArray(tile) ? `${tile.length} values` : typeof tile;
      throw new ConfigError(
        `${WHERE}: ${where}[${i}] has ${got}, expected ${sizeText} = ${size} values.`,
      );
    }
  });
}

function checkImages(v: VariantReport, where: string): void {
  const positive = { integer: true, min: 1 };
  if (v.features) {
    const f = v.features;
    const w = `${where}.features`;
    for (const key of ['rows', 'cols', 'tileWidth', 'tileHeight'] as const) {
      checkNumber(f[key], w, key, positive);
    }
    if (f.tiles.length > f.rows * f.cols) {
      throw new ConfigError(
        `${WHERE}: ${w} has ${f.tiles.length} tiles but rows·cols = ${f.rows}·${f.cols} = ` +
          `${f.rows * f.cols} cells; raise rows or cols, or pass fewer tiles.`,
      );
    }
    const text = `tileWidth·tileHeight = ${f.tileWidth}·${f.tileHeight}`;
    checkTiles(f.tiles, f.tileWidth * f.tileHeight, `${w}.tiles`, text);
  }
  if (v.featureMaps) {
    const f = v.featureMaps;
    const w = `${where}.featureMaps`;
    for (const key of ['digits', 'channels', 'tileWidth', 'tileHeight'] as const) {
      checkNumber(f[key], w, key, positive);
    }
    if (f.tiles.length > f.digits * f.channels) {
      throw new ConfigError(
        `${WHERE}: ${w} has ${f.tiles.length} tiles but digits·channels = ${f.digits}·${f.channels} = ` +
          `${f.digits * f.channels} cells; pass one tile per digit and channel.`,
      );
    }
    const text = `tileWidth·tileHeight = ${f.tileWidth}·${f.tileHeight}`;
    checkTiles(f.tiles, f.tileWidth * f.tileHeight, `${w}.tiles`, text);
  }
  if (v.reconstructions) {
    const r = v.reconstructions;
    const w = `${where}.reconstructions`;
    checkNumber(r.tileWidth, w, 'tileWidth', positive);
    checkNumber(r.tileHeight, w, 'tileHeight', positive);
    if (r.originals.length === 0 || r.originals.length !== r.reconstructions.length) {
      throw new ConfigError(
        `${WHERE}: ${w} has ${r.originals.length} originals and ${r.reconstructions.length} ` +
          `reconstructions; expected the same number, at least one.`,
      );
    }
    const text = `tileWidth·tileHeight = ${r.tileWidth}·${r.tileHeight}`;
    checkTiles(r.originals, r.tileWidth * r.tileHeight, `${w}.originals`, text);
    checkTiles(r.reconstructions, r.tileWidth * r.tileHeight, `${w}.reconstructions`, text);
  }
}

/** Throws a ConfigError naming the first inconsistent field of `input`. */
export function validateReportInput(input: ReportInput): void {
  checkString(input.title, WHERE, 'title');
  const { columns, rows } = input.table;
  rows.forEach((row, i) => {
    if (row.length !== columns.length) {
      throw new ConfigError(
        `${WHERE}: table.rows[${i}] has ${row.length} cells, expected ${columns.length} ` +
          `(one per column: ${columns.join(', ')}).`,
      );
    }
  });
  input.variants.forEach((v, i) => {
    const where = `variant '${v.name}'`;
    checkString(v.name, WHERE, `variants[${i}].name`);
    for (const [key, values] of Object.entries(v.history)) {
      if (!Array.isArray(values)) {
        throw new ConfigError(`${WHERE}: ${where} history.${key} must be an array of numbers.`);
      }
    }
    for (const layer of v.layers) {
      for (const e of layer.epochs) {
        const at = `${where} layer '${layer.name}' epoch ${e.epoch}`;
        checkHistogram(e.weights, `${at} weights`);
        checkHistogram(e.activation, `${at} activation`);
        if (e.preActivation) checkHistogram(e.preActivation, `${at} preActivation`);
        if (e.recurrentWeights) checkHistogram(e.recurrentWeights, `${at} recurrentWeights`);
      }
    }
    checkImages(v, where);
  });
}
