import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as sn from 'sinew';
import { UsageError } from './lab/args.js';

/**
 * `sinew export pytorch`, `sinew export data` and `sinew import pytorch`: the way to PyTorch
 * and back (README "When you outgrow one machine"). Built on the public API only.
 */

export const EXPORT_HELP = `Usage:
  sinew export pytorch <model.json or its folder> <dir> [--force] [--epochs N] [--batch-size B]
                       [--seed S] [--validation-split F]
      write dir/model.py (an nn.Module with sinew's regularizers), dir/weights.safetensors and,
      for a model saved with its training config (sn.io.save(model, dir, { includeOptimizer:
      true })), dir/train.py and dir/training.json.
      --force replaces a folder that exists and is not empty.
  sinew export data <dir> [--limit N] [--input-scale S] [--seed S]
      write the lab's training arrays as numpy files: dir/x.npy (MNIST training digits
      [n, 784] in [0, 1], times --input-scale) and dir/y.npy (the targets: the digits
      themselves, as the lab's autoencoders learn them).
  sinew import pytorch <model.json or its folder> <weights.safetensors> <out>
      load the weights a PyTorch run wrote (train.py's trained.safetensors) into the model
      and save it to the folder <out> (sinew's model format: inspect, report, browser).
`;

function number(value: string | undefined, name: string, integer: boolean): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n))) {
    throw new UsageError(
      `--${name} must be ${integer ? 'an integer' : 'a number'}, received ${JSON.stringify(value)}.`,
    );
  }
  return n;
}

type OptionSpec = Record<string, { type: 'string' | 'boolean' }>;
interface Parsed {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

function parse(args: string[], options: OptionSpec, count: number, usage: string): Parsed | 'help' {
  let parsed: Parsed;
  try {
    const all: OptionSpec = { ...options, help: { type: 'boolean' } };
    parsed = parseArgs({ args, options: all, allowPositionals: true, strict: true }) as Parsed;
  } catch (e) {
    throw new UsageError(`${(e as Error).message}. ${usage}`);
  }
  if (parsed.values.help === true) return 'help';
  if (parsed.positionals.length !== count) {
    throw new UsageError(
      `expected ${count} path(s), received ${parsed.positionals.length}. ${usage}`,
    );
  }
  return parsed;
}

/** Runs `sinew export ...` or `sinew import ...`; returns the exit code. */
export async function runExport(
  command: 'export' | 'import',
  argv: string[],
  print: (line: string) => void,
): Promise<number> {
  const [what, ...rest] = argv;
  if (what === undefined || what === 'help' || what === '--help' || what === '-h') {
    print(EXPORT_HELP);
    return 0;
  }
  try {
    if (command === 'export' && what === 'pytorch') {
      const usage = 'Usage: sinew export pytorch <model.json or its folder> <dir> [--force]';
      const p = parse(
        rest,
        {
          force: { type: 'boolean' },
          epochs: { type: 'string' },
          'batch-size': { type: 'string' },
          seed: { type: 'string' },
          'validation-split': { type: 'string' },
        },
        2,
        usage,
      );
      if (p === 'help') return (print(EXPORT_HELP), 0);
      const [from, to] = p.positionals as [string, string];
      const model = await sn.io.load(from);
      const fit: sn.io.ExportFitOptions = {};
      const epochs = number(p.values.epochs as string | undefined, 'epochs', true);
      const batchSize = number(p.values['batch-size'] as string | undefined, 'batch-size', true);
      const seed = number(p.values.seed as string | undefined, 'seed', true);
      const split = number(
        p.values['validation-split'] as string | undefined,
        'validation-split',
        false,
      );
      if (epochs !== undefined) fit.epochs = epochs;
      if (batchSize !== undefined) fit.batchSize = batchSize;
      if (seed !== undefined) fit.seed = seed;
      if (split !== undefined) fit.validationSplit = split;
      const files = await sn.io.exportPyTorch(model, to, {
        force: p.values.force === true,
        ...(Object.keys(fit).length > 0 ? { fit } : {}),
      });
      for (const f of files) print(`wrote ${f}`);
      if (!model.compiled)
        print(
          'the file has no training config, so train.py was not written (save the model with ' +
            '{ includeOptimizer: true } to get one); model.py is the module.',
        );
      return 0;
    }
    if (command === 'export' && what === 'data') {
      const usage = 'Usage: sinew export data <dir> [--limit N] [--input-scale S] [--seed S]';
      const p = parse(
        rest,
        { limit: { type: 'string' }, 'input-scale': { type: 'string' }, seed: { type: 'string' } },
        1,
        usage,
      );
      if (p === 'help') return (print(EXPORT_HELP), 0);
      const limit = number(p.values.limit as string | undefined, 'limit', true);
      const scale =
        number(p.values['input-scale'] as string | undefined, 'input-scale', false) ?? 1;
      const seed = number(p.values.seed as string | undefined, 'seed', true) ?? 0;
      let x = sn.data.mnist({ seed }).xTrain;
      if (limit !== undefined)
        x = sn.slice(x, [0, 0], { size: [Math.min(limit, x.shape[0]!), -1] });
      const dir = p.positionals[0]!;
      const fs = await import('node:fs/promises');
      await fs.mkdir(dir, { recursive: true });
      await sn.io.saveNpy(scale === 1 ? x : sn.mul(x, scale), join(dir, 'x.npy'));
      await sn.io.saveNpy(x, join(dir, 'y.npy'));
      print(`wrote ${join(dir, 'x.npy')} and ${join(dir, 'y.npy')} (${x.shape[0]} digits)`);
      return 0;
    }
    if (command === 'import' && what === 'pytorch') {
      const usage =
        'Usage: sinew import pytorch <model.json or its folder> <weights.safetensors> <out>';
      const p = parse(rest, { force: { type: 'boolean' } }, 3, usage);
      if (p === 'help') return (print(EXPORT_HELP), 0);
      const [from, weights, out] = p.positionals as [string, string, string];
      const model = await sn.io.load(from);
      await sn.io.loadSafetensors(model, weights);
      await sn.io.save(model, out, { overwrite: p.values.force === true });
      print(`wrote ${out} (the model with the weights of ${weights})`);
      return 0;
    }
  } catch (e) {
    if (e instanceof sn.SinewError) throw new UsageError(e.message);
    throw e;
  }
  throw new UsageError(`unknown command '${command} ${what}'. ${EXPORT_HELP}`);
}
