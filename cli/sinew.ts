#!/usr/bin/env node
/**
 * The `sinew` command, built only on the public API.
 *   sinew lab [options]      the regularization lab (what `npm start` runs)
 *   sinew inspect <path>     the summary of a saved model (sinew's or TensorFlow.js's)
 *   sinew playground         the regularization playground, served on 127.0.0.1
 *   sinew export pytorch|data, sinew import pytorch   to PyTorch and back (cli/export.ts)
 *   sinew help               this text
 */
import * as sn from 'sinew';
import { LAB_HELP, parseLabArgs, UsageError } from './lab/args.js';
import { runLab } from './lab/run.js';
import { runExport } from './export.js';
import { parsePlaygroundArgs, PLAYGROUND_HELP, runPlayground } from './playground.js';

const HELP = `sinew: deep learning in TypeScript where kernel and activity regularizers really work

Usage: sinew <command> [options]

Commands:
  lab        train one autoencoder under each regularizer on MNIST; table, verdicts, HTML report
  inspect    summarize a saved model: sinew inspect <model.json or its folder>
  playground the regularization playground: build it and serve it on 127.0.0.1
  export     to PyTorch: sinew export pytorch <model> <dir>; sinew export data <dir>
  import     from PyTorch: sinew import pytorch <model> <weights.safetensors> <out>
  help       this text

Run \`sinew <command> --help\` for a command's options.
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'lab': {
      const options = parseLabArgs(rest);
      if (options === 'help') {
        process.stdout.write(LAB_HELP);
        return 0;
      }
      await runLab(options);
      return 0;
    }
    case 'inspect': {
      if (rest.length !== 1 || rest[0]!.startsWith('-')) {
        throw new UsageError(
          'inspect takes one path: sinew inspect <model.json or the folder holding it>.',
        );
      }
      try {
        process.stdout.write(`${await sn.io.inspect(rest[0]!)}\n`);
      } catch (e) {
        if (e instanceof sn.SinewError) throw new UsageError(e.message);
        throw e;
      }
      return 0;
    }
    case 'playground': {
      const options = parsePlaygroundArgs(rest);
      if (options === 'help') {
        process.stdout.write(PLAYGROUND_HELP);
        return 0;
      }
      await runPlayground(options);
      return 0;
    }
    case 'export':
    case 'import':
      return runExport(command, rest, (line) => process.stdout.write(`${line}\n`));
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(HELP);
      return 0;
    default:
      throw new UsageError(
        `unknown command ${JSON.stringify(command)}; the commands are lab, inspect, playground, export, import and help.`,
      );
  }
}

/**
 * Control characters (C0 but newlines when `keepNewlines`, DEL, C1) and bidirectional
 * overrides as \\xNN / \\uNNNN, as sn.io.inspect prints them: a message quoting a file (a
 * layer name, a path) cannot clear the screen, retitle the terminal or spoof a line.
 */
function printable(text: string, keepNewlines = false): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g, (c) =>
    keepNewlines && c === '\n'
      ? c
      : c.charCodeAt(0) < 0x100
        ? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`
        : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`sinew: ${printable(error.message)}\n`);
      process.exitCode = 2;
    } else if (error instanceof sn.SinewError) {
      // sinew's errors name the problem and the fix: the message, without a stack trace.
      process.stderr.write(`sinew: ${printable(error.message)}\n`);
      process.exitCode = 1;
    } else {
      process.stderr.write(
        `sinew: ${printable(error instanceof Error ? (error.stack ?? error.message) : String(error), true)}\n`,
      );
      process.exitCode = 1;
    }
  },
);
