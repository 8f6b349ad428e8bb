import { ConfigError } from '../errors.js';

/**
 * A streaming CSV parser (RFC 4180): text goes in by chunks of any size, complete rows come
 * out, so a file is never held whole. Fields are separated by `delimiter` (or, with
 * `delimWhitespace`, by runs of spaces and tabs); rows end at \n, \r\n or \r. A field that
 * starts with a double quote runs to the closing quote and may hold delimiters, line breaks
 * and doubled quotes ("" is one "). Blank lines are skipped. An unterminated quote at the
 * end of the text is a ConfigError.
 *
 * TF.js differs: it splits lines first (a quoted line break breaks the row) and keeps "" as
 * two quotes; sinew follows the RFC there.
 */

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;

export class CsvParser {
  readonly #delimiter: number;
  readonly #whitespace: boolean;
  #field = '';
  #row: string[] = [];
  /** The current field has begun (a character or an opening quote). */
  #started = false;
  #inQuotes = false;
  /** Inside quotes, the last character was a quote: the closing one, or half of "". */
  #quoteSeen = false;
  #rowQuoted = false;
  /** The last chunk ended with \r: a \n starting the next one belongs to it. */
  #skipLF = false;
  #rows = 0;

  constructor(delimiter = ',', delimWhitespace = false) {
    if (!delimWhitespace && (delimiter.length !== 1 || /["\r\n]/.test(delimiter))) {
      throw new ConfigError(
        `sn.data.csv: delimiter must be one character other than a quote or a line break, received ${JSON.stringify(delimiter)}; e.g. delimiter: ';'.`,
      );
    }
    this.#delimiter = delimiter.charCodeAt(0);
    this.#whitespace = delimWhitespace;
  }

  /** The rows completed by this chunk. */
  push(chunk: string): string[][] {
    const rows: string[][] = [];
    const n = chunk.length;
    let i = 0;
    if (this.#skipLF && n > 0) {
      if (chunk.charCodeAt(0) === LF) i = 1;
      this.#skipLF = false;
    }
    while (i < n) {
      if (this.#inQuotes) {
        if (this.#quoteSeen) {
          this.#quoteSeen = false;
          if (chunk.charCodeAt(i) === QUOTE) {
            this.#field += '"';
            i++;
          } else {
            this.#inQuotes = false;
          }
          continue;
        }
        const q = chunk.indexOf('"', i);
        if (q < 0) {
          this.#field += chunk.slice(i);
          break;
        }
        this.#field += chunk.slice(i, q);
        this.#quoteSeen = true;
        i = q + 1;
        continue;
      }
      let j = i;
      while (j < n && !this.#special(chunk.charCodeAt(j))) j++;
      if (j > i) {
        this.#field += chunk.slice(i, j);
        this.#started = true;
      }
      if (j === n) break;
      const c = chunk.charCodeAt(j);
      i = j + 1;
      if (c === QUOTE) {
        if (this.#started) {
          this.#field += '"'; // a quote inside an unquoted field is kept as it is
        } else {
          this.#inQuotes = true;
          this.#started = true;
          this.#rowQuoted = true;
        }
      } else if (c === LF || c === CR) {
        if (c === CR) {
          if (i < n) {
            if (chunk.charCodeAt(i) === LF) i++;
          } else this.#skipLF = true;
        }
        const row = this.#endRow();
        if (row) rows.push(row);
      } else if (!this.#whitespace || this.#started) {
        this.#endField();
      }
    }
    return rows;
  }

  /** The last row, when the text does not end with a line break. */
  end(): string[][] {
    if (this.#quoteSeen) {
      this.#quoteSeen = false;
      this.#inQuotes = false;
    }
    if (this.#inQuotes) {
      throw new ConfigError(
        `sn.data.csv: a quoted field in row ${this.#rows + 1} (the header counts as row 1) is never closed (the text ends ` +
          'inside quotes); close it with a double quote, and double any quote inside it ("").',
      );
    }
    const row = this.#endRow();
    return row ? [row] : [];
  }

  #special(c: number): boolean {
    if (c === QUOTE || c === LF || c === CR) return true;
    return this.#whitespace ? c === SPACE || c === TAB : c === this.#delimiter;
  }

  #endField(): void {
    this.#row.push(this.#field);
    this.#field = '';
    this.#started = false;
  }

  #endRow(): string[] | undefined {
    if (!this.#whitespace || this.#started || this.#row.length === 0) this.#endField();
    const row = this.#row;
    const quoted = this.#rowQuoted;
    this.#row = [];
    this.#rowQuoted = false;
    if (row.length === 1 && row[0] === '' && !quoted) return undefined; // a blank line
    this.#rows++;
    return row;
  }
}
