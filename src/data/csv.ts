import { ConfigError, describe } from '../errors.js';
import { checkOneOf, checkOptionKeys, isPlainObject, optionKeys, setOwn } from '../validation.js';
import { CsvParser } from './csv-parser.js';
import { Dataset } from './dataset.js';
import type { Stream } from './iterators.js';
import { textChunks } from './text-source.js';

/**
 * sn.data.csv: the rows of a CSV file (a path, under Node.js) or URL (http(s)), streamed and
 * parsed as they are read (data/csv-parser.ts), as tf.data.csv. Each element is an object
 * { column: value }, or, when some columns are labels (columnConfigs: { c: { isLabel: true } }),
 * { xs: { features }, ys: { labels } }. A value is a number when the field reads as one
 * (Number(field)), else the string; a column's dtype changes that: 'int32' floors, 'bool'
 * gives 1 for "1"/"true" (any case) and 0 otherwise, 'string' keeps the text ('float32' is
 * the default). An empty field takes the column's `default`; without one it is an error for
 * a `required` or label column and `undefined` otherwise (batch() then asks for a default).
 */

export interface ColumnConfig {
  /** An empty field in this column is an error (unless a default is given). */
  required?: boolean;
  dtype?: 'float32' | 'int32' | 'bool' | 'string';
  /** The value of an empty field. */
  default?: number | string | boolean;
  /** The column goes to `ys` (the label) instead of `xs`. */
  isLabel?: boolean;
}

export interface CSVConfig {
  /** The first row holds the column names (default true). */
  hasHeader?: boolean;
  /** The column names: needed without a header; with one, they replace its names. */
  columnNames?: string[];
  /** Per-column settings, by column name. */
  columnConfigs?: Record<string, ColumnConfig>;
  /** Keep only the columns named in columnConfigs (default false). */
  configuredColumnsOnly?: boolean;
  /** The field separator, one character (default ','). */
  delimiter?: string;
  /** Fields are separated by runs of spaces and tabs (no delimiter then). */
  delimWhitespace?: boolean;
}

type Value = number | string | boolean | undefined;
export type CSVElement =
  Record<string, Value> | { xs: Record<string, Value>; ys: Record<string, Value> };

const CSV_CONFIG_KEYS = optionKeys<CSVConfig>()({
  hasHeader: true,
  columnNames: true,
  columnConfigs: true,
  configuredColumnsOnly: true,
  delimiter: true,
  delimWhitespace: true,
});
const COLUMN_CONFIG_KEYS = optionKeys<ColumnConfig>()({
  required: true,
  dtype: true,
  default: true,
  isLabel: true,
});
const WHERE = 'sn.data.csv';

/** A dataset of CSV rows; columnNames() reads the header. `new CSVDataset` is sn.data.csv. */
export class CSVDataset extends Dataset<CSVElement> {
  readonly #source: string;
  readonly #config: CSVConfig;

  constructor(source: string, config: CSVConfig = {}) {
    checkCsvArgs(source, config);
    super({ open: () => csvRows(source, config), size: undefined });
    this.#source = source;
    this.#config = config;
  }

  /** The names of the columns in the elements (the configured ones with configuredColumnsOnly). */
  async columnNames(): Promise<string[]> {
    const parser = csvParser(this.#config);
    const chunks = textChunks(this.#source, WHERE);
    let first: string[] | undefined;
    try {
      for await (const chunk of chunks) {
        first = parser.push(chunk)[0];
        if (first) break;
      }
      first ??= parser.end()[0];
    } finally {
      await chunks.return();
    }
    const names = columnNamesOf(this.#source, this.#config, first);
    return this.#config.configuredColumnsOnly
      ? Object.keys(this.#config.columnConfigs ?? {})
      : names;
  }
}

function csvParser(config: CSVConfig): CsvParser {
  const { delimiter = ',', delimWhitespace = false } = config;
  return new CsvParser(delimiter, delimWhitespace);
}

/** The column names from the options and the header row (checked against each other). */
function columnNamesOf(source: string, config: CSVConfig, header: string[] | undefined): string[] {
  const { hasHeader = true, columnNames, columnConfigs = {} } = config;
  if (hasHeader && header === undefined) {
    throw new ConfigError(`${WHERE}: ${describe(source)} is empty; expected a header row.`);
  }
  if (columnNames && hasHeader && columnNames.length !== header!.length) {
    throw new ConfigError(
      `${WHERE}: columnNames has ${columnNames.length} names but the header of ` +
        `${describe(source)} has ${header!.length} columns; give one name per column.`,
    );
  }
  const names = columnNames ?? header!;
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) {
    throw new ConfigError(
      `${WHERE}: the column name ${describe(dup)} appears twice in [${names.join(', ')}]; ` +
        'rename one (columnNames).',
    );
  }
  for (const key of Object.keys(columnConfigs)) {
    if (!names.includes(key)) {
      throw new ConfigError(
        `${WHERE}: columnConfigs names the column ${describe(key)}, which is not among the ` +
          `columns [${names.join(', ')}].`,
      );
    }
  }
  return names;
}

/** One pass over the file: its rows as elements, the header read (and checked) first. */
async function* csvRows(source: string, config: CSVConfig): Stream<CSVElement> {
  const hasHeader = config.hasHeader ?? true;
  const parser = csvParser(config);
  let names: string[] | undefined = hasHeader
    ? undefined
    : columnNamesOf(source, config, undefined);
  let rowNumber = 0;
  const element = (fields: string[]): CSVElement | undefined => {
    rowNumber++;
    if (names === undefined) {
      names = columnNamesOf(source, config, fields);
      return undefined;
    }
    return rowElement(source, config, names, fields, rowNumber);
  };
  for await (const chunk of textChunks(source, WHERE)) {
    for (const fields of parser.push(chunk)) {
      const e = element(fields);
      if (e) yield e;
    }
  }
  for (const fields of parser.end()) {
    const e = element(fields);
    if (e) yield e;
  }
  if (names === undefined) columnNamesOf(source, config, undefined); // empty: the header error
}

/** One row as an element (see the file comment), `row` counting from 1 with the header. */
function rowElement(
  source: string,
  config: CSVConfig,
  names: string[],
  fields: string[],
  row: number,
): CSVElement {
  const { columnConfigs = {}, configuredColumnsOnly = false } = config;
  if (fields.length !== names.length) {
    throw new ConfigError(
      `${WHERE}: row ${row} of ${describe(source)} has ${fields.length} fields but there ` +
        `are ${names.length} columns (${names.join(', ')}); received [${fields.join(', ')}]. ` +
        'Fix the row, or check the delimiter.',
    );
  }
  const xs: Record<string, Value> = {};
  const ys: Record<string, Value> = {};
  let labels = false;
  names.forEach((name, i) => {
    const column = columnConfigs[name];
    if (configuredColumnsOnly && !column) return;
    const value = parseValue(fields[i]!, column, () => {
      throw new ConfigError(
        `${WHERE}: row ${row} of ${describe(source)} has no value in the ` +
          `${column?.isLabel ? 'label' : 'required'} column ${describe(name)}; give the ` +
          'column a default in columnConfigs, or fix the file.',
      );
    });
    if (column?.isLabel) {
      setOwn(ys, name, value); // a column may be named '__proto__'
      labels = true;
    } else setOwn(xs, name, value);
  });
  return labels ? { xs, ys } : xs;
}

function parseValue(field: string, config: ColumnConfig | undefined, missing: () => never): Value {
  if (field === '') {
    if (config?.default !== undefined) return config.default;
    if (config?.required || config?.isLabel) missing();
    return undefined;
  }
  if (config?.dtype === 'string') return field;
  if (config?.dtype === 'bool') return field === '1' || field.toLowerCase() === 'true' ? 1 : 0;
  const n = Number(field);
  if (Number.isNaN(n)) return field;
  return config?.dtype === 'int32' ? Math.floor(n) : n;
}

/** A dataset of the rows of a CSV file or URL (see CSVDataset). */
export function csv(source: string, config: CSVConfig = {}): CSVDataset {
  return new CSVDataset(source, config);
}

/** sn.data.csv's arguments, checked before anything is read. */
function checkCsvArgs(source: unknown, config: unknown): void {
  if (typeof source !== 'string' || source === '') {
    throw new ConfigError(
      `${WHERE}: expected a file path or an http(s) URL, received ${describe(source)}.`,
    );
  }
  const o = checkOptionKeys(config, WHERE, CSV_CONFIG_KEYS);
  if (o.delimWhitespace && o.delimiter !== undefined) {
    throw new ConfigError(
      `${WHERE}: delimiter and delimWhitespace: true were both given; delimWhitespace splits on ` +
        'spaces and tabs, so leave the delimiter out.',
    );
  }
  if (o.columnNames !== undefined) {
    if (!Array.isArray(o.columnNames) || !o.columnNames.every((n) => typeof n === 'string')) {
      throw new ConfigError(
        `${WHERE}: columnNames must be an array of strings, received ${describe(o.columnNames)}.`,
      );
    }
  } else if (o.hasHeader === false) {
    throw new ConfigError(
      `${WHERE}: hasHeader is false, so columnNames is needed; e.g. columnNames: ['x1', 'x2', 'label'].`,
    );
  }
  if (o.columnConfigs !== undefined) {
    if (!isPlainObject(o.columnConfigs)) {
      throw new ConfigError(
        `${WHERE}: columnConfigs must be an object { column: { isLabel, dtype, default, required } }, received ${describe(o.columnConfigs)}.`,
      );
    }
    for (const [name, c] of Object.entries(o.columnConfigs)) {
      const where = `${WHERE}: columnConfigs.${name}`;
      const col = checkOptionKeys(c, where, COLUMN_CONFIG_KEYS, '{ isLabel: true }');
      if (col.dtype !== undefined) {
        checkOneOf(col.dtype, where, 'dtype', ['float32', 'int32', 'bool', 'string']);
      }
    }
  }
}
