/**
 * One run's panel on the page: loss chart (data and regularization, train and validation),
 * the code's numbers, per layer the weight / pre-activation / activation histograms, the
 * learned features as tiles, fixed digits beside their reconstructions, and the advice. Drawn
 * with Chart.js as the report's charts are (src/diagnostics/report/client.ts), in the
 * Okabe–Ito palette (distinct under the common colour-vision deficiencies).
 */
import { Chart, registerables, type ChartDataset } from 'chart.js';
import type { Views } from './trainer.js';

Chart.register(...registerables);
Chart.defaults.animation = false;
Chart.defaults.maintainAspectRatio = false;
Chart.defaults.plugins.legend.labels.boxWidth = 14;

/** Okabe & Ito's colour-blind-safe palette. */
export const PALETTE = {
  data: '#0072B2',
  regularization: '#E69F00',
  weights: '#009E73',
  preActivation: '#CC79A7',
  activation: '#56B4E9',
  alert: '#D55E00',
};

export interface LossPoint {
  step: number;
  loss: number;
  regularization: number;
}

/** Everything a panel draws; a pinned run keeps a copy. */
export interface RunState {
  title: string;
  losses: LossPoint[];
  val: LossPoint[];
  views: Views | undefined;
}

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  parent: HTMLElement,
  options: { className?: string; text?: string } = {},
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (options.className !== undefined) el.className = options.className;
  if (options.text !== undefined) el.textContent = options.text;
  parent.append(el);
  return el;
}

const fmt = (x: number): string =>
  Math.abs(x) !== 0 && (Math.abs(x) < 1e-3 || Math.abs(x) >= 1e4)
    ? x.toExponential(2)
    : String(Number(x.toPrecision(3)));

/** Every `every`-th point, so a long run keeps a light chart. */
function thin(points: LossPoint[], max = 300): LossPoint[] {
  const every = Math.ceil(points.length / max);
  return every <= 1 ? points : points.filter((_, i) => i % every === 0 || i === points.length - 1);
}

function lineData(points: LossPoint[], key: 'data' | 'regularization'): { x: number; y: number }[] {
  return thin(points).map((p) => ({
    x: p.step,
    y: key === 'data' ? p.loss - p.regularization : p.regularization,
  }));
}

/** Draws square images (28×28 digits, 14×14 code maps; values scaled per image to [0, 1], or ±max to grey for signed ones) in a row-major grid. */
function drawTiles(
  canvas: HTMLCanvasElement,
  images: number[][],
  cols: number,
  signed: boolean,
): void {
  const rows = Math.ceil(images.length / cols);
  const size = Math.max(1, Math.round(Math.sqrt(images[0]?.length ?? 784)));
  canvas.width = cols * (size + 1);
  canvas.height = Math.max(1, rows * (size + 1));
  const ctx = canvas.getContext('2d');
  if (ctx === null) return;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  images.forEach((image, n) => {
    const data = ctx.createImageData(size, size);
    const max = signed ? Math.max(1e-12, ...image.map(Math.abs)) : 1;
    image.forEach((v, i) => {
      const g = Math.round(255 * (signed ? 0.5 + v / (2 * max) : 1 - Math.min(1, Math.max(0, v))));
      data.data.set([g, g, g, 255], i * 4);
    });
    ctx.putImageData(data, (n % cols) * (size + 1), Math.floor(n / cols) * (size + 1));
  });
}

/**
 * Runs each drawing job in its own task, in order: one view of a run redraws seven charts and
 * two canvases, and as one task it would hold the page's thread for long enough to be felt.
 */
const jobs: (() => void)[] = [];
function later(job: () => void): void {
  jobs.push(job);
  if (jobs.length === 1) setTimeout(runJob, 0);
}
function runJob(): void {
  jobs.shift()?.();
  if (jobs.length > 0) setTimeout(runJob, 0);
}

export class RunView {
  readonly root: HTMLElement;
  #title: HTMLElement;
  #numbers: HTMLElement;
  #loss: Chart<'line', { x: number; y: number }[]>;
  #layers: HTMLElement;
  #histograms = new Map<string, HTMLCanvasElement>();
  #features: HTMLCanvasElement;
  #featuresCaption: HTMLElement;
  #digits: HTMLCanvasElement;
  #advice: HTMLElement;

  constructor(root: HTMLElement) {
    this.root = root;
    this.#title = element('h2', root);
    this.#numbers = element('dl', root, { className: 'numbers' });
    const lossBox = element('div', root, { className: 'chart loss' });
    const canvas = element('canvas', lossBox);
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', 'Loss: data and regularization parts, train and validation');
    const series = (
      label: string,
      color: string,
      dashed: boolean,
      axis: string,
    ): ChartDataset<'line', { x: number; y: number }[]> => ({
      label,
      data: [],
      borderColor: color,
      backgroundColor: color,
      borderDash: dashed ? [6, 4] : [],
      pointRadius: 0,
      borderWidth: 2,
      yAxisID: axis,
    });
    this.#loss = new Chart(canvas, {
      type: 'line',
      data: {
        datasets: [
          series('data loss (train)', PALETTE.data, false, 'y'),
          series('data loss (val)', PALETTE.data, true, 'y'),
          series('regularization (train)', PALETTE.regularization, false, 'y1'),
          series('regularization (val)', PALETTE.regularization, true, 'y1'),
        ],
      },
      options: {
        parsing: false,
        scales: {
          x: { type: 'linear', title: { display: true, text: 'step' } },
          y: { title: { display: true, text: 'data (mse)' } },
          y1: {
            position: 'right',
            grid: { drawOnChartArea: false },
            title: { display: true, text: 'regularization' },
          },
        },
      },
    });
    this.#layers = element('div', root, { className: 'layers' });
    const pictures = element('div', root, { className: 'pictures' });
    const f = element('figure', pictures);
    this.#features = element('canvas', f);
    this.#features.setAttribute('role', 'img');
    this.#features.setAttribute(
      'aria-label',
      'Learned features: encoder kernel columns as 28×28 tiles',
    );
    this.#featuresCaption = element('figcaption', f, {
      text: 'features (encoder kernel columns)',
    });
    const d = element('figure', pictures);
    this.#digits = element('canvas', d);
    this.#digits.setAttribute('role', 'img');
    this.#digits.setAttribute(
      'aria-label',
      'Fixed digits (top) and their reconstructions (bottom)',
    );
    element('figcaption', d, { text: 'digits (top) and reconstructions (bottom)' });
    element('h3', root, { text: 'Advice' });
    this.#advice = element('ul', root, { className: 'advice' });
  }

  update(state: RunState, live: { stepsPerSecond?: number } = {}): void {
    this.#title.textContent = state.title;
    const last = state.losses.at(-1);
    const v = state.views;
    const conv = v?.model === 'conv';
    const numbers: [string, string, string][] = [
      ['step', 'step', String(last?.step ?? 0)],
      ['loss', 'train loss', last ? fmt(last.loss) : '–'],
      ['val-loss', 'val loss', v ? fmt(v.valLoss) : '–'],
      ['saturation', 'saturated code', v ? `${(100 * v.saturation).toFixed(1)} %` : '–'],
      [
        'active',
        conv ? 'active channels per position' : 'active units per digit',
        v ? `${v.activeUnits.toFixed(1)} / ${v.units}` : '–',
      ],
      ['dead', conv ? 'dead channels' : 'dead units', v ? String(v.deadUnits) : '–'],
    ];
    if (live.stepsPerSecond !== undefined) {
      numbers.push(['speed', 'steps / s', live.stepsPerSecond.toFixed(1)]);
    }
    this.#numbers.replaceChildren();
    for (const [key, label, value] of numbers) {
      element('dt', this.#numbers, { text: label });
      element('dd', this.#numbers, { text: value }).dataset['key'] = key;
    }
    const sets = this.#loss.data.datasets;
    sets[0]!.data = lineData(state.losses, 'data');
    sets[1]!.data = lineData(state.val, 'data');
    sets[2]!.data = lineData(state.losses, 'regularization');
    sets[3]!.data = lineData(state.val, 'regularization');
    later(() => this.#loss.update());
    if (v === undefined) return;
    this.#drawLayers(v);
    const what = conv
      ? 'code feature maps of the first digit (one 14×14 tile per channel)'
      : 'features (encoder kernel columns)';
    this.#featuresCaption.textContent = what;
    this.#features.setAttribute('aria-label', `Learned ${what}`);
    // Conv maps are ≥ 0 for sigmoid/relu codes: drawn as the digits are, unless tanh/linear.
    later(() =>
      drawTiles(this.#features, v.features, 8, !conv || v.features.flat().some((x) => x < 0)),
    );
    later(() =>
      drawTiles(this.#digits, [...v.originals, ...v.reconstructions], v.originals.length, false),
    );
    this.#advice.replaceChildren();
    for (const a of v.advice)
      element('li', this.#advice, { text: a.message }).dataset['rule'] = a.rule;
    if (v.advice.length === 0) element('li', this.#advice, { text: 'No rule fires.' });
  }

  #drawLayers(v: Views): void {
    for (const layer of v.layers) {
      const parts = [
        ['weights', layer.weights, PALETTE.weights],
        ['pre-activation', layer.preActivation, PALETTE.preActivation],
        ['activation', layer.activation, PALETTE.activation],
      ] as const;
      for (const [part, histogram, color] of parts) {
        const key = `${layer.name}/${part}`;
        if (histogram === undefined) continue;
        let canvas = this.#histograms.get(key);
        if (canvas === undefined) {
          const box = element('div', this.#layers, { className: 'chart histogram' });
          canvas = element('canvas', box);
          canvas.setAttribute('role', 'img');
          canvas.setAttribute('aria-label', `Histogram of ${key}`);
          this.#histograms.set(key, canvas);
        }
        const target = canvas;
        later(() => {
          const chart =
            (Chart.getChart(target) as Chart<'bar'> | undefined) ??
            new Chart(target, {
              type: 'bar',
              data: { labels: [], datasets: [{ label: key, data: [], backgroundColor: color }] },
              options: {
                plugins: { legend: { display: false }, title: { display: true, text: key } },
                scales: { x: { ticks: { maxTicksLimit: 4 } } },
              },
            });
          const edges = histogram.edges;
          chart.data.labels = histogram.counts.map((_, i) => fmt((edges[i]! + edges[i + 1]!) / 2));
          chart.data.datasets[0]!.data = histogram.counts;
          chart.update();
        });
      }
    }
  }
}
