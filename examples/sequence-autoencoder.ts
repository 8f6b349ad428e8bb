/**
 * A sequence autoencoder on MNIST: each digit is read as a sequence of 28 rows of 28 pixels.
 *
 *   rows [28, 28] → LSTM encoder (last state = the code, with an activity penalty)
 *                 → repeatVector(28) → LSTM decoder (every step) → timeDistributed(dense 28, sigmoid)
 *
 * The encoder squeezes the whole digit into its final hidden state; the decoder rebuilds the
 * 28 rows from that one vector. The activity penalty on the code is the recurrent version of
 * a sparse autoencoder: it acts on the states the LSTM returns, not on its weights.
 *
 * `regularizer` picks which of Keras's four recurrent penalties goes on the LSTMs, to compare
 * them (docs/regularization.md, "Which regularizer on an LSTM"): 'kernel' (input weights),
 * 'recurrent' (hidden-to-hidden weights), 'bias', 'activity' (the code), or 'none'.
 * A diagnostics monitor watches a probe of validation digits: weight histograms of the kernel
 * and the recurrent kernel, and the share of saturated gates.
 *
 * Run: npx tsx examples/sequence-autoencoder.ts [epochs] [regularizer|compare]
 *   e.g. npx tsx examples/sequence-autoencoder.ts 20 activity   (prints the RSS every epoch)
 *        npx tsx examples/sequence-autoencoder.ts 10 compare    (the five variants, one table)
 */
import { pathToFileURL } from 'node:url';
import * as sn from '../src/index.js';

export type RecurrentPenalty = 'none' | 'kernel' | 'recurrent' | 'bias' | 'activity';

export interface SequenceAutoencoderOptions {
  /** Training digits (default 2,000) and validation digits (default 500). */
  trainSize?: number;
  valSize?: number;
  epochs?: number;
  /** Units of both LSTMs; the code has this many numbers (default 32). */
  units?: number;
  /** Which penalty goes on the LSTMs (default 'activity': on the code). */
  regularizer?: RecurrentPenalty;
  /** The l2 factor of that penalty (default 1e-3). */
  strength?: number;
  seed?: number;
  /** Called after every epoch with fit's logs and the process's resident set size in MB. */
  onEpoch?: (epoch: number, logs: sn.Logs, rssMb: number) => void;
}

export interface SequenceAutoencoderResult {
  model: sn.Model;
  history: Record<string, number[]>;
  /** Mean squared reconstruction error (no penalty) on the training and validation digits. */
  trainMse: number;
  valMse: number;
  /** valMse − trainMse. */
  gap: number;
  /** L2 norms of the encoder's kernel and recurrent kernel after training. */
  kernelNorm: number;
  recurrentNorm: number;
  /** Mean |code| over the validation digits (the encoder's last hidden state). */
  meanAbsCode: number;
  /** Share of the encoder's saturated gate outputs on the probe at the last record. */
  gateSaturation: number | undefined;
  /** Resident set size (MB) after each epoch. */
  rssMb: number[];
}

/** MNIST digits as [n, 28, 28] sequences of rows. */
export function mnistRows(
  trainSize: number,
  valSize: number,
  seed = 0,
): { x: sn.Tensor; xVal: sn.Tensor } {
  const digits = sn.data.mnist({ seed });
  const rows = (t: sn.Tensor, n: number): sn.Tensor =>
    sn.reshape(sn.slice(t, [0, 0], { size: [n, -1] }), [n, 28, 28]);
  return { x: rows(digits.xTrain, trainSize), xVal: rows(digits.xTest, valSize) };
}

/** The encoder–decoder, with the chosen penalty on the LSTMs. */
export function buildModel(
  units: number,
  regularizer: RecurrentPenalty,
  strength: number,
  seed: number,
): sn.Model {
  const l2 = (): sn.regularizers.Regularizer => sn.regularizers.l2(strength);
  const penalty = (): Partial<sn.layers.LSTMOptions> =>
    regularizer === 'kernel'
      ? { kernelRegularizer: l2() }
      : regularizer === 'recurrent'
        ? { recurrentRegularizer: l2() }
        : regularizer === 'bias'
          ? { biasRegularizer: l2() }
          : {};
  sn.setSeed(seed);
  const model = sn.sequential({
    name: 'sequence_autoencoder',
    layers: [
      sn.layers.lstm({
        units,
        inputShape: [28, 28],
        name: 'encoder',
        ...penalty(),
        ...(regularizer === 'activity' ? { activityRegularizer: l2() } : {}),
      }),
      sn.layers.repeatVector({ n: 28 }),
      sn.layers.lstm({ units, returnSequences: true, name: 'decoder', ...penalty() }),
      sn.layers.timeDistributed({ layer: sn.layers.dense({ units: 28, activation: 'sigmoid' }) }),
    ],
  });
  model.compile({ optimizer: sn.optimizers.adam({ learningRate: 3e-3 }), loss: 'mse' });
  return model;
}

const mse = (a: sn.Tensor, b: sn.Tensor): number => sn.mean(sn.square(sn.sub(a, b))).item();
const norm = (w: sn.Tensor): number => Math.sqrt(sn.sum(sn.square(w)).item());
const rssMb = (): number => process.memoryUsage().rss / 2 ** 20;

/** Trains one sequence autoencoder and measures what its penalty did. */
export async function trainSequenceAutoencoder(
  options: SequenceAutoencoderOptions = {},
): Promise<SequenceAutoencoderResult> {
  const trainSize = options.trainSize ?? 2000;
  const valSize = options.valSize ?? 500;
  const units = options.units ?? 32;
  const regularizer = options.regularizer ?? 'activity';
  const seed = options.seed ?? 1;
  const { x, xVal } = mnistRows(trainSize, valSize);
  const model = buildModel(units, regularizer, options.strength ?? 1e-3, seed);
  const probe = sn.slice(xVal, [0, 0, 0], { size: [Math.min(64, valSize), -1, -1] });
  const monitor = sn.diagnostics.monitor({ probe });
  const rss: number[] = [];
  const fit = await model.fit(x, x, {
    epochs: options.epochs ?? 10,
    batchSize: 64,
    seed,
    verbose: 0,
    validationData: [xVal, xVal],
    callbacks: [
      {
        onEpochEnd: (epoch: number, logs?: sn.Logs) => {
          rss.push(rssMb());
          options.onEpoch?.(epoch, logs ?? {}, rss.at(-1)!);
        },
      },
      monitor,
    ],
  });
  const encoder = model.getLayer('encoder') as sn.layers.LSTM;
  const [kernel, recurrent] = encoder.getWeights() as [sn.Tensor, sn.Tensor];
  const code = sn.sequential({ layers: [encoder] }).predict(xVal) as sn.Tensor;
  const trainMse = mse(model.predict(x) as sn.Tensor, x);
  const valMse = mse(model.predict(xVal) as sn.Tensor, xVal);
  const last = monitor.log.records.at(-1)?.layers.find((l) => l.name === 'encoder');
  return {
    model,
    history: fit.history as Record<string, number[]>,
    trainMse,
    valMse,
    gap: valMse - trainMse,
    kernelNorm: norm(kernel),
    recurrentNorm: norm(recurrent),
    meanAbsCode: sn.mean(sn.abs(code)).item(),
    gateSaturation: last?.gateSaturation?.all,
    rssMb: rss,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const epochs = Number(process.argv[2] ?? 10);
  const which = process.argv[3] ?? 'activity';
  const kinds: RecurrentPenalty[] =
    which === 'compare'
      ? ['none', 'kernel', 'recurrent', 'bias', 'activity']
      : [which as RecurrentPenalty];
  const f = (v: number | undefined, d = 4): string => (v === undefined ? '-' : v.toFixed(d));
  console.log(
    'penalty    train mse  val mse   gap       |kernel|  |recurrent|  mean|code|  saturated gates',
  );
  for (const kind of kinds) {
    const r = await trainSequenceAutoencoder({
      epochs,
      regularizer: kind,
      onEpoch: (epoch, logs, mb) => {
        if (which !== 'compare') {
          console.log(
            `epoch ${epoch + 1}: loss ${f(logs.loss)} val_loss ${f(logs.val_loss)} rss ${mb.toFixed(0)} MB`,
          );
        }
      },
    });
    console.log(
      `${kind.padEnd(10)} ${f(r.trainMse)}     ${f(r.valMse)}    ${f(r.gap, 5).padEnd(9)} ${f(r.kernelNorm, 2).padEnd(9)} ` +
        `${f(r.recurrentNorm, 2).padEnd(12)} ${f(r.meanAbsCode, 3).padEnd(11)} ${f(r.gateSaturation, 3)}`,
    );
  }
}
