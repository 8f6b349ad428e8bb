/**
 * The playground's Web Worker: sinew runs here (the wasm backend, with its own worker threads
 * when the page is cross-origin isolated), so the page's thread only draws. It loads the
 * shipped digits once, then obeys the page's messages (protocol.ts) and answers with step
 * losses, views every few steps, and the model's artifacts for "download model".
 */
import * as sn from 'sinew';
import type { PlaygroundConfig } from './config.js';
import { PIXEL_SCALE } from './model.js';
import type { FromPage, ToPage } from './protocol.js';
import { Trainer, unpackDigits, type Digits } from './trainer.js';

/** Steps between two views (histograms, tiles, advice). */
const VIEW_EVERY = 25;
/** Longest run of steps between two looks at the message queue, in ms. */
const SLICE_MS = 40;

const post = (message: ToPage, transfer: Transferable[] = []): void =>
  (self as unknown as Worker).postMessage(message, transfer);

let digits: Digits | undefined;
let trainer: Trainer | undefined;
let playing = false;
/** Bumped by every start: a loop of an older run stops. */
let generation = 0;
/** Recent step times, for steps per second. */
const stepTimes: number[] = [];

async function init(threads: number | undefined): Promise<void> {
  if (threads !== undefined) sn.setBackend('wasm', { threads });
  await sn.ready();
  const response = await fetch(new URL('./mnist.bin', import.meta.url));
  if (!response.ok) throw new Error(`mnist.bin: HTTP ${response.status}`);
  digits = unpackDigits(sn, await response.arrayBuffer(), PIXEL_SCALE);
  const info = sn.backendInfo();
  post({
    type: 'ready',
    backend: info.name,
    variant: info.variant ?? '',
    threads: info.threads,
    isolated: (self as { crossOriginIsolated?: boolean }).crossOriginIsolated === true,
  });
}

async function start(config: PlaygroundConfig): Promise<void> {
  generation++;
  playing = false;
  stepTimes.length = 0;
  trainer = new Trainer(sn, config, digits!);
  await trainer.start();
  await sendViews();
}

async function sendViews(): Promise<void> {
  if (trainer === undefined) return;
  post({ type: 'views', views: await trainer.views() });
}

/** One step; false when the loss is no longer finite (the run stops and says so). */
async function step(): Promise<boolean> {
  const t = trainer!;
  const began = performance.now();
  const result = t.trainStep();
  stepTimes.push(performance.now() - began);
  if (stepTimes.length > 50) stepTimes.shift();
  const mean = stepTimes.reduce((a, b) => a + b, 0) / stepTimes.length;
  post({ type: 'step', ...result, stepsPerSecond: 1000 / mean });
  if (!Number.isFinite(result.loss)) {
    playing = false;
    post({
      type: 'stopped',
      reason: `The loss became ${result.loss} at step ${result.step}: training stopped. Lower the learning rate or the coefficients, then reset.`,
    });
    return false;
  }
  if (t.step % VIEW_EVERY === 0) await sendViews();
  return true;
}

async function loop(run: number): Promise<void> {
  while (playing && run === generation) {
    const sliceEnd = performance.now() + SLICE_MS;
    while (playing && run === generation && performance.now() < sliceEnd) {
      if (!(await step())) return;
    }
    await new Promise((resolve) => setTimeout(resolve, 0)); // read the page's messages
  }
}

async function handle(message: FromPage): Promise<void> {
  switch (message.type) {
    case 'init':
      return init(message.threads);
    case 'start':
      return start(message.config);
    case 'play':
      if (trainer === undefined || playing) return;
      playing = true;
      post({ type: 'playing', playing: true });
      // Not awaited: the queue goes on (pause, export and start are read between slices).
      void loop(generation).catch((e: unknown) => fail(e));
      return;
    case 'pause':
      playing = false;
      post({ type: 'playing', playing: false });
      return sendViews();
    case 'step':
      if (trainer === undefined || playing) return;
      if (await step()) await sendViews();
      return;
    case 'export': {
      if (trainer === undefined) return;
      const artifacts = sn.io.toMemory(trainer.model);
      const transfer = artifacts.weightData instanceof ArrayBuffer ? [artifacts.weightData] : [];
      post({ type: 'model', artifacts }, transfer);
      return;
    }
  }
}

function fail(e: unknown): void {
  playing = false;
  post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
}

// Messages are handled one at a time, in order (a start waits for init, a step for start).
let queue = Promise.resolve();
self.onmessage = (event: MessageEvent<FromPage>) => {
  // A pause or a new run stops a playing loop at once, before the queue reaches the message.
  if (event.data.type === 'pause' || event.data.type === 'start') playing = false;
  queue = queue.then(() => handle(event.data).catch(fail));
};
