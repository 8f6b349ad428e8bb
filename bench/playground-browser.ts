// The playground's part of `npm run bench:browser`: dist/playground (rebuilt from the sources)
// served cross-origin isolated, opened with ?threads=1 and ?threads=2, trained with the
// default configuration (the lab's autoencoder, batch 128) for a fixed wall-clock window after
// a warm-up. Prints the worker's steps per second (steps received by the page over the window)
// and the longest main-thread task meanwhile: the Long Tasks API's longest entry (it reports
// tasks of 50 ms or more) and the largest lateness of a 10 ms timer on the page's thread.
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { serveStatic } from '../cli/playground.js';
import { buildPlayground } from '../playground/build.js';

const WARMUP_STEPS = 25;
const WINDOW_MS = 8000;

interface Measured {
  threads: number;
  stepsPerSecond: number;
  longTaskMs: number;
  timerLateMs: number;
}

/** Installed before the page's scripts: records long tasks and timer lateness on window.benchMain. */
const OBSERVE = `
window.benchMain = { longTask: 0, late: 0, measuring: false };
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    if (window.benchMain.measuring) window.benchMain.longTask = Math.max(window.benchMain.longTask, e.duration);
  }
}).observe({ type: 'longtask', buffered: false });
let last = performance.now();
setInterval(() => {
  const now = performance.now();
  if (window.benchMain.measuring) window.benchMain.late = Math.max(window.benchMain.late, now - last - 10);
  last = now;
}, 10);
`;

export async function benchPlayground(browser: Browser): Promise<void> {
  const dir = await buildPlayground();
  const server = await serveStatic(dir);
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const rows: Measured[] = [];
  try {
    for (const threads of [1, 2]) {
      const page = await browser.newPage();
      await page.addInitScript(OBSERVE);
      await page.goto(`${origin}?threads=${threads}`);
      type W = {
        playground: {
          backend?: { threads: number };
          steps: number;
          current: { views?: { step: number } };
        };
        benchMain: { longTask: number; late: number; measuring: boolean };
      };
      await page.waitForFunction(
        () => (window as unknown as W).playground?.current.views !== undefined,
        undefined,
        {
          timeout: 120_000,
        },
      );
      await page.click('#play');
      await page.waitForFunction(
        (n) => (window as unknown as W).playground.steps >= n,
        WARMUP_STEPS,
        {
          timeout: 120_000,
        },
      );
      const measured = await page.evaluate(async (ms) => {
        const w = window as unknown as W;
        w.benchMain.measuring = true;
        const [s0, t0] = [w.playground.steps, performance.now()];
        await new Promise((resolve) => setTimeout(resolve, ms));
        const [s1, t1] = [w.playground.steps, performance.now()];
        w.benchMain.measuring = false;
        return {
          threads: w.playground.backend?.threads ?? 0,
          stepsPerSecond: ((s1 - s0) * 1000) / (t1 - t0),
          longTaskMs: w.benchMain.longTask,
          timerLateMs: w.benchMain.late,
        };
      }, WINDOW_MS);
      rows.push(measured);
      await page.close();
    }
  } finally {
    server.close();
  }
  console.log(
    `\nplayground (default configuration, batch 128), ${WINDOW_MS / 1000} s after ${WARMUP_STEPS} steps`,
  );
  console.log(`${''.padEnd(34)}${'1 thread'.padStart(10)}${'2 threads'.padStart(11)}`);
  const line = (label: string, f: (m: Measured) => string): void =>
    console.log(`${label.padEnd(34)}${f(rows[0]!).padStart(10)}${f(rows[1]!).padStart(11)}`);
  line('steps per second', (m) => m.stepsPerSecond.toFixed(1));
  line('longest main-thread task, ms', (m) =>
    m.longTaskMs === 0 ? '< 50' : m.longTaskMs.toFixed(0),
  );
  line('largest 10 ms timer lateness, ms', (m) => m.timerLateMs.toFixed(1));
  line('threads reported', (m) => String(m.threads));
}
