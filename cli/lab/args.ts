import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { VARIANT_NAMES } from './variants.js';

/** Which autoencoder the lab trains. */
export type LabModel = 'dense' | 'conv';
const LAB_MODELS: readonly LabModel[] = ['dense', 'conv'];

export interface LabOptions {
  /** 'dense' (784 → 256 → 784, the default) or 'conv' (a convolutional autoencoder). */
  model: LabModel;
  epochs: number;
  variants: string[];
  out: string;
  /** Replace a report already in `out`. */
  force: boolean;
  seed: number;
  quick: boolean;
}

const DEFAULT_EPOCHS = 15;
const QUICK_EPOCHS = 3;
/** The conv autoencoder costs ~10× the dense one per epoch: fewer epochs by default. */
const CONV_EPOCHS = 5;

export const LAB_HELP = `sinew lab: what kernel and activity regularizers do, on real MNIST digits

Trains the same autoencoder, 784 → 256 (sigmoid code) → 784, under each variant, prints a
table and a verdict per variant, and writes a self-contained HTML report. With --model conv,
a convolutional autoencoder instead: 28×28×1 → conv 3×3×16 relu → max-pool 2 → conv 3×3×8
(sigmoid code, 14×14×8) → upsample 2 → conv 3×3×1 sigmoid.

Usage: sinew lab [options]

Options:
  --model NAME      dense (default) or conv
  --epochs N        epochs per variant (default ${DEFAULT_EPOCHS}, conv ${CONV_EPOCHS}; ${QUICK_EPOCHS} with --quick)
  --variants LIST   comma-separated, from: ${VARIANT_NAMES.join(', ')} (default all)
  --out DIR         where the report goes (default lab-report); checked before training
  --force           replace an index.html there that is not a sinew report
  --seed N          seed for the split, the weights and the shuffling (default 42)
  --quick           a tiny run (1,000 training digits) for tests and a first look
  --help            this text
`;

const VALUE_FLAGS = ['--model', '--epochs', '--variants', '--out', '--seed'];

/** A message for the user and the exit code; no stack trace. */
export class UsageError extends Error {}

/** Parses and checks the lab's flags; every mistake is a UsageError naming the flag and the fix. */
export function parseLabArgs(argv: readonly string[]): LabOptions | 'help' {
  let values: Record<string, string | boolean | undefined>;
  // `--epochs -1` would read as a missing value followed by a flag: join value flags to their value.
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    if (VALUE_FLAGS.includes(arg) && next !== undefined) {
      args.push(`${arg}=${next}`);
      i++;
    } else args.push(arg);
  }
  try {
    ({ values } = parseArgs({
      args,
      options: {
        model: { type: 'string' },
        epochs: { type: 'string' },
        variants: { type: 'string' },
        out: { type: 'string' },
        seed: { type: 'string' },
        quick: { type: 'boolean' },
        force: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    throw new UsageError(
      `${(e as Error).message.split('\n')[0]}\nRun \`sinew lab --help\` for the options.`,
    );
  }
  if (values.help) return 'help';
  const quick = values.quick === true;
  const integer = (
    flag: string,
    raw: string | boolean | undefined,
    fallback: number,
    min: number,
  ): number => {
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (typeof raw !== 'string' || raw.trim() === '' || !Number.isInteger(n) || n < min) {
      throw new UsageError(
        `--${flag} must be an integer >= ${min}, received ${JSON.stringify(raw)}; for example --${flag} ${Math.max(min, fallback)}.`,
      );
    }
    return n;
  };
  const model = values.model ?? 'dense';
  if (!LAB_MODELS.includes(model as LabModel)) {
    throw new UsageError(
      `--model must be ${LAB_MODELS.join(' or ')}, received ${JSON.stringify(model)}; for example --model conv.`,
    );
  }
  const fallback = quick ? QUICK_EPOCHS : model === 'conv' ? CONV_EPOCHS : DEFAULT_EPOCHS;
  const epochs = integer('epochs', values.epochs, fallback, 1);
  const seed = integer('seed', values.seed, 42, 0);
  const variants =
    typeof values.variants === 'string'
      ? values.variants
          .split(',')
          .map((v) => v.trim())
          .filter(Boolean)
      : [...VARIANT_NAMES];
  const unknown = variants.filter((v) => !VARIANT_NAMES.includes(v));
  if (unknown.length > 0 || variants.length === 0) {
    throw new UsageError(
      `unknown variant${unknown.length > 1 ? 's' : ''} ${unknown.map((v) => JSON.stringify(v)).join(', ') || '(none given)'}; ` +
        `the variants are ${VARIANT_NAMES.join(', ')}.`,
    );
  }
  const out = resolve(typeof values.out === 'string' ? values.out : 'lab-report');
  return {
    model: model as LabModel,
    epochs,
    variants,
    out,
    force: values.force === true,
    seed,
    quick,
  };
}
