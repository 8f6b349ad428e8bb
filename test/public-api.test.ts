import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as sn from '../src/index.js';
import * as callback from '../src/models/callback.js';
import * as fitCallbacks from '../src/models/callbacks/index.js';
import * as tensorBoardCallback from '../src/diagnostics/tensorboard/index.js';
import * as modelCheckpointCallback from '../src/io/model-checkpoint-callback.js';
import * as registries from '../src/serialization.js';
import * as customClasses from '../src/io/registry.js';

/**
 * sn.callbacks and sn.serialization are TypeScript namespaces written out in src/index.ts
 * (each gathers exports from several floors). A namespace lists its members one by one, so
 * an export added to a source module could be forgotten there: this test names, for each
 * namespace, the source exports it must carry, and fails on one that is missing or differs.
 */

function expectCarries(ns: object, source: object, names: readonly string[], label: string) {
  for (const name of names) {
    assert.ok(
      name in ns,
      `sn.${label}.${name} is missing: add it to the namespace in src/index.ts`,
    );
    assert.equal(
      (ns as Record<string, unknown>)[name],
      (source as Record<string, unknown>)[name],
      `sn.${label}.${name} is not the source module's export`,
    );
  }
}

test('sn.callbacks carries every callback export of its source modules', () => {
  expectCarries(sn.callbacks, fitCallbacks, Object.keys(fitCallbacks), 'callbacks');
  expectCarries(sn.callbacks, callback, ['Callback'], 'callbacks');
  expectCarries(sn.callbacks, tensorBoardCallback, ['TensorBoard', 'tensorBoard'], 'callbacks');
  expectCarries(
    sn.callbacks,
    modelCheckpointCallback,
    ['ModelCheckpoint', 'modelCheckpoint'],
    'callbacks',
  );
});

test('sn.serialization carries the registry machinery and registerClass', () => {
  expectCarries(sn.serialization, registries, Object.keys(registries), 'serialization');
  expectCarries(sn.serialization, customClasses, ['registerClass'], 'serialization');
});
