import type * as NodeFsModule from 'node:fs';
import { ConfigError, describe } from '../../errors.js';
import { checkBoolean, checkOptionKeys, checkString } from '../../validation.js';
import { Callback, type Logs } from '../callback.js';

export interface CSVLoggerOptions {
  /** Between fields. Default ','. */
  separator?: string;
  /** Add to an existing file (no header if it is not empty) instead of overwriting it. Default false. */
  append?: boolean;
}

type NodeFs = typeof NodeFsModule;

/**
 * Writes one row per epoch to a CSV file (Node.js only): `epoch`, then the epoch's logs in
 * the order of the first epoch's keys (a later missing key is written `NA`, a later new key
 * is left out). A header row starts the file unless appending to a non-empty one. Each epoch
 * is one `appendFileSync` of whole lines (a single append write), so the file never holds half
 * a row. Fields holding the separator, a quote or a newline are quoted as CSV.
 */
export class CSVLogger extends Callback {
  readonly filename: string;
  readonly separator: string;
  readonly append: boolean;
  #fs: NodeFs | undefined;
  #keys: string[] | undefined;
  #header = true;

  constructor(filename: string, options: CSVLoggerOptions = {}) {
    super();
    const owner = 'csvLogger';
    this.filename = checkString(filename, owner, 'filename', {
      example: `${owner}('training.csv')`,
    });
    const o = checkOptionKeys(
      options,
      owner,
      ['separator', 'append'],
      `${owner}('log.csv', { append: true })`,
    );
    const separator = o.separator ?? ',';
    if (typeof separator !== 'string' || separator === '' || /["\r\n]/.test(separator)) {
      throw new ConfigError(
        `${owner}: separator must be a non-empty string without quotes or newlines, ` +
          `received ${describe(separator)}; e.g. separator: ';'.`,
      );
    }
    this.separator = separator;
    this.append = checkBoolean(o.append, owner, 'append', false);
  }

  override async onTrainBegin(): Promise<void> {
    let fs: NodeFs;
    try {
      fs = await import('node:fs');
    } catch (cause) {
      throw new ConfigError(
        `csvLogger: writing files needs Node.js (node:fs could not be loaded).`,
        {
          cause,
        },
      );
    }
    this.#fs = fs;
    this.#keys = undefined;
    if (this.append) {
      this.#header = !(fs.existsSync(this.filename) && fs.statSync(this.filename).size > 0);
    } else {
      fs.writeFileSync(this.filename, '');
      this.#header = true;
    }
  }

  override async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    const fs = this.#fs;
    if (fs === undefined) throw new Error('internal: csvLogger.onEpochEnd before onTrainBegin');
    const keys = (this.#keys ??= Object.keys(logs));
    const row = (fields: string[]): string =>
      fields.map((f) => this.#quote(f)).join(this.separator) + '\n';
    let text = this.#header ? row(['epoch', ...keys]) : '';
    text += row([String(epoch), ...keys.map((k) => (k in logs ? String(logs[k]) : 'NA'))]);
    fs.appendFileSync(this.filename, text);
    this.#header = false;
  }

  #quote(field: string): string {
    if (!field.includes(this.separator) && !/["\r\n]/.test(field)) return field;
    return `"${field.replaceAll('"', '""')}"`;
  }
}

export function csvLogger(filename: string, options?: CSVLoggerOptions): CSVLogger {
  return new CSVLogger(filename, options);
}
