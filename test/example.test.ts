import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trainAutoencoder } from '../examples/autoencoder-ops.js';

test('the README example trains: the autoencoder loss goes down', () => {
  const { losses } = trainAutoencoder({ steps: 60 });
  const first = losses[0]!;
  const last = losses.at(-1)!;
  assert.ok(Number.isFinite(last), `final loss ${last}`);
  assert.ok(last < 0.7 * first, `loss went from ${first} to ${last}`);
  // Every step but a few should improve on plain gradient descent with a small step.
  const worse = losses.slice(1).filter((l, i) => l > losses[i]!).length;
  assert.ok(worse <= 3, `${worse} steps increased the loss`);
});
