import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as sn from '../index.js';
import { CsvParser } from './csv-parser.js';

/** sn.data.csv and its parser against rows written out by hand. */

const root = mkdtempSync(join(tmpdir(), 'sinew-csv-'));
process.on('exit', () => rmSync(root, { recursive: true, force: true }));
let files = 0;
function file(text: string): string {
  const path = join(root, `f${++files}.csv`);
  writeFileSync(path, text);
  return path;
}

const TRICKY =
  'name,note,score\r\n' +
  'plain,"with, comma",1\r\n' +
  '"quoted ""word""","two\nlines",2.5\n' +
  '\n' + // a blank line is skipped
  'last,,-3'; // no final line break; an empty field
const TRICKY_ROWS = [
  ['name', 'note', 'score'],
  ['plain', 'with, comma', '1'],
  ['quoted "word"', 'two\nlines', '2.5'],
  ['last', '', '-3'],
];

test('CsvParser: quotes, doubled quotes, line breaks in quotes, CRLF, blank lines', () => {
  const parser = new CsvParser();
  assert.deepEqual([...parser.push(TRICKY), ...parser.end()], TRICKY_ROWS);
});

test('CsvParser: the same rows whatever the chunk boundaries', () => {
  for (let size = 1; size <= 7; size++) {
    const parser = new CsvParser();
    const rows: string[][] = [];
    for (let i = 0; i < TRICKY.length; i += size)
      rows.push(...parser.push(TRICKY.slice(i, i + size)));
    rows.push(...parser.end());
    assert.deepEqual(rows, TRICKY_ROWS, `chunks of ${size}`);
  }
  // \r at the end of one chunk and \n at the start of the next are one line break.
  const parser = new CsvParser();
  assert.deepEqual(
    [...parser.push('a,b\r'), ...parser.push('\nc,d\r\n'), ...parser.end()],
    [
      ['a', 'b'],
      ['c', 'd'],
    ],
  );
});

test('CsvParser: other delimiters, whitespace, and an unclosed quote', () => {
  const semi = new CsvParser(';');
  assert.deepEqual(
    [...semi.push('a;"b;c"\n1;2\n'), ...semi.end()],
    [
      ['a', 'b;c'],
      ['1', '2'],
    ],
  );
  const ws = new CsvParser(',', true);
  assert.deepEqual(
    [...ws.push('  a   b\tc \n1 2 3'), ...ws.end()],
    [
      ['a', 'b', 'c'],
      ['1', '2', '3'],
    ],
  );
  const open = new CsvParser();
  open.push('a,"never closed\n1,2\n');
  assert.throws(
    () => open.end(),
    (e: Error) => e instanceof sn.ConfigError && /never closed/.test(e.message),
  );
  assert.throws(() => new CsvParser('"'), sn.ConfigError);
});

test('csv: elements from the header, numbers parsed, empty fields undefined (as TF.js)', async () => {
  const ds = sn.data.csv(file(TRICKY));
  assert.deepEqual(await ds.columnNames(), ['name', 'note', 'score']);
  assert.deepEqual(await ds.toArray(), [
    { name: 'plain', note: 'with, comma', score: 1 },
    { name: 'quoted "word"', note: 'two\nlines', score: 2.5 },
    { name: 'last', note: undefined, score: -3 },
  ]);
});

const TABLE = 'a,b,flag,label\n1.5,2,true,0\n,7.9,0,1\n3,,TRUE,1\n';

test('csv: a label column gives { xs, ys }; dtype, default and configuredColumnsOnly', async () => {
  const path = file(TABLE);
  const labelled = sn.data.csv(path, {
    columnConfigs: {
      label: { isLabel: true },
      b: { dtype: 'int32', default: -1 },
      flag: { dtype: 'bool' },
    },
  });
  assert.deepEqual(await labelled.toArray(), [
    { xs: { a: 1.5, b: 2, flag: 1 }, ys: { label: 0 } },
    { xs: { a: undefined, b: 7, flag: 0 }, ys: { label: 1 } },
    { xs: { a: 3, b: -1, flag: 1 }, ys: { label: 1 } },
  ]);
  const only = sn.data.csv(path, {
    columnConfigs: { b: { default: 0 }, label: { isLabel: true, dtype: 'string' } },
    configuredColumnsOnly: true,
  });
  assert.deepEqual(await only.columnNames(), ['b', 'label']);
  assert.deepEqual(await only.toArray(), [
    { xs: { b: 2 }, ys: { label: '0' } },
    { xs: { b: 7.9 }, ys: { label: '1' } },
    { xs: { b: 0 }, ys: { label: '1' } },
  ]);
  // No header: the names are given; a header with columnNames: its names replaced.
  const bare = sn.data.csv(file('1;2\n3;4\n'), {
    hasHeader: false,
    columnNames: ['p', 'q'],
    delimiter: ';',
  });
  assert.deepEqual(await bare.toArray(), [
    { p: 1, q: 2 },
    { p: 3, q: 4 },
  ]);
  const renamed = sn.data.csv(path, { columnNames: ['w', 'x', 'y', 'z'] });
  assert.deepEqual((await renamed.take(1).toArray())[0], { w: 1.5, x: 2, y: 'true', z: 0 });
});

test('csv: missing required and label values, bad rows and bad options are ConfigErrors', async () => {
  const path = file(TABLE);
  await assert.rejects(
    sn.data.csv(path, { columnConfigs: { a: { required: true } } }).toArray(),
    (e: Error) => e instanceof sn.ConfigError && /row 3 .* required column "a"/.test(e.message),
  );
  await assert.rejects(
    sn.data.csv(file('x,y\n1,\n'), { columnConfigs: { y: { isLabel: true } } }).toArray(),
    (e: Error) => e instanceof sn.ConfigError && /label column "y"/.test(e.message),
  );
  await assert.rejects(
    sn.data.csv(file('x,y\n1,2,3\n')).toArray(),
    (e: Error) =>
      e instanceof sn.ConfigError && /row 2 .* 3 fields but there are 2 columns/.test(e.message),
  );
  await assert.rejects(
    sn.data.csv(path, { columnConfigs: { nope: {} } }).toArray(),
    (e: Error) => e instanceof sn.ConfigError && /"nope"/.test(e.message),
  );
  await assert.rejects(sn.data.csv(file('a,a\n1,2\n')).toArray(), /appears twice/);
  await assert.rejects(sn.data.csv(file('')).toArray(), /is empty/);
  await assert.rejects(
    sn.data.csv(join(root, 'missing.csv')).toArray(),
    (e: Error) => e instanceof sn.ConfigError && /ENOENT/.test(e.message),
  );
  assert.throws(() => sn.data.csv(path, { hasHeader: false }), /columnNames is needed/);
  assert.throws(() => sn.data.csv(path, { delimeter: ';' } as never), /unknown option "delimeter"/);
  assert.throws(
    () => sn.data.csv(path, { columnConfigs: { a: { dtype: 'float64' as never } } }),
    sn.ConfigError,
  );
  assert.throws(() => sn.data.csv(path, { delimiter: ';', delimWhitespace: true }), sn.ConfigError);
});

test('csv: an http URL is streamed with fetch', async () => {
  const server = createServer((_, res) => {
    res.writeHead(200, { 'content-type': 'text/csv' });
    res.write('x,label\n1,0\n2');
    setTimeout(() => res.end(',1\n'), 5);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  try {
    const url = `http://127.0.0.1:${port}/data.csv`;
    const ds = sn.data.csv(url, { columnConfigs: { label: { isLabel: true } } });
    assert.deepEqual(await ds.toArray(), [
      { xs: { x: 1 }, ys: { label: 0 } },
      { xs: { x: 2 }, ys: { label: 1 } },
    ]);
  } finally {
    server.close();
  }
});

test("csv: a column named '__proto__' is an ordinary column, not dropped", async () => {
  const rows = await sn.data.csv(file('__proto__,b\n1,2\n')).toArray();
  assert.equal(rows.length, 1);
  const row = rows[0] as Record<string, unknown>;
  assert.deepEqual(Object.keys(row), ['__proto__', 'b']);
  assert.equal(Object.getOwnPropertyDescriptor(row, '__proto__')?.value, 1);
});
