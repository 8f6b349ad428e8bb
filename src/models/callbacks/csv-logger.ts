import type * as NodeFsModule from 'node:fs';
import { ConfigError, describe } from '../../errors.js';
import type { JsonValue } from '../../serialization.js';
import { checkBoolean, checkOptionKeys, optionKeys, checkString } from '../../validation.js';
import { Callback, badState, stateFields, type Logs } from '../callback.js';

export interface CSVLoggerOptions {
  /** Between fields. Default ','. */
  separator?: string;
  /** Add to an existing file (no header if it is not empty) instead of overwriting it. Default false. */
  append?: boolean;
}
const CSV_LOGGER_OPTION_KEYS = optionKeys<CSVLoggerOptions>()({
  separator: true,
  append: true,
});

type NodeFs = typeof NodeFsModule;

/** What a checkpoint keeps of the log: how far it goes, and what comes next. */
interface LogState {
  /** Bytes of the file that hold the log so far (and, with append, what was there before). */
  size: number;
  /** The last row written ('' if none), checked against the file on resume. */
  tail: string;
  /** The columns (set by the first epoch), null before it. */
  keys: string[] | null;
  /** Whether the next row still needs the header. */
  header: boolean;
}

/**
 * Writes one row per epoch to a CSV file (Node.js only): `epoch`, then the epoch's logs in
 * the order of the first epoch's keys (a later missing key is written `NA`, a later new key
 * is left out). A header row starts the file unless appending to a non-empty one. Each epoch
 * is one `appendFileSync` of whole lines (a single append write), so the file never holds half
 * a row. Fields holding the separator, a quote or a newline are quoted as CSV.
 *
 * With fit's `checkpoint` option the log goes on across a resume: the checkpoint records how
 * far the file went, and the resumed fit cuts it back there (dropping the rows of epochs that
 * are run again) and appends after it, so that the file ends as an uninterrupted run's. The
 * file is therefore opened (and, without `append`, emptied) when the first epoch begins, once
 * fit has said whether it resumes, rather than at onTrainBegin.
 */
export class CSVLogger extends Callback {
  readonly filename: string;
  readonly separator: string;
  readonly append: boolean;
  #fs: NodeFs | undefined;
  #opened = false;
  #log: LogState = { size: 0, tail: '', keys: null, header: true };

  constructor(filename: string, options: CSVLoggerOptions = {}) {
    super();
    const owner = 'csvLogger';
    this.filename = checkString(filename, owner, 'filename', {
      example: `${owner}('training.csv')`,
    });
    const o = checkOptionKeys(
      options,
      owner,
      CSV_LOGGER_OPTION_KEYS,
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
    try {
      this.#fs = await import('node:fs');
    } catch (cause) {
      throw new ConfigError(
        `csvLogger: writing files needs Node.js (node:fs could not be loaded).`,
        {
          cause,
        },
      );
    }
    this.#opened = false;
    this.#log = { size: 0, tail: '', keys: null, header: true };
  }

  override async onEpochBegin(): Promise<void> {
    this.#open();
  }

  override async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    const fs = this.#open();
    const log = this.#log;
    const keys = (log.keys ??= Object.keys(logs));
    const row = (fields: string[]): string =>
      fields.map((f) => this.#quote(f)).join(this.separator) + '\n';
    const line = row([String(epoch), ...keys.map((k) => (k in logs ? String(logs[k]) : 'NA'))]);
    const text = (log.header ? row(['epoch', ...keys]) : '') + line;
    fs.appendFileSync(this.filename, text);
    log.size += Buffer.byteLength(text);
    log.tail = line;
    log.header = false;
  }

  override async onTrainEnd(): Promise<void> {
    this.#open();
  }

  /** How far the log went, for fit's checkpoints. */
  override getState(): JsonValue {
    const { size, tail, keys, header } = this.#log;
    return { size, tail, keys: keys && [...keys], header };
  }

  /**
   * Resumes the log of a checkpointed fit: the file is cut back to the rows the checkpoint
   * recorded (rows written after it, by epochs that are run again, go) and rows are appended
   * after them. A file that no longer holds those rows (deleted, rewritten) is an error.
   */
  override setState(state: JsonValue): void {
    const s = stateFields(state, 'csvLogger', ['size']) as Partial<Record<keyof LogState, unknown>>;
    const { size, tail, keys, header } = s;
    const ok =
      Number.isInteger(size) &&
      (size as number) >= 0 &&
      typeof tail === 'string' &&
      typeof header === 'boolean' &&
      (keys === null || (Array.isArray(keys) && keys.every((k) => typeof k === 'string')));
    if (!ok) {
      throw badState('csvLogger', '{ size, tail, keys: string[] | null, header: boolean }', state);
    }
    const fs = this.#fs;
    if (fs === undefined) throw new Error('internal: csvLogger.setState before onTrainBegin');
    const log: LogState = {
      size: size as number,
      tail,
      keys: keys === null ? null : [...(keys as string[])],
      header,
    };
    if (!this.#holds(fs, log)) {
      throw new ConfigError(
        `csvLogger: the checkpoint recorded ${describe(this.filename)} with ${log.size} bytes ` +
          `ending in the row ${describe(log.tail)}, but the file no longer holds them (it was ` +
          'deleted, moved or rewritten since). Fix: put the file back to continue its log, or ' +
          'log to another file, or use another checkpoint dir to start afresh.',
      );
    }
    if (fs.existsSync(this.filename)) fs.truncateSync(this.filename, log.size);
    this.#log = log;
    this.#opened = true;
  }

  /** Whether the file holds at least `log.size` bytes, the last of them `log.tail`. */
  #holds(fs: NodeFs, log: LogState): boolean {
    if (!fs.existsSync(this.filename)) return log.size === 0;
    if (fs.statSync(this.filename).size < log.size) return false;
    const tail = Buffer.from(log.tail);
    if (tail.byteLength > log.size) return false;
    const found = Buffer.alloc(tail.byteLength);
    const fd = fs.openSync(this.filename, 'r');
    try {
      fs.readSync(fd, found, 0, found.byteLength, log.size - tail.byteLength);
    } finally {
      fs.closeSync(fd);
    }
    return found.equals(tail);
  }

  /** Starts the file on first use: emptied, or with append kept as it is. */
  #open(): NodeFs {
    const fs = this.#fs;
    if (fs === undefined) throw new Error('internal: csvLogger used before onTrainBegin');
    if (this.#opened) return fs;
    this.#opened = true;
    if (this.append) {
      const size = fs.existsSync(this.filename) ? fs.statSync(this.filename).size : 0;
      this.#log = { size, tail: '', keys: null, header: size === 0 };
    } else {
      fs.writeFileSync(this.filename, '');
      this.#log = { size: 0, tail: '', keys: null, header: true };
    }
    return fs;
  }

  #quote(field: string): string {
    if (!field.includes(this.separator) && !/["\r\n]/.test(field)) return field;
    return `"${field.replaceAll('"', '""')}"`;
  }
}

export function csvLogger(filename: string, options?: CSVLoggerOptions): CSVLogger {
  return new CSVLogger(filename, options);
}
