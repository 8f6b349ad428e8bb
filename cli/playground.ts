/**
 * `sinew playground`: builds the regularization playground (playground/build.ts, when the
 * sources are there) into dist/playground and serves that folder on 127.0.0.1 with the
 * cross-origin isolation headers (COOP/COEP), so the wasm backend runs on every core. Prints
 * the URL; Ctrl-C closes the server and exits 0. Any static host serves the same folder; without
 * the headers the page trains on one thread and says so.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from './lab/args.js';

export const PLAYGROUND_HELP = `sinew playground: the regularization playground in your browser

Usage: sinew playground [--port N] [--no-build]

Builds the page into dist/playground and serves it on http://127.0.0.1:N/ (default 8377; 0
picks a free port) with the cross-origin isolation headers, so training uses every core.
Ctrl-C stops the server. dist/playground is also a folder of static files for any web server
(without the headers the page trains on one thread).

Options:
  --port N     the port (default 8377)
  --no-build   serve dist/playground as it is
`;

export interface PlaygroundOptions {
  port: number;
  build: boolean;
}

export function parsePlaygroundArgs(argv: readonly string[]): PlaygroundOptions | 'help' {
  const options: PlaygroundOptions = { port: 8377, build: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg === '--no-build') options.build = false;
    else if (arg === '--port') {
      const port = Number(argv[++i]);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new UsageError(
          `playground: --port expects a port number from 0 to 65535, received ${JSON.stringify(argv[i] ?? '')}.`,
        );
      }
      options.port = port;
    } else {
      throw new UsageError(
        `playground: unknown option ${JSON.stringify(arg)}; the options are --port N and --no-build.`,
      );
    }
  }
  return options;
}

/** The package's root: the nearest folder above this file holding package.json. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.bin': 'application/octet-stream',
};

export interface ServeStaticOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Send the COOP/COEP headers (default true): the page is cross-origin isolated. */
  isolated?: boolean;
}

/** Serves `dir`'s files (index.html at /) on 127.0.0.1, with COOP/COEP unless `isolated: false`. */
export async function serveStatic(dir: string, options: ServeStaticOptions = {}): Promise<Server> {
  const { port = 0, isolated = true } = options;
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = normalize(join(dir, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(dir + sep) || !existsSync(file)) {
      res.statusCode = 404;
      res.end('not found');
      return;
    }
    res.setHeader('content-type', TYPES[extname(file)] ?? 'application/octet-stream');
    if (isolated) {
      res.setHeader('cross-origin-opener-policy', 'same-origin');
      res.setHeader('cross-origin-embedder-policy', 'require-corp');
    }
    res.setHeader('cache-control', 'no-cache');
    res.end(readFileSync(file));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return server;
}

/** Builds (from the sources, when present), serves, prints the URL; resolves when Ctrl-C closed the server. */
export async function runPlayground(
  options: PlaygroundOptions,
  print: (line: string) => void = console.log,
): Promise<void> {
  const root = packageRoot();
  const dir = join(root, 'dist', 'playground');
  const script = join(root, 'playground', 'build.ts');
  if (options.build && existsSync(script)) {
    print('sinew playground: building dist/playground …');
    const built = spawnSync(process.execPath, ['--import', 'tsx', script], {
      cwd: root,
      encoding: 'utf8',
    });
    if (built.status !== 0) {
      throw new UsageError(`playground: the build failed:\n${built.stdout}${built.stderr}`);
    }
  }
  if (!existsSync(join(dir, 'index.html'))) {
    throw new UsageError(
      `playground: ${dir} has no index.html; build it from a source checkout with \`npm run playground\`.`,
    );
  }
  const server = await serveStatic(dir, { port: options.port });
  const { port } = server.address() as AddressInfo;
  print(`sinew playground: http://127.0.0.1:${port}/ (cross-origin isolated; Ctrl-C to stop)`);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      server.closeAllConnections();
      server.close(() => resolve());
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  print('sinew playground: stopped.');
}
