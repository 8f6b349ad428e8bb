import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Logs, TrainingParams } from './callback.js';
import { ProgressLogger, formatLogValue, formatLogs, type ProgressStream } from './progress.js';

/** A stream that keeps what is written. */
function capture(isTTY?: boolean): ProgressStream & { text: string } {
  const s = {
    text: '',
    columns: 200,
    write(chunk: string): boolean {
      s.text += chunk;
      return true;
    },
    ...(isTTY === undefined ? {} : { isTTY }),
  };
  return s;
}

const params = (verbose: 0 | 1 | 2, epochs: number, steps: number): TrainingParams => ({
  epochs,
  initialEpoch: 0,
  steps,
  samples: steps * 8,
  batchSize: 8,
  verbose,
  doValidation: true,
  metrics: ['loss', 'regularization_loss', 'val_loss'],
});

/** fit's hook order for `epochs` epochs of `steps` batches, with fixed logs. */
async function drive(
  logger: ProgressLogger,
  p: TrainingParams,
  batchLogs: Logs,
  epochLogs: Logs,
): Promise<void> {
  logger.setParams(p);
  await logger.onTrainBegin();
  for (let epoch = p.initialEpoch; epoch < p.epochs; epoch++) {
    await logger.onEpochBegin(epoch);
    for (let batch = 0; batch < p.steps; batch++) {
      await logger.onBatchBegin(batch, { batch, size: 8 });
      await logger.onBatchEnd(batch, { batch, size: 8, ...batchLogs });
    }
    await logger.onEpochEnd(epoch, { ...epochLogs });
  }
  await logger.onTrainEnd();
}

const ESC = '\u001b';

const batchLogs = { loss: 0.03123, regularization_loss: 0.00214 };
const epochLogs = { loss: 0.03123, regularization_loss: 0.00214, val_loss: 0.04 };

test('formatLogValue prints as Keras: 4 decimals, scientific at or below 1e-3', () => {
  // Keras's progbar: f'{v:.4f}' if abs(v) > 1e-3 else f'{v:.4e}'.
  assert.equal(formatLogValue(0.03123), '0.0312');
  assert.equal(formatLogValue(0.00214), '0.0021');
  assert.equal(formatLogValue(12345.6789), '12345.6789');
  assert.equal(formatLogValue(-2.5), '-2.5000');
  assert.equal(formatLogValue(0.00012345), '1.2345e-4');
  assert.equal(formatLogValue(0), '0.0000');
  assert.equal(formatLogValue(NaN), 'NaN');
  assert.equal(
    formatLogs({ batch: 3, size: 8, loss: 0.5, acc: 0.25 }),
    ' - loss: 0.5000 - acc: 0.2500',
  );
});

test('not a TTY: exactly one line per epoch, Epoch i/n - time - logs', async () => {
  const stream = capture(false);
  await drive(new ProgressLogger({ stream }), params(1, 3, 4), batchLogs, epochLogs);
  const lines = stream.text.split('\n');
  assert.equal(lines.pop(), ''); // ends with a newline
  assert.equal(lines.length, 3);
  lines.forEach((line, i) => {
    assert.match(
      line,
      new RegExp(
        `^Epoch ${i + 1}/3 - \\d+\\.\\ds - loss: 0\\.0312 - regularization_loss: 0\\.0021 - val_loss: 0\\.0400$`,
      ),
    );
  });
});

test('verbose 2 prints lines even on a TTY; verbose 0 prints nothing', async () => {
  const tty = capture(true);
  await drive(new ProgressLogger({ stream: tty }), params(2, 2, 3), batchLogs, epochLogs);
  assert.equal(tty.text.split('\n').length, 3);
  assert.match(tty.text, /^Epoch 1\/2 - \d+\.\ds - loss: 0\.0312/);
  assert.ok(!tty.text.includes(ESC)); // no cursor control

  const quiet = capture(false);
  await drive(new ProgressLogger({ stream: quiet }), params(0, 2, 3), batchLogs, epochLogs);
  assert.equal(quiet.text, '');
});

test('a later initialEpoch numbers epochs from there', async () => {
  const stream = capture(false);
  await drive(
    new ProgressLogger({ stream }),
    { ...params(2, 10, 1), initialEpoch: 8 },
    batchLogs,
    epochLogs,
  );
  assert.deepEqual(
    stream.text
      .trim()
      .split('\n')
      .map((l) => l.split(' - ')[0]),
    ['Epoch 9/10', 'Epoch 10/10'],
  );
});

// eslint-disable-next-line no-control-regex
const stripAnsi = (s: string): string => s.replace(/\x1b(\[[0-9;?]*[A-Za-z]|[78])/g, '');

test('TTY, verbose 1: a cli-progress bar per epoch with step/steps, logs and the final time', async () => {
  // isTTY forced by the option: the fake stream itself says nothing about being a terminal.
  const stream = capture();
  await drive(new ProgressLogger({ stream, isTTY: true }), params(1, 2, 3), batchLogs, epochLogs);
  assert.ok(stream.text.includes(`${ESC}[`)); // drawn with cursor control
  const text = stripAnsi(stream.text);
  // Both epochs end in a full bar with the epoch's time and its validation logs.
  for (const epoch of [1, 2]) {
    assert.match(
      text,
      new RegExp(
        `Epoch ${epoch}/2 \\[={20}\\] 3/3 - \\d+\\.\\ds - loss: 0\\.0312 - regularization_loss: 0\\.0021 - val_loss: 0\\.0400`,
      ),
    );
  }
  // The first draw of each epoch: empty bar, step 0 of 3, an ETA.
  assert.match(text, /Epoch 1\/2 \[-{20}\] 0\/3 - ETA: /);
  assert.equal(text.match(/\n/g)?.length, 2); // one finished bar per line
});

test('TTY bar stops cleanly when training stops mid-epoch (close at train end)', async () => {
  const stream = capture(true);
  const logger = new ProgressLogger({ stream });
  logger.setParams(params(1, 5, 10));
  await logger.onTrainBegin();
  await logger.onEpochBegin(0);
  await logger.onBatchEnd(0, batchLogs);
  await logger.onTrainEnd(); // no onEpochEnd: e.g. stopTraining after a batch
  const text = stripAnsi(stream.text);
  assert.match(text, /Epoch 1\/5 \[={2}-{18}\] 1\/10/);
  assert.ok(text.endsWith('\n'));
  logger.close(); // idempotent
});

test('without process (a browser), lines go to console.log', async (t) => {
  const log = t.mock.method(console, 'log', () => {});
  const saved = Object.getOwnPropertyDescriptor(globalThis, 'process')!;
  let logger: ProgressLogger;
  Object.defineProperty(globalThis, 'process', {
    value: undefined,
    configurable: true,
    writable: true,
  });
  try {
    logger = new ProgressLogger();
  } finally {
    Object.defineProperty(globalThis, 'process', saved);
  }
  await drive(logger, params(1, 1, 2), batchLogs, epochLogs);
  assert.equal(log.mock.callCount(), 1);
  assert.match(
    String(log.mock.calls[0]!.arguments[0]),
    /^Epoch 1\/1 - \d+\.\ds - loss: 0\.0312 - regularization_loss: 0\.0021 - val_loss: 0\.0400$/,
  );
});
