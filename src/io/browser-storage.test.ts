import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as sn from '../index.js';

// The browser side (TensorFlow.js's layout, damaged entries, quota) is test/browser-storage.test.ts.

const model = (): sn.Model =>
  sn.sequential({ layers: [sn.layers.dense({ units: 1, inputShape: [2] })] });

test("'indexeddb://' and 'localstorage://' in Node say they work in a browser only", async () => {
  await assert.rejects(sn.io.save(model(), 'indexeddb://m'), {
    name: 'SerializationError',
    message:
      "indexeddb://m: IndexedDB is not available here; 'indexeddb://' works in a browser only. Fix: in Node pass a directory.",
  });
  await assert.rejects(sn.io.load('localstorage://m'), {
    name: 'SerializationError',
    message:
      "localstorage://m: localStorage is not available here; 'localstorage://' works in a browser only. Fix: in Node pass a directory.",
  });
  await assert.rejects(sn.io.listModels(), /works in a browser only/);
});

test('removeModel takes a browser-storage URL with a name', async () => {
  await assert.rejects(sn.io.removeModel('file:///tmp/m'), {
    name: 'SerializationError',
    message: `removeModel: expected 'indexeddb://name' or 'localstorage://name', received "file:///tmp/m".`,
  });
  await assert.rejects(sn.io.removeModel('localstorage://'), /"localstorage:\/\/" names no model/);
});
